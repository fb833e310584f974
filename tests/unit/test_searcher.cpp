#include <doctest/doctest.h>

#include "pundit/document_builder.hpp"
#include "pundit/index_writer.hpp"
#include "pundit/searcher.hpp"
#include "temp_dir.hpp"

namespace {

pundit::Article make(const std::string& id, const std::string& date, const std::string& title,
                     const std::string& body, const std::string& author = "", const std::string& source = "") {
    pundit::Article a;
    a.id = id;
    a.date = date;
    a.title = title;
    a.body = body;
    a.author = author;
    a.source = source;
    return a;
}

// A small index whose answers can be worked out by hand.
struct Fixture {
    test::TempDir dir;
    std::string path = dir / "idx";
    Fixture() {
        pundit::DocumentBuilder builder;
        pundit::IndexWriter writer(path);
        const pundit::Article articles[] = {
            make("title-hit", "2014-03-18", "Sanctions on Moscow", "The markets barely noticed the news from Brussels.",
                 "Jane Doe", "The Meridian Review"),
            make("body-hit", "2015-06-01", "Markets in Brussels", "The sanctions on Moscow barely moved the markets.",
                 "John Roe", "The Harbour Post"),
            make("field-gap", "2019-01-01", "A conversation with Vladimir", "Putin answered every question at length.",
                 "Jane Doe", "The Harbour Post"),
            make("accented", "2023-05-28", "Erdoğan wins a runoff", "Recep Tayyip Erdoğan defeated Kemal Kılıçdaroğlu.",
                 "Ayşe Demir", "The Meridian Review"),
            make("undated", "", "Putin and the Kremlin", "Vladimir Putin spoke in Moscow.", "", ""),
            make("russian", "2022-02-24", "Путин объявил", "Путин объявил о начале операции. Переговоры сорваны.", "", ""),
            make("chinese", "2013-09-07", "习近平提出丝绸之路经济带", "习近平在阿斯塔纳发表演讲。", "", ""),
        };
        for (const auto& a : articles) writer.put(builder.build(a));
        writer.commit();
    }
};

std::vector<std::string> ids(const pundit::SearchResults& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits) out.push_back(h.article.id);
    return out;
}

pundit::SearchResults run(pundit::Searcher& s, const std::string& q, pundit::SortOrder sort = pundit::SortOrder::relevance) {
    pundit::QuerySpec spec;
    spec.query = q;
    spec.sort = sort;
    return s.search(spec);
}

} // namespace

TEST_CASE("search: a headline match outranks the same words in the body") {
    Fixture f;
    pundit::Searcher s(f.path);
    CHECK(ids(run(s, "sanctions moscow")) == std::vector<std::string>{"title-hit", "body-hit"});
}

TEST_CASE("search: phrases never match across fields") {
    Fixture f;
    pundit::Searcher s(f.path);
    CHECK(ids(run(s, "\"vladimir putin\"")) == std::vector<std::string>{"undated"});
    CHECK(ids(run(s, "vladimir NEAR/2 putin")) == std::vector<std::string>{"undated"});
}

TEST_CASE("search: folding and stemming on both sides") {
    Fixture f;
    pundit::Searcher s(f.path);
    CHECK(ids(run(s, "erdogan")) == std::vector<std::string>{"accented"});
    CHECK(ids(run(s, "KILICDAROGLU")) == std::vector<std::string>{"accented"});
    CHECK(ids(run(s, "sanction")).size() == 2);
    CHECK(ids(run(s, "переговор")) == std::vector<std::string>{"russian"});
    CHECK(ids(run(s, "путина")) == std::vector<std::string>{"russian"}); // same Russian stem
    CHECK(ids(run(s, "习近平")) == std::vector<std::string>{"chinese"});
    CHECK(ids(run(s, "erdo*")) == std::vector<std::string>{"accented"});
}

TEST_CASE("search: field prefixes") {
    Fixture f;
    pundit::Searcher s(f.path);
    CHECK(ids(run(s, "title:sanctions")) == std::vector<std::string>{"title-hit"});
    CHECK(ids(run(s, "author:demir")) == std::vector<std::string>{"accented"});
    CHECK(ids(run(s, "source:harbour putin")) == std::vector<std::string>{"field-gap"});
    CHECK(ids(run(s, "putin NOT source:harbour")) == std::vector<std::string>{"undated"});
}

TEST_CASE("search: date filters, date order, undated last") {
    Fixture f;
    pundit::Searcher s(f.path);
    pundit::QuerySpec spec;
    spec.since = "2014-03-18";
    spec.until = "2019-01-01";
    spec.sort = pundit::SortOrder::oldest;
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"title-hit", "body-hit", "field-gap"});

    pundit::QuerySpec newest;
    newest.query = "putin";
    newest.sort = pundit::SortOrder::newest;
    CHECK(ids(s.search(newest)) == std::vector<std::string>{"field-gap", "undated"});
    newest.sort = pundit::SortOrder::oldest;
    CHECK(ids(s.search(newest)) == std::vector<std::string>{"field-gap", "undated"});

    pundit::QuerySpec until;
    until.until = "2013-12-31";
    CHECK(ids(s.search(until)) == std::vector<std::string>{"chinese"});
}

TEST_CASE("search: author and source filters") {
    Fixture f;
    pundit::Searcher s(f.path);
    pundit::QuerySpec spec;
    spec.authors = {"jane doe"};
    spec.sort = pundit::SortOrder::oldest;
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"title-hit", "field-gap"});
    spec.authors = {"Ayse Demir", "John Roe"};
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"body-hit", "accented"});
    spec.authors.clear();
    spec.sources = {"meridian review"};
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"title-hit", "accented"});
    spec.sources = {"nobody"};
    CHECK(s.search(spec).total == 0);
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

TEST_CASE("search: hits carry highlighted snippets of the original text") {
    Fixture f;
    pundit::Searcher s(f.path);
    auto r = run(s, "erdogan");
    REQUIRE(r.hits.size() == 1);
    CHECK(pundit::render_snippet(r.hits[0].snippet, "[", "]") == "Recep Tayyip [Erdoğan] defeated Kemal Kılıçdaroğlu.");
    CHECK(pundit::render_snippet(r.hits[0].title, "[", "]") == "[Erdoğan] wins a runoff");
}

TEST_CASE("find returns one stored article") {
    Fixture f;
    pundit::Searcher s(f.path);
    auto a = s.find("accented");
    REQUIRE(a.has_value());
    CHECK(a->title == "Erdoğan wins a runoff");
    CHECK(a->author == "Ayşe Demir");
    CHECK(s.find("title-hit")->language == "en");
    CHECK(s.find("russian")->language == "ru");
    CHECK_FALSE(s.find("nope").has_value());
}
