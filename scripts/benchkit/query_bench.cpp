// query_bench: in-process query latency, with start-up left out. Runs a list
// of query specs (JSON Lines written by scripts/bench from queries.txt)
// against either
//   - a Pundit index, through the public pundit::Searcher API exactly as the
//     searcher binary drives it (QuerySpec in, top-N hits with snippets out), or
//   - the xapian_baseline index, through a stock Xapian::QueryParser (English
//     stemmer, STEM_SOME, default AND), fetching the document data of each hit.
// Every query runs once untimed (warm-up: caches, lazy gazetteer load), then
// `reps` timed rounds over the whole list.
//
// Usage: query_bench pundit|baseline INDEX_DIR SPECS.jsonl REPS [--limit N] [--facet NAME]...
// Output, one line per spec: INDEX<TAB>TOTAL<TAB>MICROSECONDS,MICROSECONDS,...
// A spec that fails prints INDEX<TAB>error<TAB>MESSAGE and the run goes on.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "pundit/gazetteer.hpp"
#include "pundit/query_builder.hpp"
#include "pundit/searcher.hpp"

namespace {

// The baseline keeps the date as YYYYMMDD in this slot (xapian_baseline.cpp).
constexpr Xapian::valueno kBaselineDateSlot = 0;

struct Spec {
    std::string query;
    std::optional<std::string> since, until;
    std::vector<std::string> leaders;
};

struct Options {
    std::string engine, index, specs;
    int reps = 5;
    Xapian::doccount limit = 10;
    std::vector<std::string> facets;
};

// Runs one spec and returns the number of matches (exact or estimated).
using Runner = std::function<Xapian::doccount(const Spec&)>;

std::vector<Spec> read_specs(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<Spec> specs;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const nlohmann::json j = nlohmann::json::parse(line);
        Spec s;
        s.query = j.value("query", "");
        if (j.contains("since")) s.since = j["since"].get<std::string>();
        if (j.contains("until")) s.until = j["until"].get<std::string>();
        if (j.contains("leaders")) s.leaders = j["leaders"].get<std::vector<std::string>>();
        specs.push_back(std::move(s));
    }
    return specs;
}

Runner pundit_runner(const Options& o) {
    // Searcher builds a QueryBuilder per search, and that asks the source for
    // the gazetteer on every entity query: a long-running caller has to keep
    // the loaded one, as this source does (loading it takes tens of ms).
    auto cache = std::make_shared<std::shared_ptr<const pundit::Gazetteer>>();
    auto gazetteer = [cache] {
        if (!*cache) *cache = pundit::Gazetteer::load(pundit::Gazetteer::locate(std::nullopt));
        return *cache;
    };
    auto searcher = std::make_shared<pundit::Searcher>(o.index, gazetteer);
    return [searcher, o](const Spec& s) {
        pundit::QuerySpec spec;
        spec.query = s.query;
        spec.since = s.since;
        spec.until = s.until;
        spec.leaders = s.leaders;
        spec.facets = o.facets;
        spec.limit = o.limit;
        return searcher->search(spec).total;
    };
}

std::string compact_date(const std::string& date) {
    return date.size() >= 10 ? date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2) : date;
}

// The baseline has no entity tags: a leader filter becomes the name as a
// phrase that must also match, the nearest stock-Xapian equivalent.
Runner baseline_runner(const Options& o) {
    auto db = std::make_shared<Xapian::Database>(o.index);
    auto parser = std::make_shared<Xapian::QueryParser>();
    parser->set_database(*db);
    parser->set_stemmer(Xapian::Stem("en"));
    parser->set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser->set_default_op(Xapian::Query::OP_AND);
    const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD;
    return [db, parser, flags, limit = o.limit](const Spec& s) {
        Xapian::Query query = s.query.empty() ? Xapian::Query::MatchAll : parser->parse_query(s.query, flags);
        for (const std::string& leader : s.leaders) {
            query = Xapian::Query(Xapian::Query::OP_AND, query, parser->parse_query('"' + leader + '"', flags));
        }
        if (s.since || s.until) {
            const std::string lo = s.since ? compact_date(*s.since) : "00000000";
            const std::string hi = s.until ? compact_date(*s.until) : "99999999";
            query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                                  Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kBaselineDateSlot, lo, hi));
        }
        Xapian::Enquire enquire(*db);
        enquire.set_query(query);
        Xapian::MSet mset = enquire.get_mset(0, limit);
        std::size_t bytes = 0;
        for (auto it = mset.begin(); it != mset.end(); ++it) bytes += it.get_document().get_data().size();
        (void)bytes;
        return mset.get_matches_estimated();
    };
}

} // namespace

int main(int argc, char** argv) {
    Options o;
    std::vector<std::string> positional;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--limit" && i + 1 < argc) {
            o.limit = static_cast<Xapian::doccount>(std::stoul(argv[++i]));
        } else if (arg == "--facet" && i + 1 < argc) {
            o.facets.emplace_back(argv[++i]);
        } else {
            positional.push_back(arg);
        }
    }
    if (positional.size() != 4 || (positional[0] != "pundit" && positional[0] != "baseline")) {
        std::cerr << "usage: query_bench pundit|baseline INDEX_DIR SPECS.jsonl REPS [--limit N] [--facet NAME]...\n";
        return 2;
    }
    o.engine = positional[0];
    o.index = positional[1];
    o.specs = positional[2];
    o.reps = std::stoi(positional[3]);
    try {
        const std::vector<Spec> specs = read_specs(o.specs);
        Runner run = o.engine == "pundit" ? pundit_runner(o) : baseline_runner(o);
        std::vector<std::vector<long>> micros(specs.size());
        std::vector<Xapian::doccount> totals(specs.size());
        std::vector<std::string> errors(specs.size());
        for (int round = 0; round <= o.reps; ++round) { // round 0 is the warm-up
            for (std::size_t i = 0; i < specs.size(); ++i) {
                if (!errors[i].empty()) continue;
                const auto start = std::chrono::steady_clock::now();
                try {
                    totals[i] = run(specs[i]);
                } catch (const std::exception& e) {
                    errors[i] = e.what();
                    continue;
                } catch (const Xapian::Error& e) {
                    errors[i] = e.get_description();
                    continue;
                }
                const auto elapsed = std::chrono::steady_clock::now() - start;
                if (round > 0) {
                    micros[i].push_back(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
                }
            }
        }
        for (std::size_t i = 0; i < specs.size(); ++i) {
            if (!errors[i].empty()) {
                std::cout << i << "\terror\t" << errors[i] << '\n';
                continue;
            }
            std::cout << i << '\t' << totals[i] << '\t';
            for (std::size_t r = 0; r < micros[i].size(); ++r) std::cout << (r ? "," : "") << micros[i][r];
            std::cout << '\n';
        }
    } catch (const Xapian::Error& e) {
        std::cerr << "query_bench: error: " << e.get_description() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "query_bench: error: " << e.what() << '\n';
        return 2;
    }
    return 0;
}
