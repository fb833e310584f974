#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>

#include "pundit/document_builder.hpp"
#include "pundit/facet_cache.hpp"
#include "pundit/index_set.hpp"
#include "pundit/ingest.hpp"
#include "pundit/paging.hpp"
#include "pundit/schema.hpp"
#include "pundit/searcher.hpp"
#include "corpus_fixture.hpp"
#include "gazetteer_fixture.hpp"
#include "search_fixture.hpp"
#include "temp_dir.hpp"

namespace {

using Fixture = test::SmallIndex;
using test::all_hits;
using test::corpus;
using test::make_article;

std::vector<std::string> ids(const pundit::SearchResults& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits) out.push_back(h.article.id);
    return out;
}

} // namespace

TEST_CASE("paging: a value sort stands for prominence where only a date order will do") {
    using pundit::SortOrder;
    const std::pair<SortOrder, SortOrder> rows[] = {{SortOrder::relevance, SortOrder::relevance},
                                                    {SortOrder::newest, SortOrder::newest},
                                                    {SortOrder::oldest, SortOrder::oldest},
                                                    {SortOrder::prominence, SortOrder::newest}};
    for (const auto& [sort, expected] : rows) CHECK(pundit::date_order_of(sort) == expected);
}

TEST_CASE("search: hits tied in weight come in date and id order, within the tie margin and past it") {
    // Identical articles weigh the same: 20 fit in the margin of hits fetched
    // past a page of 10, 70 do not (Xapian then orders them itself).
    test::TempDir dir;
    for (int copies : {20, 70}) {
        CAPTURE(copies);
        auto build = [&](const std::string& name, std::size_t shards) {
            const std::string path = dir / (name + std::to_string(copies));
            pundit::IndexSet index(path, shards);
            pundit::DocumentBuilder builder;
            // Ids written in an order unlike their sorted order, so that
            // insertion (docid) order is not the answer.
            for (int i = 0; i < copies; ++i) {
                pundit::Article a;
                a.id = "copy-" + std::to_string((i * 37) % copies + 100);
                a.title = "Sanctions again";
                a.body = "The same wire story about sanctions, filed again.";
                a.date = i % 3 == 0 ? "" : "2020-01-0" + std::to_string(1 + i % 2);
                index.shard(index.shard_of(a.id)).put(builder.build(a));
            }
            index.commit();
            return path;
        };
        pundit::Searcher single(build("single", 1)), sharded(build("sharded", 3));
        // Expected: dated first by date, then undated, each by id.
        std::vector<std::string> expected;
        for (int i = 0; i < copies; ++i) {
            const std::string date = i % 3 == 0 ? "9" : "2020-01-0" + std::to_string(1 + i % 2);
            expected.push_back(date + " copy-" + std::to_string((i * 37) % copies + 100));
        }
        std::sort(expected.begin(), expected.end());
        for (std::string& e : expected) e = e.substr(e.find(' ') + 1);
        for (Xapian::doccount offset : {0u, 10u}) {
            CAPTURE(offset);
            pundit::QuerySpec spec;
            spec.query = "sanctions";
            spec.offset = offset;
            spec.limit = 10;
            spec.collapse = false;
            const std::vector<std::string> want(expected.begin() + offset, expected.begin() + offset + 10);
            CHECK(ids(single.search(spec)) == want);
            CHECK(ids(sharded.search(spec)) == want);
        }
        // Folded, they are one hit, the first of the tie, naming the others in order.
        pundit::QuerySpec spec;
        spec.query = "sanctions";
        for (pundit::Searcher* searcher : {&single, &sharded}) {
            const pundit::SearchResults folded = searcher->search(spec);
            CHECK(ids(folded) == std::vector<std::string>{expected.front()});
            REQUIRE(folded.hits.size() == 1);
            CHECK(folded.hits[0].duplicates == std::vector<std::string>(expected.begin() + 1, expected.end()));
            CHECK(folded.total == static_cast<Xapian::doccount>(copies));
        }
    }
}

