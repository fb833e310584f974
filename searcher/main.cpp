// searcher: ranked keyword search over a Pundit index.
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <xapian.h>

#include "pundit/error.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/index.hpp"
#include "pundit/query_builder.hpp"
#include "pundit/result_printer.hpp"
#include "pundit/searcher.hpp"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitNotFound = 1; // --show or --like named an id the index does not hold
constexpr int kExitError = 2;    // bad usage, bad query, missing or incompatible index

struct Options {
    std::optional<std::string> index;
    std::vector<std::string> words;
    std::optional<std::string> since, until, show, like;
    std::vector<std::string> authors, sources, languages, leaders, countries, organisations, facets;
    std::optional<std::string> gazetteer;
    std::size_t facet_limit = 10;
    std::string sort = "relevance";
    std::string color = "auto";
    unsigned limit = 10;
    unsigned offset = 0;
    bool json = false;
    bool any = false;
    bool allow_partial = false;
};

bool use_colour(const std::string& mode) {
    if (mode == "always") return true;
    if (mode == "never") return false;
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    return isatty(STDOUT_FILENO) && !(no_color && *no_color) && !(term && std::string(term) == "dumb");
}

int run(const Options& o) {
    // The gazetteer is loaded only if a filter names an entity.
    auto gazetteer = [dir = o.gazetteer] { return pundit::Gazetteer::load(pundit::Gazetteer::locate(dir)); };
    pundit::OpenOptions open_options;
    open_options.allow_partial = o.allow_partial;
    pundit::Searcher searcher(pundit::resolve_index_path(o.index), gazetteer, open_options);
    if (o.show) {
        std::optional<pundit::Article> article = searcher.find(*o.show);
        if (!article) {
            std::cerr << "searcher: error: no article with id '" << *o.show << "'\n";
            return kExitNotFound;
        }
        o.json ? pundit::print_article_json(*article, std::cout) : pundit::print_article_text(*article, std::cout);
        return kExitOk;
    }
    if (o.like && !searcher.find(*o.like)) {
        std::cerr << "searcher: error: no article with id '" << *o.like << "' (--like needs the id of an indexed article)\n";
        return kExitNotFound;
    }
    pundit::QuerySpec spec;
    if (o.like) spec.like = *o.like;
    for (const std::string& w : o.words) spec.query += (spec.query.empty() ? "" : " ") + w;
    spec.match_any = o.any;
    spec.since = o.since;
    spec.until = o.until;
    spec.authors = o.authors;
    spec.sources = o.sources;
    spec.languages = o.languages;
    spec.leaders = o.leaders;
    spec.countries = o.countries;
    spec.organisations = o.organisations;
    spec.facets = o.facets;
    spec.facet_limit = o.facet_limit;
    spec.sort = pundit::parse_sort_order(o.sort);
    spec.limit = o.limit;
    spec.offset = o.offset;
    pundit::SearchResults results = searcher.search(spec);
    if (!results.missing_shards.empty()) {
        std::cerr << "searcher: warning: results are partial; shards not reached:";
        for (const std::string& shard : results.missing_shards) std::cerr << ' ' << shard;
        std::cerr << '\n';
    }
    for (const std::string& warning : results.warnings) std::cerr << "searcher: warning: " << warning << '\n';
    if (o.json) {
        pundit::print_results_json(results, std::cout);
    } else {
        pundit::print_results_text(results, pundit::TextStyle{use_colour(o.color)}, std::cout);
    }
    return kExitOk;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"Search a Pundit index of news commentary.", "searcher"};
    app.set_version_flag("--version", std::string("searcher (Pundit) ") + PUNDIT_VERSION);
    Options o;
    app.add_option("query", o.words, "Query in Xapian syntax: words, \"phrases\", AND/OR/NOT, NEAR, wild*, "
                                      "title:/author:/source: (no query lists every article)");
    app.add_option("--index", o.index, "Index directory (default: $NEWS_INDEX, else ~/.local/share/pundit/index)");
    app.add_flag("--any", o.any, "Match articles with any of the words, best first (default: all of them); "
                                 "for questions and pasted text");
    app.add_option("--since", o.since, "Only articles dated on or after YYYY-MM-DD");
    app.add_option("--until", o.until, "Only articles dated on or before YYYY-MM-DD");
    app.add_option("--author", o.authors, "Only articles by this author (repeat for any of several)")
        ->allow_extra_args(false);
    app.add_option("--source", o.sources, "Only articles from this source (repeat for any of several)")
        ->allow_extra_args(false);
    app.add_option("--language", o.languages, "Only articles in this language: en, ru, zh, ja, ... (repeat for any of several)")
        ->allow_extra_args(false);
    app.add_option("--leader", o.leaders, "Only articles that discuss this leader (any alias: erdogan, AMLO, "
                                          "\"George W. Bush\"); repeat for articles about all of them")
        ->allow_extra_args(false);
    app.add_option("--country", o.countries, "Only articles that discuss this country (repeat: all of them)")
        ->allow_extra_args(false);
    app.add_option("--org", o.organisations, "Only articles that discuss this organisation (repeat: all of them)")
        ->allow_extra_args(false);
    app.add_option("--facet", o.facets, "Count the matches by leader, country, org, author, source or year "
                                        "(repeatable); with --limit 0 only the counts")
        ->allow_extra_args(false)
        ->check(CLI::IsMember({"leader", "country", "org", "author", "source", "year"}));
    app.add_option("--facet-limit", o.facet_limit, "Values listed per facet (default 10; 0 lists all)");
    app.add_option("--gazetteer", o.gazetteer, "Gazetteer directory (default: $PUNDIT_GAZETTEER, else the installed one)");
    app.add_option("--sort", o.sort, "relevance (default), newest or oldest")
        ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
    app.add_option("--limit", o.limit, "Hits to show (default 10; 0 prints only the count)");
    app.add_option("--offset", o.offset, "Hits to skip, for paging");
    app.add_flag("--allow-partial", o.allow_partial,
                 "Search the shards that answer when some do not (a warning names the others)");
    app.add_flag("--json", o.json, "Print one JSON object (format documented in the README)");
    app.add_option("--show", o.show, "Print the stored article with this id in full");
    app.add_option("--like", o.like, "List articles similar to the article with this id, most similar first "
                                     "(combines with the query words, filters, --facet and --json)")
        ->excludes("--show");
    app.add_option("--color,--colour", o.color, "auto (default), always or never; NO_COLOR is respected")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    app.footer("Examples:\n  searcher putin abe\n  searcher '\"belt and road\" NOT title:africa' --since 2015-01-01\n"
               "  searcher --author 'Marta Kowalczyk' --sort newest --limit 5\n  searcher --show 2019-putin-abe\n"
               "  searcher --leader putin --leader xi sanctions\n"
               "  searcher --any 'why did mandela and de klerk share power'\n"
               "  searcher --facet leader --limit 0 --since 2018-01-01\n"
               "  searcher --like 2003-bush-iraq --since 2000-01-01 --limit 5\n\n"
               "A misspelt query that matches few articles gets a correction: Did you mean: putin sanctions.\n\n"
               "Exit status: 0 success, 1 --show or --like id not found, 2 error.");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? kExitOk : kExitError;
    }
    try {
        return run(o);
    } catch (const pundit::Error& e) {
        std::cerr << "searcher: error: " << e.what() << '\n';
        return kExitError;
    } catch (const std::exception& e) {
        std::cerr << "searcher: internal error: " << e.what() << '\n';
        return kExitError;
    } catch (const Xapian::Error& e) {
        // Core turns Xapian's errors into pundit::Error; one that escaped is a bug.
        std::cerr << "searcher: internal error: " << e.get_description() << '\n';
        return kExitError;
    }
}
