#include <doctest/doctest.h>

#include <sstream>

#include "pundit/result_printer.hpp"
#include "pundit/text_reader.hpp"

namespace {

pundit::SearchResults sample() {
    pundit::SearchResults r;
    r.query = "erdogan";
    r.total = 1234;
    r.total_exact = false;
    r.offset = 0;
    r.limit = 1;
    pundit::Hit hit;
    hit.rank = 1;
    hit.score = 2.718281828;
    hit.article.id = "2019-erdogan";
    hit.article.title = "Erdoğan wins";
    hit.article.date = "2019-06-29";
    hit.article.author = "Jane Doe";
    hit.article.body = "Body";
    hit.title = pundit::Snippet{"Erdoğan wins", {{0, 8}}};
    hit.snippet = pundit::Snippet{"…the vote for Erdoğan…", {{16, 24}}};
    hit.article.entities = {{pundit::EntityKind::leader, "recep-tayyip-erdogan", "Recep Tayyip Erdoğan", 2, true},
                            {pundit::EntityKind::country, "tr", "Turkey", 1, false}};
    r.hits.push_back(hit);
    r.facets.push_back(pundit::Facet{"leader", {{"Recep Tayyip Erdoğan", 1200}, {"Vladimir Putin", 45}}, 7, {}});
    return r;
}

} // namespace

TEST_CASE("text results without colour") {
    std::ostringstream out;
    pundit::print_results_text(sample(), pundit::TextStyle{false}, out);
    CHECK(out.str() ==
          "about 1,234 results (showing 1-1)\n"
          "\n"
          "1. 2019-06-29  Erdoğan wins\n"
          "   Jane Doe · id: 2019-erdogan\n"
          "   …the vote for Erdoğan…\n"
          "   leaders: Recep Tayyip Erdoğan\n"
          "\n"
          "leader (7 distinct values, top 2)\n"
          "   1200  Recep Tayyip Erdoğan\n"
          "     45  Vladimir Putin\n");
}

TEST_CASE("text results with colour mark matches, dim metadata") {
    std::ostringstream out;
    pundit::print_results_text(sample(), pundit::TextStyle{true}, out);
    CHECK(out.str() ==
          "about 1,234 results (showing 1-1)\n"
          "\n"
          "1. \x1b[2m2019-06-29\x1b[0m  \x1b[1m\x1b[1;31mErdoğan\x1b[0m\x1b[1m wins\x1b[0m\n"
          "   \x1b[2mJane Doe · id: 2019-erdogan\x1b[0m\n"
          "   …the vote for \x1b[1;31mErdoğan\x1b[0m…\n"
          "   \x1b[2mleaders: Recep Tayyip Erdoğan\x1b[0m\n"
          "\n"
          "\x1b[1mleader\x1b[0m (7 distinct values, top 2)\n"
          "   1200  Recep Tayyip Erdoğan\n"
          "     45  Vladimir Putin\n");
}

TEST_CASE("counts only") {
    auto r = sample();
    r.hits.clear();
    r.facets.clear();
    r.total = 1;
    r.total_exact = true;
    std::ostringstream out;
    pundit::print_results_text(r, pundit::TextStyle{false}, out);
    CHECK(out.str() == "1 result\n");
}

TEST_CASE("JSON results follow the documented format") {
    std::ostringstream out;
    pundit::print_results_json(sample(), out);
    CHECK(out.str() ==
          R"({"format_version":1,"query":"erdogan","total":1234,"total_exact":false,"offset":0,"limit":1,)"
          R"("hits":[{"rank":1,"score":2.7183,"id":"2019-erdogan","title":"Erdoğan wins","date":"2019-06-29",)"
          R"("author":"Jane Doe","source":null,"url":null,"snippet":"…the vote for Erdoğan…",)"
          R"("leaders":["Recep Tayyip Erdoğan"],"countries":["Turkey"],"organisations":[]}],)"
          R"("facets":{"leader":[{"value":"Recep Tayyip Erdoğan","count":1200},{"value":"Vladimir Putin","count":45}]},)"
          R"("facet_distinct":{"leader":7}})"
          "\n");
}