TEST_CASE("search without words: the facet cache's date order gives the same pages as sorting by the key slot") {
    test::TempDir dir;
    const std::string path = dir / "cached";
    pundit::IngestOptions options;
    options.gazetteer = test::gazetteer();
    // 60 articles over few dates (ties within a day), some undated, two
    // sources, every third about Putin.
    auto articles = [](int from, int to) {
        std::string jsonl;
        for (int i = from; i < to; ++i) {
            const std::string date = i % 7 == 0 ? "" : ",\"date\":\"2019-0" + std::to_string(1 + i % 5) + "-1" + std::to_string(i % 3) + "\"";
            jsonl += "{\"id\":\"n" + std::to_string((i * 37) % 101) + "\",\"title\":\"Report " + std::to_string(i) +
                     "\",\"body\":\"" + (i % 3 == 0 ? "Vladimir Putin spoke." : "Markets moved.") + "\",\"source\":\"" +
                     (i % 2 ? "The Harbour Post" : "The Meridian Review") + "\"" + date + "}\n";
        }
        return jsonl;
    };
    auto add = [&](const std::string& jsonl) {
        pundit::IndexSet index(path, 3);
        std::istringstream in(jsonl);
        std::ostringstream diagnostics;
        pundit::ingest(index, {"-"}, options, in, diagnostics);
        CHECK(diagnostics.str() == "");
    };
    auto compare = [&](const std::string& note) {
        CAPTURE(note);
        // The same index without its cache sorts by the key slot.
        const std::string copy = dir / ("stock-" + note);
        std::filesystem::copy(path, copy, std::filesystem::copy_options::recursive);
        std::filesystem::remove(pundit::facet_cache_path(copy));
        auto states = pundit::local_shard_states(path);
        REQUIRE(states);
        REQUIRE(pundit::FacetCache::open(path, *states) != nullptr);
        pundit::Searcher cached(path, [] { return test::gazetteer(); });
        pundit::Searcher stock(copy, [] { return test::gazetteer(); });
        for (auto sort : {pundit::SortOrder::relevance, pundit::SortOrder::oldest, pundit::SortOrder::newest}) {
            for (int filter = 0; filter < 4; ++filter) {
                for (Xapian::doccount offset : {0u, 4u, 17u, 55u}) {
                    pundit::QuerySpec spec;
                    spec.sort = sort;
                    spec.offset = offset;
                    spec.limit = 9;
                    spec.collapse = false; // two bodies in all
                    if (filter == 1) spec.leaders = {"putin"};
                    if (filter == 2) spec.sources = {"The Harbour Post"};
                    if (filter == 3) spec.since = "2019-02-01";
                    CAPTURE(static_cast<int>(sort));
                    CAPTURE(filter);
                    CAPTURE(offset);
                    const pundit::SearchResults a = cached.search(spec), b = stock.search(spec);
                    CHECK(ids(a) == ids(b));
                    CHECK(a.total == b.total);
                    if (offset == 0) CHECK(a.hits.size() == std::min<std::size_t>(9, b.total));
                    // Folding the copies of its two bodies: the first of each.
                    spec.collapse = true;
                    const pundit::SearchResults c = cached.search(spec), d = stock.search(spec);
                    CHECK(ids(c) == ids(d));
                    CHECK(c.total == a.total);
                    std::vector<std::string> firsts;
                    for (std::size_t i = 0; i < a.hits.size(); ++i) {
                        bool seen = false;
                        for (std::size_t j = 0; j < i; ++j) seen = seen || a.hits[j].article.body == a.hits[i].article.body;
                        if (!seen) firsts.push_back(a.hits[i].article.id);
                    }
                    if (offset == 0) CHECK(ids(c) == firsts);
                    spec.collapse = false;
                }
            }
        }
    };
    add(articles(0, 40));
    compare("first");
    // New articles, and new versions of old ones: the cache is rewritten.
    add(articles(30, 60));
    compare("second");
}

TEST_CASE("search: everything, paging and counts") {
    Fixture f;
    pundit::Searcher s(f.path);
    pundit::QuerySpec spec;
    spec.sort = pundit::SortOrder::newest;
    spec.limit = 2;
    spec.offset = 1;
    auto r = s.search(spec);
    CHECK(r.total == 7);
    CHECK(r.total_exact);
    CHECK(ids(r) == std::vector<std::string>{"russian", "field-gap"});
    CHECK(r.hits[0].rank == 2);
    spec.limit = 0;
    auto counts = s.search(spec);
    CHECK(counts.hits.empty());
    CHECK(counts.total == 7);
}

