#include <doctest/doctest.h>

#include <functional>
#include <sstream>
#include <vector>

#include "pundit/result_printer.hpp"
#include "pundit/text_reader.hpp"
#include "pundit/timeline.hpp"

namespace {

pundit::SearchResults sample() {
    pundit::SearchResults r;
    r.query = "erdogan";
    r.total = 1234;
    r.total_min = 1100;
    r.total_max = 1300;
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
          "about 1,234 results (1,100 to 1,300; showing 1-1)\n"
          "\n"
          "1. 2019-06-29  Erdoğan wins\n"
          "   Jane Doe · id: 2019-erdogan\n"
          "   …the vote for Erdoğan…\n"
          "   leaders: Recep Tayyip Erdoğan\n"
          "\n"
          "leader (7 distinct values, top 2)\n"
          "   1,200  Recep Tayyip Erdoğan\n"
          "      45  Vladimir Putin\n");
}

TEST_CASE("text results with colour mark matches, dim metadata") {
    std::ostringstream out;
    pundit::print_results_text(sample(), pundit::TextStyle{true}, out);
    CHECK(out.str() ==
          "about 1,234 results (1,100 to 1,300; showing 1-1)\n"
          "\n"
          "1. \x1b[2m2019-06-29\x1b[0m  \x1b[1m\x1b[1;31mErdoğan\x1b[0m\x1b[1m wins\x1b[0m\n"
          "   \x1b[2mJane Doe · id: 2019-erdogan\x1b[0m\n"
          "   …the vote for \x1b[1;31mErdoğan\x1b[0m…\n"
          "   \x1b[2mleaders: Recep Tayyip Erdoğan\x1b[0m\n"
          "\n"
          "\x1b[1mleader\x1b[0m (7 distinct values, top 2)\n"
          "   1,200  Recep Tayyip Erdoğan\n"
          "      45  Vladimir Putin\n");
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

TEST_CASE("a total is exact, a lower bound when shards are missing, or an estimate with its bounds") {
    struct Row {
        Xapian::doccount total, min, max;
        bool exact;
        const char* expected;
    };
    const Row rows[] = {
        {355, 355, 355, true, "355 results\n"},
        {1, 1, 1, true, "1 result\n"},
        // Shards missing: what the others hold, at least.
        {355, 355, 355, false, "at least 355 results\n"},
        // Xapian's rounded estimate, with the bounds the count lies between.
        {500, 110, 2226, false, "about 500 results (110 to 2,226)\n"},
    };
    for (const Row& row : rows) {
        pundit::SearchResults r;
        r.total = row.total;
        r.total_min = row.min;
        r.total_max = row.max;
        r.total_exact = row.exact;
        std::ostringstream text;
        pundit::print_results_text(r, pundit::TextStyle{false}, text);
        CHECK(text.str() == row.expected);
        std::ostringstream json;
        pundit::print_results_json(r, json);
        const bool bounds = json.str().find(R"("total_min":)" + std::to_string(row.min) + R"(,"total_max":)" +
                                            std::to_string(row.max) + ",") != std::string::npos;
        CHECK(bounds == !row.exact);
    }
}

TEST_CASE("JSON results follow the documented format") {
    std::ostringstream out;
    pundit::print_results_json(sample(), out);
    CHECK(out.str() ==
          R"({"format_version":1,"query":"erdogan","filters":{"since":null,"until":null,"leaders":[],"countries":[],)"
          R"("organisations":[],"authors":[],"sources":[],"languages":[],"added_since":null},"sort":"relevance",)"
          R"("total":1234,"total_exact":false,"total_min":1100,"total_max":1300,"offset":0,"limit":1,)"
          R"("hits":[{"rank":1,"score":2.7183,"id":"2019-erdogan","title":"Erdoğan wins","date":"2019-06-29",)"
          R"("author":"Jane Doe","source":null,"url":null,"snippet":"…the vote for Erdoğan…",)"
          R"("leaders":["Recep Tayyip Erdoğan"],"countries":["Turkey"],"organisations":[]}],)"
          R"("facets":{"leader":[{"value":"Recep Tayyip Erdoğan","count":1200},{"value":"Vladimir Putin","count":45}]},)"
          R"("facet_distinct":{"leader":7},"facet_missing":{"leader":0}})"
          "\n");
}

TEST_CASE("JSON results echo the filters as the search read them") {
    auto r = sample();
    r.query = "";
    r.sort = pundit::SortOrder::prominence;
    r.filters.since = "2016-01-01";
    r.filters.until = "2016-03-31";
    r.filters.entities[0] = {"Recep Tayyip Erdoğan"};
    r.filters.entities[2] = {"NATO"};
    r.filters.sources = {"Harbour"};
    r.filters.languages = {"en", "tr"};
    r.filters.added_since = 1767229200; // 2026-01-01 01:00:00 UTC
    std::ostringstream out;
    pundit::print_results_json(r, out);
    CHECK(out.str().starts_with(
        R"({"format_version":1,"query":"","filters":{"since":"2016-01-01","until":"2016-03-31",)"
        R"("leaders":["Recep Tayyip Erdoğan"],"countries":[],"organisations":["NATO"],"authors":[],)"
        R"("sources":["Harbour"],"languages":["en","tr"],"added_since":"2026-01-01 01:00:00 UTC"},)"
        R"("sort":"prominence","total":1234,)"));
}

TEST_CASE("a facet's matches without a value come last, in brackets, and in the JSON") {
    pundit::SearchResults r;
    r.total = 1113;
    r.limit = 0;
    r.facets.push_back(pundit::Facet{"year", {{"2005", 2}, {"2004", 1}}, 2, {}, 1110});
    r.facets.push_back(pundit::Facet{"author", {{"Jane Doe", 1113}}, 1, {}, 0});
    r.facets.push_back(pundit::Facet{"org", {}, 0, {}, 1113});
    std::ostringstream out;
    pundit::print_results_text(r, pundit::TextStyle{false}, out);
    CHECK(out.str() ==
          "1,113 results\n"
          "\n"
          "year (2 distinct values)\n"
          "       2  2005\n"
          "       1  2004\n"
          "   1,110  (undated)\n"
          "\n"
          "author (1 value)\n"
          "   1,113  Jane Doe\n"
          "\n"
          "org (0 distinct values)\n"
          "   1,113  (no organisation)\n");
    std::ostringstream json;
    pundit::print_results_json(r, json);
    CHECK(json.str().find(R"("facet_missing":{"year":1110,"author":0,"org":1113})") != std::string::npos);
}

TEST_CASE("JSON results carry the notes on how the filters were read, when there are any") {
    auto r = sample();
    r.notes = {"'bush' taken as George W. Bush (27 articles); also George H. W. Bush (0): give a full name to "
               "choose another"};
    std::ostringstream out;
    pundit::print_results_json(r, out);
    CHECK(out.str().ends_with(R"("facet_distinct":{"leader":7},"facet_missing":{"leader":0},"notes":["'bush' taken as George W. Bush (27 articles); )"
                              R"(also George H. W. Bush (0): give a full name to choose another"]})"
                              "\n"));
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
    r.total_min = 1100;
    r.total_max = 1300;
    r.total_exact = false;
    r.limit = 0;
    r.facets.push_back(pundit::Facet{"leader", {{"Xi Jinping", 40}}, 3, {"Vladimir Putin", "Narendra Modi"}});
    r.facets.push_back(pundit::Facet{"org", {}, 0, {"NATO"}});
    r.facets.push_back(pundit::Facet{"country", {{"Russia", 2}}, 1, {"China", "India", "Brazil"}});
    std::ostringstream out;
    pundit::print_results_text(r, pundit::TextStyle{false}, out);
    CHECK(out.str() ==
          "about 1,234 results (1,100 to 1,300)\n"
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

namespace {

// What an article can smuggle to the terminal of whoever searches: OSC 52
// sets the clipboard, ESC [ 2 J clears the screen, CSI as a C1 character
// (U+009B), and a lone byte that is not UTF-8.
const std::string kClipboard = "\x1b]52;c;cHduZWQ=\x07";
const std::string kClipboardShown = "^[]52;c;cHduZWQ=^G";

// The output without our own colour sequences: what is left must hold no
// control character but the newlines that end the lines.
std::string without_our_colours(std::string text) {
    for (const std::string code : {"\x1b[1;31m", "\x1b[1m", "\x1b[2m", "\x1b[36m", "\x1b[0m"}) {
        for (std::size_t at = text.find(code); at != std::string::npos; at = text.find(code, at)) text.erase(at, code.size());
    }
    return text;
}

// The control characters in `text` (C0 but newline, DEL, C1 as UTF-8), as
// the offsets where they stand; empty when there is none.
std::vector<std::size_t> control_characters(const std::string& text) {
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                        static_cast<unsigned char>(text[i + 1]) <= 0x9F;
        if ((c < 0x20 && c != '\n') || c == 0x7F || c1) found.push_back(i);
    }
    return found;
}

} // namespace

