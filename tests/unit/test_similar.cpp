#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "gazetteer_fixture.hpp"
#include "pundit/error.hpp"
#include "pundit/index_set.hpp"
#include "pundit/ingest.hpp"
#include "pundit/schema.hpp"
#include "pundit/searcher.hpp"
#include "pundit/similar.hpp"
#include "corpus_fixture.hpp"
#include "temp_dir.hpp"

namespace {


} // namespace

TEST_CASE("expansion terms are stemmed words of the general text") {
    const struct {
        const char* term;
        bool kept;
    } rows[] = {
        {"Zsanction", true}, {"Zputin", true},   {"Zпутин", true},   {"sanctions", false},
        {"ZSputin", false},  {"ZAdoe", false},   {"Q2003-bush-iraq", false},
        {"XLEADER:vladimir-putin", false},       {"Len", false},     {"Zthe", false},
        {"Za", false},
    };
    for (const auto& row : rows) {
        CAPTURE(std::string(row.term));
        CHECK(pundit::is_similarity_term(row.term) == row.kept);
    }
}

TEST_CASE("more like this: similar articles, never the article itself") {
    test::TempDir dir;
    const std::string path = test::index_corpus(dir / "idx", 1);
    Xapian::Database db(path);
    CHECK_FALSE(pundit::similar_query(db, "no-such-article"));

    pundit::Searcher searcher(path, [] { return test::gazetteer(); });
    pundit::QuerySpec spec;
    spec.like = "2003-bush-iraq";
    spec.limit = 100;
    pundit::SearchResults results = searcher.search(spec);
    REQUIRE(!results.hits.empty());
    CHECK(results.like == "2003-bush-iraq");
    CHECK(results.total < searcher.document_count());
    for (const pundit::Hit& hit : results.hits) CHECK(hit.article.id != "2003-bush-iraq");
    // Bush, Saddam and Iraq: the column on the first Gulf war comes first.
    CHECK(results.hits.front().article.id == "1991-bush-after-the-union");
    // Ranked by similarity, most similar first.
    for (std::size_t i = 1; i < results.hits.size(); ++i) CHECK(results.hits[i - 1].score >= results.hits[i].score);

    // Filters narrow the similar articles down, in the same order.
    spec.since = "2015-01-01";
    pundit::SearchResults recent = searcher.search(spec);
    CHECK(recent.total < results.total);
    std::vector<std::string> expected;
    for (const pundit::Hit& hit : results.hits) {
        if (hit.article.date >= "2015-01-01") expected.push_back(hit.article.id);
    }
    std::vector<std::string> got;
    for (const pundit::Hit& hit : recent.hits) got.push_back(hit.article.id);
    CHECK(got == expected);

    spec.like = "no-such-article";
    CHECK_THROWS_WITH_AS(searcher.search(spec), "no article with id 'no-such-article'", pundit::Error);
}

TEST_CASE("more like this: a sharded index lists the same articles in the same order") {
    test::TempDir dir;
    pundit::Searcher single(test::index_corpus(dir / "single", 1));
    pundit::Searcher sharded(test::index_corpus(dir / "sharded", 3));
    for (const char* id : {"2003-bush-iraq", "1994-mandela-inauguration", "lantern-2014-crimea"}) {
        CAPTURE(std::string(id));
        pundit::QuerySpec spec;
        spec.like = id;
        spec.limit = 100;
        auto a = single.search(spec), b = sharded.search(spec);
        REQUIRE(a.hits.size() == b.hits.size());
        CHECK(!a.hits.empty());
        for (std::size_t i = 0; i < a.hits.size(); ++i) {
            CHECK(a.hits[i].article.id == b.hits[i].article.id);
            CHECK(a.hits[i].score == doctest::Approx(b.hits[i].score));
        }
    }
}