TEST_CASE("search: a limit up to the largest count pages like a large one, and offset + limit never wraps") {
    pundit::Searcher s(corpus().path, [] { return test::gazetteer(); });
    constexpr Xapian::doccount kLargest = std::numeric_limits<Xapian::doccount>::max();
    struct Row {
        const char* query;
        pundit::SortOrder sort;
        bool facet; // a facet makes the search count every match
    };
    const Row rows[] = {
        {"president", pundit::SortOrder::relevance, false}, {"president", pundit::SortOrder::newest, false},
        {"", pundit::SortOrder::relevance, false},          {"", pundit::SortOrder::oldest, true},
        {"president", pundit::SortOrder::relevance, true},  {"", pundit::SortOrder::newest, false},
    };
    for (const Row& row : rows) {
        CAPTURE(row.query);
        CAPTURE(static_cast<int>(row.sort));
        CAPTURE(row.facet);
        pundit::QuerySpec spec;
        spec.query = row.query;
        spec.sort = row.sort;
        if (row.facet) spec.facets = {"year"};
        const pundit::SearchResults every = all_hits(s, spec);
        REQUIRE(every.hits.size() > 2);
        std::vector<std::string> after_first = ids(every);
        after_first.erase(after_first.begin());
        for (Xapian::doccount limit : {kLargest, kLargest - 1, kLargest - 100}) {
            CAPTURE(limit);
            spec.offset = 1;
            spec.limit = limit;
            const pundit::SearchResults paged = s.search(spec);
            CHECK(ids(paged) == after_first);
            CHECK(paged.total == every.total);
            CHECK((!paged.hits.empty() && paged.hits.front().rank == 2));
        }
        spec.offset = kLargest;
        spec.limit = kLargest;
        const pundit::SearchResults beyond = s.search(spec);
        CHECK(beyond.hits.empty());
        CHECK(beyond.total == every.total);
    }
}

namespace {

// Wire copies: a, b and c are one body (b with another headline, case and
// punctuation), `other` another; the two without body words are not copies.
// Indexes the JSON Lines `jsonl` at `path` through `sharding`, with no diagnostic.
std::string index_jsonl(const pundit::ShardingRequest& sharding, const std::string& path, const std::string& jsonl) {
    pundit::IndexSet index(path, sharding);
    std::istringstream in(jsonl);
    std::ostringstream diagnostics;
    pundit::IngestOptions options;
    pundit::ingest(index, {"-"}, options, in, diagnostics);
    CHECK(diagnostics.str() == "");
    return path;
}

std::string wire_copies(const pundit::ShardingRequest& sharding, const std::string& path) {
    const std::string jsonl =
        R"({"id":"wire-a","date":"2020-01-02","title":"Rates rise","source":"Post","body":"The central bank raised rates by half a point on Tuesday."})" "\n"
        R"({"id":"wire-b","date":"2020-01-01","title":"Bank lifts borrowing costs","source":"Review","body":"The Central Bank raised rates, by half a point on Tuesday!"})" "\n"
        R"({"id":"wire-c","date":"2020-01-03","title":"Rates rise","source":"Herald","body":"The central bank raised rates by half a point on Tuesday."})" "\n"
        R"({"id":"other","date":"2020-01-04","title":"Rates held","source":"Post","body":"The central bank held rates on Wednesday."})" "\n"
        R"({"id":"bare-1","date":"2020-01-05","title":"Rates","source":"Post","body":"* * *"})" "\n"
        R"({"id":"bare-2","date":"2020-01-05","title":"Rates","source":"Post","body":"* * *"})" "\n";
    return index_jsonl(sharding, path, jsonl);
}

// `copies` articles with one body ("copy-NN", each naming sanctions six
// times, so they rank first) and `others` that name them once among more
// words, of several lengths ("other-NN"), indexed through `sharding`.
std::string sanction_copies(const pundit::ShardingRequest& sharding, const std::string& path, int copies,
                            int others) {
    auto two = [](int n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
    std::string jsonl;
    for (int i = 0; i < copies; ++i) {
        jsonl += R"({"id":"copy-)" + two(i) + R"(","date":"2021-03-)" + two(i % 28 + 1) +
                 R"(","title":"Sanctions","body":"Sanctions, sanctions, sanctions on oil: sanctions, sanctions, sanctions."})" "\n";
    }
    for (int i = 0; i < others; ++i) {
        std::string words;
        for (int w = 0; w <= i % 9; ++w) words += " ministers met on day " + std::to_string(i * 10 + w) + ".";
        jsonl += R"({"id":"other-)" + two(i) + R"(","date":"2021-04-)" + two(i % 28 + 1) +
                 R"(","title":"Talks )" + std::to_string(i) + R"(","body":"Sanctions were discussed.)" + words + R"("})" "\n";
    }
    return index_jsonl(sharding, path, jsonl);
}