TEST_CASE("text from the index reaches the terminal without its control characters, in every field") {
    using Set = std::function<void(pundit::SearchResults&)>;
    const std::pair<const char*, Set> rows[] = {
        {"title", [](auto& r) {
             r.hits[0].article.title = "Vote" + kClipboard;
             r.hits[0].title = pundit::Snippet{r.hits[0].article.title, {{0, 4}}};
         }},
        {"author", [](auto& r) { r.hits[0].article.author = "Jane" + kClipboard; }},
        {"source", [](auto& r) { r.hits[0].article.source = "Post" + kClipboard; }},
        {"id", [](auto& r) { r.hits[0].article.id = "id" + kClipboard; }},
        {"date", [](auto& r) { r.hits[0].article.date = "2019" + kClipboard; }},
        {"snippet", [](auto& r) {
             const std::string text = "…vote " + kClipboard + " for Erdoğan…";
             const std::size_t match = text.find("Erdoğan");
             r.hits[0].snippet = pundit::Snippet{text, {{match, match + std::string("Erdoğan").size()}}};
         }},
        {"leader", [](auto& r) { r.hits[0].article.entities[0].name = "Erdoğan" + kClipboard; }},
        {"facet value", [](auto& r) { r.facets[0].values[0].value = "Erdoğan" + kClipboard; }},
        {"facet together with", [](auto& r) { r.facets[0].together_with = {"Putin" + kClipboard}; }},
        {"did you mean", [](auto& r) { r.suggestion = pundit::Suggestion{"putin" + kClipboard, 3, true}; }},
        {"timeline description", [](auto& r) {
             r.timeline = pundit::bucket_dates({{"20190101", 1}}, 0, pundit::TimelinePeriod::year);
             r.timeline->description = "'putin" + kClipboard + "'";
         }},
    };
    for (const auto& [field, set] : rows) {
        for (bool colour : {false, true}) {
            CAPTURE(std::string(field));
            CAPTURE(colour);
            pundit::SearchResults r = sample();
            set(r);
            std::ostringstream out;
            pundit::print_results_text(r, pundit::TextStyle{colour}, out);
            CHECK(control_characters(without_our_colours(out.str())).empty());
            CHECK(out.str().find(kClipboardShown) != std::string::npos);
        }
    }
}

