// searcher: ranked keyword search over a Pundit index.
#include <cstdlib>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <xapian.h>

#include "pundit/clock.hpp"
#include "pundit/error.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/index.hpp"
#include "pundit/query_builder.hpp"
#include "pundit/result_printer.hpp"
#include "pundit/searcher.hpp"
#include "pundit/text_format.hpp"
#include "pundit/timeline.hpp"
#include "saved.hpp"

namespace {

using pundit::sanitise_for_terminal;

constexpr int kExitOk = 0;
constexpr int kExitNotFound = 1; // --show or --like named an id the index does not hold
constexpr int kExitError = 2;    // bad usage, bad query, missing or incompatible index

struct Options {
    std::optional<std::string> index;
    std::vector<std::string> words;
    std::optional<std::string> since, until, show, like;
    std::vector<std::string> authors, sources, languages, leaders, countries, organisations, facets;
    std::optional<std::string> gazetteer;
    std::optional<std::string> timeline; // year or month
    std::optional<std::string> plot;     // SVG file for the timeline
    bool limit_given = false;            // --limit on the command line
    std::size_t facet_limit = 10;
    std::string sort = "relevance";
    std::string color = "auto";
    unsigned limit = 10;
    unsigned offset = 0;
    bool json = false;
    bool any = false;
    bool allow_partial = false;
    bool no_collapse = false;
    cli::SavedOptions saved;
};

bool use_colour(const std::string& mode) {
    if (mode == "always") return true;
    if (mode == "never") return false;
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    return isatty(STDOUT_FILENO) && !(no_color && *no_color) && !(term && std::string(term) == "dumb");
}

// Terminal width when neither COLUMNS nor the terminal says.
constexpr std::size_t kDefaultColumns = 80;

std::size_t terminal_columns() {
    if (const char* columns = std::getenv("COLUMNS")) {
        char* end = nullptr;
        const unsigned long n = std::strtoul(columns, &end, 10);
        if (end != columns && *end == '\0' && n > 0) return n;
    }
    winsize size{};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return kDefaultColumns;
}

// A query word starting with '-' (a negation: "-blair") that CLI11 took for
// an unknown option: how to search for it instead.
std::optional<std::string> negation_hint(const CLI::ParseError& e, const std::vector<std::string>& extras) {
    if (!dynamic_cast<const CLI::ExtrasError*>(&e)) return std::nullopt;
    for (const std::string& extra : extras) {
        if (extra.size() > 1 && extra[0] == '-' && extra[1] != '-') {
            return "To search for a word starting with '-', put -- before the query: searcher [OPTIONS] -- '" +
                   extra + "'";
        }
    }
    return std::nullopt;
}

int run(const Options& o) {
    const std::string index_path = pundit::resolve_index_path(o.index);
    if (std::optional<int> code = cli::run_saved_command(o.saved, index_path, o.index, std::cout)) return *code;
    // The gazetteer is loaded only if a filter names an entity; an --any
    // query reads the countries' demonyms alone.
    auto gazetteer = [dir = o.gazetteer] { return pundit::Gazetteer::load_names(pundit::Gazetteer::locate(dir)); };
    pundit::OpenOptions open_options;
    open_options.allow_partial = o.allow_partial;
    // Every shard takes a few files, and an index by year may have hundreds.
    pundit::raise_open_file_limit();
    pundit::Searcher searcher(index_path, gazetteer, open_options);
    searcher.set_country_forms_source(
        [dir = o.gazetteer] { return pundit::Gazetteer::load_country_forms(pundit::Gazetteer::locate(dir)); });
    if (o.show) {
        std::optional<pundit::Article> article = searcher.find(*o.show);
        if (!article) {
            std::cerr << "searcher: error: no article with id '" << sanitise_for_terminal(*o.show)
                      << "' (every search hit shows its id: searcher WORDS)\n";
            return kExitNotFound;
        }
        o.json ? pundit::print_article_json(*article, std::cout) : pundit::print_article_text(*article, std::cout);
        return kExitOk;
    }
    if (o.like && !searcher.find(*o.like)) {
        std::cerr << "searcher: error: no article with id '" << sanitise_for_terminal(*o.like)
                  << "' (--like needs the id of an indexed article)\n";
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
    if (o.timeline) {
        spec.timeline = pundit::parse_timeline_period(*o.timeline);
        // The chart replaces the hit list unless hits are asked for.
        if (!o.limit_given) spec.limit = 0;
    }
    spec.offset = o.offset;
    spec.collapse = !o.no_collapse;
    std::optional<cli::PendingSave> pending = cli::prepare_saved(o.saved, index_path, o.index, spec);
    pundit::SearchResults results = searcher.search(spec);
    if (!results.missing_shards.empty()) {
        std::cerr << "searcher: warning: results are partial; shards not reached:";
        for (const std::string& shard : results.missing_shards) std::cerr << ' ' << sanitise_for_terminal(shard);
        std::cerr << '\n';
    }
    for (const std::string& warning : results.warnings) {
        std::cerr << "searcher: warning: " << sanitise_for_terminal(warning) << '\n';
    }
    // On stderr with --json too, as the warnings are; the JSON has them as well.
    for (const std::string& note : results.notes) {
        std::cerr << "searcher: note: " << sanitise_for_terminal(note) << '\n';
    }
    // The chart file first: if it cannot be written, nothing is printed.
    if (o.plot) pundit::save_timeline_svg(*results.timeline, *o.plot);
    if (o.json) {
        pundit::print_results_json(results, std::cout);
    } else {
        if (pending && pending->since_last) {
            std::cout << "Added since " << pundit::format_utc(*pending->since_last) << ", when '"
                      << sanitise_for_terminal(pending->name) << "' last ran:\n";
        }
        pundit::print_results_text(results, pundit::TextStyle{use_colour(o.color), terminal_columns()}, std::cout);
    }
    if (pending) cli::finish_saved(*pending, index_path, std::cerr);
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
    app.add_option("--since", o.since, "Only articles dated on or after this day, or from the start of this month "
                                        "or year: YYYY-MM-DD, YYYY-MM or YYYY");
    app.add_option("--until", o.until, "Only articles dated on or before this day, or up to the end of this month "
                                        "or year: YYYY-MM-DD, YYYY-MM or YYYY");
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
        ->check(CLI::IsMember(pundit::facet_names()));
    app.add_option("--facet-limit", o.facet_limit, "Values listed per facet (default 10; 0 lists all)");
    auto* timeline = app.add_option("--timeline", o.timeline,
                                    "Chart the matches per year or month (instead of the hits, unless --limit "
                                    "is given); with --json the series")
                         ->check(CLI::IsMember({"year", "month"}));
    app.add_option("--plot", o.plot, "With --timeline: also write the chart as an SVG file (FILE.svg)")
        ->type_name("FILE")
        ->needs(timeline);
    app.add_option("--gazetteer", o.gazetteer, "Gazetteer directory (default: $PUNDIT_GAZETTEER, else the installed one)");
    app.add_option("--sort", o.sort, "relevance (default; without words: prominence when filtering by leader, "
                                      "country or org, else newest), newest, oldest or prominence (articles most "
                                      "about the leaders, countries or orgs searched for first)")
        ->check(CLI::IsMember({"relevance", "newest", "oldest", "prominence"}));
    app.add_option("--limit", o.limit, "Hits to show (default 10; 0 prints only the count, an exact one)");
    app.add_option("--offset", o.offset, "Hits to skip, for paging");
    app.add_flag("--no-collapse", o.no_collapse,
                 "List identical articles (same body) as hits of their own instead of one hit naming the others");
    app.add_flag("--allow-partial", o.allow_partial,
                 "Search the shards that answer when some do not (a warning names the others)");
    app.add_flag("--json", o.json, "Print one JSON object (format in pundit-json(5))");
    app.add_option("--show", o.show, "Print the stored article with this id in full");
    cli::register_saved(app, o.saved);
    app.add_option("--like", o.like, "List articles similar to the article with this id, most similar first "
                                     "(combines with the query words, filters, --facet and --json)")
        ->excludes("--show");
    app.add_option("--color,--colour", o.color, "auto (default), always or never; NO_COLOR is respected")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    app.footer("Examples:\n  searcher putin abe\n  searcher '\"belt and road\" NOT title:africa' --since 2015-01-01\n"
               "  searcher --author 'Marta Kowalczyk' --sort newest --limit 5\n  searcher --show 2019-putin-abe\n"
               "  searcher --leader putin --leader xi sanctions\n"
               "  searcher --leader erdogan --since 2016 --until 2016-06   (most about Erdogan first)\n"
               "  searcher --any 'why did mandela and de klerk share power'\n"
               "  searcher --facet leader --limit 0 --since 2018-01-01\n"
               "  searcher --index ~/news.idx --until 1999-12-31 --country russia --org nato yeltsin\n"
               "  searcher --source 'The Meridian Review' --language en --facet year --facet-limit 0\n"
               "  searcher --json --limit 20 --offset 20 sanctions   (the second page, as JSON)\n"
               "  searcher --color always putin | less -R\n"
               "  searcher --gazetteer ~/gazetteer --allow-partial --leader modi\n"
               "  searcher --save putin --leader putin --since 2022-01-01   (save a search and run it)\n"
               "  searcher --run putin --new-since-last   (what was added since it last ran)\n"
               "  searcher --run putin ukraine --sort newest   (more words; filters given replace saved ones)\n"
               "  searcher --saved\n  searcher --forget putin\n"
               "  searcher --leader putin --facet leader   (who is discussed together with Putin)\n"
               "  searcher --leader putin --limit 0 -- -ukraine   (how many of them never name Ukraine)\n"
               "  searcher --timeline year --leader putin\n"
               "  searcher --timeline month --since 2022-01-01 --plot ukraine.svg ukraine\n"
               "  searcher --like 2003-bush-iraq --since 2000-01-01 --limit 5\n"
               "  searcher --version\n\n"
               "A misspelt query that matches few articles gets a correction: Did you mean: putin sanctions.\n\n"
               "Exit status: 0 success, 1 --show or --like id not found, 2 error.");
    // A repeated option that takes one value keeps the last (--limit 50 ...
    // --limit 1), as most command lines do; repeatable ones keep them all.
    for (CLI::Option* option : app.get_options()) {
        if (option->get_items_expected_max() == 1) option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    }
    app.failure_message([](const CLI::App* parser, const CLI::Error& e) {
        return parser->get_name() + ": error: " + e.what() + " (" + parser->get_name() + " --help lists the options)\n";
    });
    try {
        app.parse(argc, argv);
        o.limit_given = app.count("--limit") > 0;
    } catch (const CLI::ParseError& e) {
        // CLI11's messages quote the option values given, which may hold
        // anything a script pasted in.
        std::ostringstream message;
        int code = app.exit(e, std::cout, message);
        std::string text = message.str();
        if (std::optional<std::string> hint = negation_hint(e, app.remaining())) {
            const std::size_t line_end = text.find('\n');
            text.insert(line_end == std::string::npos ? text.size() : line_end + 1, *hint + "\n");
        }
        std::cerr << sanitise_for_terminal(text, pundit::LineBreaks::keep);
        return code == 0 ? kExitOk : kExitError;
    }
    try {
        return run(o);
    } catch (const pundit::Error& e) {
        // Messages quote paths, queries and ids as given.
        std::cerr << "searcher: error: " << sanitise_for_terminal(e.what()) << '\n';
        return kExitError;
    } catch (const std::exception& e) {
        std::cerr << "searcher: internal error: " << sanitise_for_terminal(e.what()) << '\n';
        return kExitError;
    } catch (const Xapian::Error& e) {
        // Core turns Xapian's errors into pundit::Error; one that escaped is a bug.
        std::cerr << "searcher: internal error: " << sanitise_for_terminal(e.get_description()) << '\n';
        return kExitError;
    }
}