// The hits as "id (duplicates...)", separated by " | ".
std::string folded(const pundit::SearchResults& r) {
    std::string out;
    for (const auto& h : r.hits) {
        if (!out.empty()) out += " | ";
        out += h.article.id;
        for (std::size_t i = 0; i < h.duplicates.size(); ++i) out += (i == 0 ? " (" : " ") + h.duplicates[i];
        if (!h.duplicates.empty()) out += ")";
    }
    return out;
}

// The hits of `rates` oldest first, then newest first, copies folded.
std::string rates_oldest_and_newest(const std::string& path) {
    pundit::Searcher s(path);
    pundit::QuerySpec spec;
    spec.query = "rates";
    spec.sort = pundit::SortOrder::oldest;
    const std::string oldest = folded(s.search(spec));
    spec.sort = pundit::SortOrder::newest;
    return oldest + " || " + folded(s.search(spec));
}

} // namespace

TEST_CASE("search: identical articles are one hit naming the others, and totals and facets count them all") {
    test::TempDir dir;
    pundit::Searcher single(wire_copies({pundit::ShardBy::hash, 1}, dir / "single"));
    pundit::Searcher sharded(wire_copies({pundit::ShardBy::hash, 3}, dir / "sharded"));
    pundit::Searcher by_year(wire_copies({pundit::ShardBy::year, std::nullopt}, dir / "by-year"));
    for (pundit::Searcher* searcher : {&single, &sharded, &by_year}) {
        pundit::Searcher& s = *searcher;
        pundit::QuerySpec spec;
        spec.query = "rates";
        spec.facets = {"source"};
        // Relevance: a and c tie (same headline and body), the older first; b's
        // headline lacks the word. The articles without body words stay apart
        // (and, short, rank first).
        pundit::SearchResults r = s.search(spec);
        CHECK(folded(r) == "bare-1 | bare-2 | other | wire-a (wire-c wire-b)");
        CHECK(r.total == 6);
        CHECK(r.total_exact);
        REQUIRE(r.facets.size() == 1);
        CHECK(r.facets[0].values.size() == 3);
        CHECK(r.facets[0].values[0].value == "Post");
        CHECK(r.facets[0].values[0].count == 4);
        CHECK(r.notes.empty());
        // Date orders show the first copy in that order.
        spec.sort = pundit::SortOrder::newest;
        CHECK(folded(s.search(spec)) == "bare-2 | bare-1 | other | wire-c (wire-a wire-b)");
        spec.sort = pundit::SortOrder::oldest;
        CHECK(folded(s.search(spec)) == "wire-b (wire-a wire-c) | other | bare-1 | bare-2");
        // Without words (the facet cache's date order), and paging through the folded list.
        spec.query.clear();
        spec.limit = 2;
        CHECK(folded(s.search(spec)) == "wire-b (wire-a wire-c) | other");
        spec.offset = 2;
        r = s.search(spec);
        CHECK(folded(r) == "bare-1 | bare-2");
        CHECK(r.total == 6);
        // Only matches are named: a copy that a filter leaves out is not.
        spec = {};
        spec.query = "rates";
        spec.sources = {"Post", "Review"};
        CHECK(folded(s.search(spec)) == "bare-1 | bare-2 | other | wire-a (wire-b)");
        // --no-collapse lists every article.
        spec = {};
        spec.query = "rates";
        spec.collapse = false;
        r = s.search(spec);
        CHECK(r.hits.size() == 6);
        CHECK(r.total == 6);
        for (const auto& hit : r.hits) CHECK(hit.duplicates.empty());
    }
}