TEST_CASE("a hit shows control characters in caret notation and one-line fields on one line") {
    pundit::SearchResults r = sample();
    pundit::Article& a = r.hits[0].article;
    a.title = "Erdoğan\x1b[2J wins\r\nDate: 1999";
    r.hits[0].title = pundit::Snippet{a.title, {{0, 8}}};
    a.author = "Jane\tDoe\x7f";
    a.source = "Post\xC2\x9B" "31m\xE2\x80\xA8" "x";
    a.id = "id\xFF\x07";
    r.hits[0].snippet = pundit::Snippet{"…the vote\xC2\x85\x1b[8m for Erdoğan…", {{22, 30}}};
    r.facets.clear();
    std::ostringstream plain;
    pundit::print_results_text(r, pundit::TextStyle{false}, plain);
    CHECK(plain.str() ==
          "about 1,234 results (1,100 to 1,300; showing 1-1)\n"
          "\n"
          "1. 2019-06-29  Erdoğan^[[2J wins Date: 1999\n"
          "   Jane Doe^? · PostM-^[31m x · id: id\xEF\xBF\xBD^G\n"
          "   …the vote ^[[8m for Erdoğan…\n"
          "   leaders: Recep Tayyip Erdoğan\n");
    std::ostringstream coloured;
    pundit::print_results_text(r, pundit::TextStyle{true}, coloured);
    CHECK(coloured.str() ==
          "about 1,234 results (1,100 to 1,300; showing 1-1)\n"
          "\n"
          "1. \x1b[2m2019-06-29\x1b[0m  \x1b[1m\x1b[1;31mErdoğan\x1b[0m\x1b[1m^[[2J wins Date: 1999\x1b[0m\n"
          "   \x1b[2mJane Doe^? · PostM-^[31m x · id: id\xEF\xBF\xBD^G\x1b[0m\n"
          "   …the vote ^[[8m for \x1b[1;31mErdoğan\x1b[0m…\n"
          "   \x1b[2mleaders: Recep Tayyip Erdoğan\x1b[0m\n");
}