TEST_CASE("a stored article prints as text the indexer reads back") {
    pundit::Article a;
    a.id = "x";
    a.title = "T";
    a.body = "B1\n\nB2";
    a.date = "2001-02-03";
    a.source = "S";
    std::ostringstream out;
    pundit::print_article_text(a, out);
    CHECK(out.str() == "Title: T\nDate: 2001-02-03\nSource: S\nID: x\n\nT\n\nB1\n\nB2\n");
}

TEST_CASE("an entity facet under a filter of its kind is headed as the entities discussed together with it") {
    pundit::SearchResults r;
    r.total = 1234;
    r.total_exact = false;
    r.limit = 0;
    r.facets.push_back(pundit::Facet{"leader", {{"Xi Jinping", 40}}, 3, {"Vladimir Putin", "Narendra Modi"}});
    r.facets.push_back(pundit::Facet{"org", {}, 0, {"NATO"}});
    r.facets.push_back(pundit::Facet{"country", {{"Russia", 2}}, 1, {"China", "India", "Brazil"}});
    std::ostringstream out;
    pundit::print_results_text(r, pundit::TextStyle{false}, out);
    CHECK(out.str() ==
          "about 1,234 results\n"
          "\n"
          "Leaders discussed together with Vladimir Putin and Narendra Modi (about 1,234 articles; top 1 of 3):\n"
          "   40  Xi Jinping\n"
          "\n"
          "Organisations discussed together with NATO (about 1,234 articles):\n"
          "   no other organisations\n"
          "\n"
          "Countries discussed together with China, India and Brazil (about 1,234 articles):\n"
          "   2  Russia\n");
    std::ostringstream json;
    pundit::print_results_json(r, json);
    CHECK(json.str().find(R"("facet_together_with":{"leader":["Vladimir Putin","Narendra Modi"],"org":["NATO"],)"
                          R"("country":["China","India","Brazil"]})") != std::string::npos);
}

TEST_CASE("--show prints every header field on one line, so the text reads back as the same article") {
    pundit::Article a;
    a.id = "fold\xE2\x80\xA9id";
    a.title = "Line1\nDate: 1999-01-01";
    a.author = "Jane\rAuthor: Someone Else";
    a.source = "Post\r\nURL: http://evil.example/";
    a.url = "http://example.org/\xC2\x85x";
    a.language = "en\xE2\x80\xA8us";
    a.body = "First paragraph\x1b]0;title\x07.\n\nSecond\tparagraph.";
    std::ostringstream out;
    pundit::print_article_text(a, out);
    CHECK(out.str() ==
          "Title: Line1 Date: 1999-01-01\n"
          "Author: Jane Author: Someone Else\n"
          "Source: Post URL: http://evil.example/\n"
          "URL: http://example.org/ x\n"
          "Language: en us\n"
          "ID: fold id\n"
          "\n"
          "Line1 Date: 1999-01-01\n"
          "\n"
          "First paragraph^[]0;title^G.\n\nSecond\tparagraph.\n");
    pundit::TextArticle back = pundit::read_text_article(out.str(), "show.txt");
    REQUIRE(back.article);
    CHECK(back.diagnostics.empty());
    CHECK(back.article->date == "");
    CHECK(back.article->title == "Line1 Date: 1999-01-01");
    CHECK(back.article->author == "Jane Author: Someone Else");
    CHECK(back.article->source == "Post URL: http://evil.example/");
    CHECK(back.article->url == "http://example.org/ x");
    CHECK(back.article->language == "en us");
    CHECK(back.article->id == "fold id");
    // Printed again, it is the same text: --show is a fixed point.
    std::ostringstream again;
    pundit::print_article_text(*back.article, again);
    CHECK(again.str() == out.str());
}