TEST_CASE("search: pages of a ranking fold copies as the unfolded ranking lists them, however many fill the fetch") {
    // A few copies among the first matches are folded from the unfolded
    // fetch; 40 fill more than the fetch holds, and Xapian folds instead.
    // Either way each page is the unfolded ranking with every copy but the
    // first taken out, the first naming the others, and the total counts
    // them all; on one shard and on three.
    test::TempDir dir;
    for (int copies : {3, 40}) {
        for (std::size_t shards : {1, 3}) {
            CAPTURE(copies);
            CAPTURE(shards);
            const std::string path = dir / ("idx-" + std::to_string(copies) + "-" + std::to_string(shards));
            pundit::Searcher s(sanction_copies({pundit::ShardBy::hash, shards}, path, copies, 45));
            for (bool any : {false, true}) {
                CAPTURE(any);
                pundit::QuerySpec spec;
                spec.query = any ? "sanctions oil" : "sanctions";
                spec.match_any = any;
                spec.collapse = false;
                spec.limit = 1000;
                const pundit::SearchResults every = s.search(spec);
                REQUIRE(every.hits.size() == static_cast<std::size_t>(copies + 45));
                CHECK(every.hits[0].article.id.starts_with("copy-"));
                std::vector<std::string> expected;
                std::vector<std::string> copy_ids;
                for (const pundit::Hit& hit : every.hits) {
                    const bool copy = hit.article.id.starts_with("copy-");
                    if (copy) copy_ids.push_back(hit.article.id);
                    if (!copy || copy_ids.size() == 1) expected.push_back(hit.article.id);
                }
                spec.collapse = true;
                for (auto [offset, limit] : {std::pair{0, 10}, {10, 10}, {0, 5}, {5, 20}, {40, 10}}) {
                    CAPTURE(offset);
                    spec.offset = static_cast<Xapian::doccount>(offset);
                    spec.limit = static_cast<Xapian::doccount>(limit);
                    const pundit::SearchResults r = s.search(spec);
                    CHECK(r.total == static_cast<Xapian::doccount>(copies + 45));
                    CHECK(r.total_exact);
                    std::vector<std::string> shown;
                    for (const pundit::Hit& hit : r.hits) {
                        shown.push_back(hit.article.id);
                        if (hit.article.id == copy_ids.front()) {
                            CHECK(hit.duplicates == std::vector<std::string>(copy_ids.begin() + 1, copy_ids.end()));
                        } else {
                            CHECK(hit.duplicates.empty());
                        }
                    }
                    const std::size_t from = std::min(expected.size(), static_cast<std::size_t>(offset));
                    const std::size_t to = std::min(expected.size(), from + static_cast<std::size_t>(limit));
                    CHECK(shown == std::vector<std::string>(expected.begin() + from, expected.begin() + to));
                }
            }
        }
    }
}

TEST_CASE("search: an index built before fingerprints folds nothing and says how to record them") {
    test::TempDir dir;
    const std::string path = dir / "old";
    {
        pundit::IndexWriter writer(path);
        pundit::DocumentBuilder builder;
        for (const char* id : {"copy-1", "copy-2"}) {
            pundit::Article a = make_article(id, "2020-01-01", "Rates rise", "The central bank raised rates.");
            pundit::BuiltDocument built = builder.build(a);
            built.document.remove_value(pundit::schema::kFingerprintSlot);
            writer.put(std::move(built));
        }
        writer.commit();
    }
    pundit::Searcher s(path);
    pundit::QuerySpec spec;
    spec.query = "rates";
    pundit::SearchResults r = s.search(spec);
    CHECK(folded(r) == "copy-1 | copy-2");
    CHECK(r.notes == std::vector<std::string>{
                         "2 of the 2 articles were indexed before identical articles were recorded: copies among "
                         "them are not folded into one hit until `indexer add` indexes their files again"});
    spec.collapse = false;
    CHECK(s.search(spec).notes.empty());
}