TEST_CASE("JSON output escapes C1 controls and replaces bytes that are not UTF-8") {
    pundit::SearchResults r = sample();
    r.hits[0].article.title = "Vote\xC2\x9B" "31m\x1b\xFF";
    r.facets[0].values[0].value = "Erdo\xC4";
    std::ostringstream results;
    pundit::print_results_json(r, results);
    CHECK(results.str().find("\"title\":\"Vote\\u009b31m\\u001b\xEF\xBF\xBD\"") != std::string::npos);
    CHECK(results.str().find("{\"value\":\"Erdo\xEF\xBF\xBD\",\"count\":1200}") != std::string::npos);
    pundit::Article a = r.hits[0].article;
    a.body = "B\xC2\x80\xC2\x9F\xC2\xA0\x7f";
    std::ostringstream article;
    pundit::print_article_json(a, article);
    CHECK(article.str().find("\"body\":\"B\\u0080\\u009f\xC2\xA0\\u007f\"") != std::string::npos);
    std::ostringstream entities;
    pundit::print_entities_json(a, entities);
    CHECK(entities.str().find("\"title\":\"Vote\\u009b31m\\u001b\xEF\xBF\xBD\"") != std::string::npos);
    for (const std::string& text : {results.str(), article.str(), entities.str()}) {
        CHECK(control_characters(text).empty());
    }
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

TEST_CASE("a headline made from the body is shown as such, and reads back as none") {
    pundit::Article a;
    a.id = "reuters-5";
    a.title = "Showers continued throughout the week.";
    a.title_derived = true;
    a.body = "Showers continued throughout the week.\n\nMore.";
    std::ostringstream text;
    pundit::print_article_text(a, text);
    CHECK(text.str() ==
          "Title:\nID: reuters-5\n\n"
          "Showers continued throughout the week.   [no headline: the opening words of the body]\n\n"
          "Showers continued throughout the week.\n\nMore.\n");
    auto back = pundit::read_text_article(text.str(), "show.txt");
    REQUIRE(back.article.has_value());
    CHECK(back.article->title == "");
    CHECK(back.article->body == a.body);

    std::ostringstream json;
    pundit::print_article_json(a, json);
    CHECK(json.str().ends_with(R"("body":"Showers continued throughout the week.\n\nMore.","title_derived":true}})" "\n"));
    auto results = sample();
    results.hits[0].article.title_derived = true;
    std::ostringstream hits;
    pundit::print_results_json(results, hits);
    CHECK(hits.str().find(R"("title":"Erdoğan wins","title_derived":true,"date":"2019-06-29")") != std::string::npos);
    // A headline given is not marked.
    a.title_derived = false;
    std::ostringstream given;
    pundit::print_article_json(a, given);
    CHECK(given.str().find("title_derived") == std::string::npos);
}
