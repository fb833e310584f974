#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "pundit/document_builder.hpp"
#include "pundit/facet_cache.hpp"
#include "pundit/index_set.hpp"
#include "pundit/ingest.hpp"
#include "pundit/paging.hpp"
#include "pundit/searcher.hpp"
#include "gazetteer_fixture.hpp"
#include "temp_dir.hpp"

namespace {

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