TEST_CASE("search: copies are named through their fingerprint terms, or by value where articles predate the terms") {
    test::TempDir dir;
    // Three copies and an article apart; `without` of them built as before
    // the fingerprint terms (the value only), or, with `full_terms`, as
    // when each fingerprint had a term of its own ("XFP" + 16 hex digits,
    // and "XFPALL").
    for (bool full_terms : {false, true}) {
    for (int without : {0, 1, 3}) {
        CAPTURE(full_terms);
        CAPTURE(without);
        const std::string path = dir / ("idx-" + std::to_string(full_terms) + "-" + std::to_string(without));
        {
            pundit::IndexWriter writer(path);
            pundit::DocumentBuilder builder;
            int n = 0;
            for (const char* id : {"copy-1", "copy-2", "copy-3", "apart"}) {
                const bool copy = std::string(id) != "apart";
                pundit::Article a = make_article(id, "2020-01-0" + std::to_string(++n), "Rates rise",
                                                 copy ? "The central bank raised rates." : "Rates fell in May.");
                pundit::BuiltDocument built = builder.build(a);
                const std::string print = built.document.get_value(pundit::schema::kFingerprintSlot);
                REQUIRE(!print.empty());
                if (n <= without) {
                    built.document.remove_term(pundit::schema::fingerprint_term(print));
                    built.document.remove_term(std::string(pundit::schema::kFingerprintMarker));
                    if (full_terms) {
                        std::string term = "XFP";
                        for (unsigned char c : print) term += "0123456789abcdef"[c >> 4], term += "0123456789abcdef"[c & 15];
                        built.document.add_boolean_term(term);
                        built.document.add_boolean_term("XFPALL");
                    }
                }
                writer.put(std::move(built));
            }
            writer.commit();
            if (without == 0) {
                Xapian::Database db(path);
                CHECK(db.get_termfreq(std::string(pundit::schema::kFingerprintMarker)) == 4);
                CHECK(db.get_termfreq(pundit::schema::fingerprint_term(
                          db.get_document(1).get_value(pundit::schema::kFingerprintSlot))) == 3);
            }
        }
        CHECK(rates_oldest_and_newest(path) == "copy-1 (copy-2 copy-3) | apart || apart | copy-3 (copy-2 copy-1)");
    }
    }
}

TEST_CASE("search: articles whose fingerprints share a term are not named as copies of each other") {
    // A fingerprint's term holds 16 of its 64 bits: among a few hundred
    // different bodies two share one.
    pundit::DocumentBuilder builder;
    std::map<std::string, std::pair<std::string, std::string>> seen; // term -> body, fingerprint
    std::string first, second;
    for (int i = 0; i < 20000 && first.empty(); ++i) {
        const std::string body = "The central bank raised rates by " + std::to_string(i) + " points.";
        const std::string print =
            builder.build(make_article("probe", "2020-01-01", "Rates rise", body)).document.get_value(
                pundit::schema::kFingerprintSlot);
        auto [it, fresh] = seen.emplace(pundit::schema::fingerprint_term(print), std::pair{body, print});
        if (!fresh && it->second.second != print) {
            first = it->second.first;
            second = body;
        }
    }
    REQUIRE(!first.empty());
    test::TempDir dir;
    {
        pundit::IndexWriter writer(dir / "idx");
        writer.put(builder.build(make_article("one", "2020-01-01", "Rates rise", first)));
        writer.put(builder.build(make_article("one-copy", "2020-01-02", "Rates rise", first)));
        writer.put(builder.build(make_article("two", "2020-01-03", "Rates rise", second)));
        writer.commit();
        Xapian::Database db(dir / "idx");
        CHECK(db.get_termfreq(pundit::schema::fingerprint_term(db.get_document(1).get_value(
                  pundit::schema::kFingerprintSlot))) == 3);
    }
    CHECK(rates_oldest_and_newest(dir / "idx") == "one (one-copy) | two || two | one-copy (one)");
}
