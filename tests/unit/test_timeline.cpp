#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "pundit/error.hpp"
#include "pundit/result_printer.hpp"
#include "pundit/timeline.hpp"
#include "corpus_fixture.hpp"
#include "gazetteer_fixture.hpp"
#include "search_fixture.hpp"
#include "temp_dir.hpp"

namespace {

using test::all_hits;
using test::corpus;

using Days = std::vector<std::pair<std::string_view, Xapian::doccount>>;

// "2019:3 2020:0 2021:4" for easy reading and diffing.
std::string render(const pundit::Timeline& t) {
    std::string out;
    for (const auto& bar : t.bars) out += (out.empty() ? "" : " ") + bar.period + ":" + std::to_string(bar.count);
    return out;
}

std::size_t count_of(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

// A strict check of XML well-formedness, enough for the SVG writer: one
// root element, properly nested tags, quoted attributes, '<' only as
// markup and '&' only in the five named entities or numeric references.
// Returns what is wrong, or "" when the document is well-formed.
std::string xml_problem(const std::string& doc) {
    auto entity_ok = [&](std::size_t at) {
        for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
            if (doc.compare(at, std::string(e).size(), e) == 0) return true;
        }
        return false;
    };
    std::vector<std::string> open;
    std::size_t roots = 0, i = 0;
    if (doc.starts_with("<?xml")) i = doc.find("?>") + 2;
    while (i < doc.size()) {
        const char c = doc[i];
        if (c == '&' && !entity_ok(i)) return "bare & at " + std::to_string(i);
        if (c == '>') return "stray > at " + std::to_string(i);
        if (c != '<') {
            if (open.empty() && !std::isspace(static_cast<unsigned char>(c))) return "text outside the root";
            ++i;
            continue;
        }
        const bool closing = doc[i + 1] == '/';
        std::size_t j = i + (closing ? 2 : 1);
        const std::size_t name_start = j;
        while (j < doc.size() && (std::isalnum(static_cast<unsigned char>(doc[j])) || doc[j] == '-' || doc[j] == ':')) ++j;
        const std::string name = doc.substr(name_start, j - name_start);
        if (name.empty()) return "a tag without a name at " + std::to_string(i);
        if (closing) {
            if (doc[j] != '>') return "bad closing tag " + name;
            if (open.empty() || open.back() != name) return "</" + name + "> does not close the open element";
            open.pop_back();
            i = j + 1;
            continue;
        }
        // Attributes: name="value".
        while (true) {
            while (std::isspace(static_cast<unsigned char>(doc[j]))) ++j;
            if (doc[j] == '>' || doc.compare(j, 2, "/>") == 0) break;
            const std::size_t attr = j;
            while (j < doc.size() && (std::isalnum(static_cast<unsigned char>(doc[j])) || doc[j] == '-' || doc[j] == ':')) ++j;
            if (j == attr || doc[j] != '=' || doc[j + 1] != '"') return "bad attribute in <" + name + ">";
            j += 2;
            for (; j < doc.size() && doc[j] != '"'; ++j) {
                if (doc[j] == '<') return "< in an attribute of <" + name + ">";
                if (doc[j] == '&' && !entity_ok(j)) return "bare & in an attribute of <" + name + ">";
            }
            if (j == doc.size()) return "unterminated attribute in <" + name + ">";
            ++j;
        }
        if (open.empty() && ++roots > 1) return "more than one root element";
        if (doc[j] == '>') {
            open.push_back(name);
            i = j + 1;
        } else {
            i = j + 2;
        }
    }
    if (!open.empty()) return "<" + open.back() + "> is never closed";
    return roots == 1 ? "" : "no root element";
}

} // namespace

TEST_CASE("timeline: days grouped by year, gaps as zero, undated counted apart") {
    const Days days{{"20210315", 4}, {"20190629", 2}, {"20190101", 1}};
    pundit::Timeline t = pundit::bucket_dates(days, 3, pundit::TimelinePeriod::year);
    CHECK(render(t) == "2019:3 2020:0 2021:4");
    CHECK(t.undated == 3);
    CHECK(t.dated() == 7);
    CHECK(t.highest() == 4);
}

TEST_CASE("timeline: days grouped by month, across the turn of a year") {
    const Days days{{"20200205", 2}, {"20191130", 1}, {"20200229", 5}};
    pundit::Timeline t = pundit::bucket_dates(days, 0, pundit::TimelinePeriod::month);
    CHECK(render(t) == "2019-11:1 2019-12:0 2020-01:0 2020-02:7");
    CHECK(t.undated == 0);
}

TEST_CASE("timeline: table of edge cases") {
    struct Row {
        Days days;
        pundit::TimelinePeriod period;
        std::string bars;
        Xapian::doccount undated;
    };
    const Row rows[] = {
        {{}, pundit::TimelinePeriod::year, "", 0},
        {{{"20190629", 1}}, pundit::TimelinePeriod::month, "2019-06:1", 0},
        // Values that are not dates count as undated, not as a period.
        {{{"2019", 1}, {"2019062x", 2}, {"20191301", 4}, {"18000101", 1}}, pundit::TimelinePeriod::month, "1800-01:1", 7},
        {{{"18000101", 1}, {"18020101", 1}}, pundit::TimelinePeriod::year, "1800:1 1801:0 1802:1", 0},
    };
    for (const Row& row : rows) {
        pundit::Timeline t = pundit::bucket_dates(row.days, 0, row.period);
        CHECK(render(t) == row.bars);
        CHECK(t.undated == row.undated);
    }
}

TEST_CASE("timeline: period names") {
    CHECK(pundit::parse_timeline_period("year") == pundit::TimelinePeriod::year);
    CHECK(pundit::parse_timeline_period("month") == pundit::TimelinePeriod::month);
    CHECK_THROWS_WITH_AS(pundit::parse_timeline_period("week"), "unknown timeline period 'week' (expected year or month)",
                         pundit::Error);
}

TEST_CASE("timeline: bars scale to the highest count, in eighths of a cell") {
    struct Row {
        Xapian::doccount count, highest;
        std::size_t cells, eighths;
    };
    const Row rows[] = {
        {0, 10, 10, 0},    {10, 10, 10, 80}, {5, 10, 10, 40}, {3, 7, 20, 69}, // 3 * 160 / 7 = 68.6
        {1, 1000, 10, 1},  // never invisible
        {1, 0, 10, 0},     {4, 4, 0, 0},
    };
    for (const Row& row : rows) {
        CAPTURE(row.count);
        CAPTURE(row.highest);
        CHECK(pundit::bar_eighths(row.count, row.highest, row.cells) == row.eighths);
    }
    CHECK(pundit::render_bar(0) == "");
    CHECK(pundit::render_bar(8) == "█");
    CHECK(pundit::render_bar(11) == "█▍");
    CHECK(pundit::render_bar(23) == "██▉");
    CHECK(pundit::render_bar(1) == "▏");
}

TEST_CASE("timeline: the text chart fits the width, colour only when asked") {
    const Days days{{"20190101", 8}, {"20210101", 2}};
    pundit::Timeline t = pundit::bucket_dates(days, 1, pundit::TimelinePeriod::year);
    t.description = "leader Vladimir Putin";
    std::ostringstream plain;
    // 40 columns: 4 for the year, 2, 1 for the count, 2, 1 spare: 30 cells of bar.
    pundit::print_timeline_text(t, false, 40, plain);
    CHECK(plain.str() ==
          "Articles per year: leader Vladimir Putin (2019 to 2021)\n"
          "2019  8  ██████████████████████████████\n"
          "2020  0\n"
          "2021  2  ███████▌\n"
          "10 articles dated; 1 article without a date, not in the chart\n");
    std::ostringstream narrow;
    pundit::print_timeline_text(t, false, 10, narrow); // taken as kMinChartColumns
    CHECK(narrow.str() == plain.str());
    std::ostringstream coloured;
    pundit::print_timeline_text(t, true, 40, coloured);
    CHECK(coloured.str() ==
          "\x1b[1mArticles per year: leader Vladimir Putin (2019 to 2021)\x1b[0m\n"
          "2019  8  \x1b[36m██████████████████████████████\x1b[0m\n"
          "2020  0\n"
          "2021  2  \x1b[36m███████▌\x1b[0m\n"
          "10 articles dated; \x1b[2m1 article without a date, not in the chart\x1b[0m\n");
    std::ostringstream empty;
    pundit::print_timeline_text(pundit::bucket_dates({}, 2, pundit::TimelinePeriod::month), false, 80, empty);
    CHECK(empty.str() == "Articles per month\nno dated articles; 2 articles without a date, not in the chart\n");
}

TEST_CASE("timeline: results print the chart after the facets, and JSON the series") {
    pundit::SearchResults r;
    r.total = 3;
    r.limit = 0;
    r.timeline = pundit::bucket_dates(Days{{"20190101", 1}, {"20190301", 1}}, 1, pundit::TimelinePeriod::month);
    std::ostringstream text;
    pundit::print_results_text(r, pundit::TextStyle{false, 40}, text);
    CHECK(text.str() ==
          "3 results\n"
          "\n"
          "Articles per month (2019-01 to 2019-03)\n"
          "2019-01  1  ███████████████████████████\n"
          "2019-02  0\n"
          "2019-03  1  ███████████████████████████\n"
          "2 articles dated; 1 article without a date, not in the chart\n");
    std::ostringstream json;
    pundit::print_results_json(r, json);
    CHECK(json.str().find(R"("timeline":{"period":"month","series":[{"period":"2019-01","count":1},)"
                          R"({"period":"2019-02","count":0},{"period":"2019-03","count":1}],"dated":2,"undated":1})") !=
          std::string::npos);
}

TEST_CASE("timeline: the SVG is well-formed, has a bar per period and escapes its text") {
    const Days days{{"20150101", 3}, {"20180101", 12}, {"20190101", 1}};
    pundit::Timeline t = pundit::bucket_dates(days, 2, pundit::TimelinePeriod::year);
    t.description = "'<b>war & \"peace\"</b>'";
    std::ostringstream out;
    pundit::write_timeline_svg(t, out);
    const std::string svg = out.str();
    CHECK(xml_problem(svg) == "");
    CHECK(count_of(svg, "<rect class=\"bar\"") == 5); // 2015 to 2019
    CHECK(svg.find("<title>2016: 0 articles</title>") != std::string::npos);
    CHECK(svg.find("<title>2018: 12 articles</title>") != std::string::npos);
    CHECK(svg.find("&apos;&lt;b&gt;war &amp; &quot;peace&quot;&lt;/b&gt;&apos;") != std::string::npos);
    CHECK(svg.find("<b>") == std::string::npos);
    CHECK(svg.find("16 articles dated, 2015 to 2019; 2 articles without a date, not shown") != std::string::npos);
    // The count axis goes past the highest count in round steps: 0, 5, 10, 15.
    CHECK(svg.find(">15</text>") != std::string::npos);
    CHECK(svg.find(">20</text>") == std::string::npos);

    // Checking the checker: it must reject what is not well-formed.
    CHECK(xml_problem("<svg><g></svg>") != "");
    CHECK(xml_problem("<svg>a & b</svg>") != "");
    CHECK(xml_problem("<svg x=1/>") != "");
    CHECK(xml_problem("<a/><b/>") != "");
}

TEST_CASE("timeline: the SVG of many months thins its labels, and of nothing is still a document") {
    Days days{{"19900115", 1}, {"20191215", 1}};
    pundit::Timeline t = pundit::bucket_dates(days, 0, pundit::TimelinePeriod::month);
    REQUIRE(t.bars.size() == 360);
    std::ostringstream out;
    pundit::write_timeline_svg(t, out);
    CHECK(xml_problem(out.str()) == "");
    CHECK(count_of(out.str(), "<rect class=\"bar\"") == 360);
    // 716 px for 360 bars, 60 px per label: every 31st bar is labelled.
    CHECK(count_of(out.str(), ">1990-01</text>") == 1);
    CHECK(count_of(out.str(), ">1990-02</text>") == 0);
    CHECK(count_of(out.str(), ">1992-08</text>") == 1);

    std::ostringstream none;
    pundit::write_timeline_svg(pundit::bucket_dates({}, 4, pundit::TimelinePeriod::year), none);
    CHECK(xml_problem(none.str()) == "");
    CHECK(count_of(none.str(), "<rect class=\"bar\"") == 0);
    CHECK(none.str().find("no dated articles; 4 articles without a date, not shown") != std::string::npos);
}

TEST_CASE("timeline: saving the SVG replaces the file, or names the file it cannot write") {
    test::TempDir dir;
    pundit::Timeline t = pundit::bucket_dates(Days{{"20200101", 2}}, 0, pundit::TimelinePeriod::year);
    const std::string path = dir / "chart.svg";
    { std::ofstream(path) << "old contents that are longer than nothing"; }
    pundit::save_timeline_svg(t, path);
    std::ostringstream expected;
    pundit::write_timeline_svg(t, expected);
    CHECK(test::read_file(path) == expected.str());
    const std::string bad = dir / "no-such-dir/chart.svg";
    CHECK_THROWS_WITH_AS(pundit::save_timeline_svg(t, bad),
                         ("cannot write the chart to '" + bad +
                          "': No such file or directory (check that the directory exists and is writable)")
                             .c_str(),
                         pundit::Error);
}

TEST_CASE("timeline: counts in the text chart have thousands separators, as every count shown to people") {
    const Days days{{"20190101", 1500}, {"20200101", 20}};
    pundit::Timeline t = pundit::bucket_dates(days, 2500, pundit::TimelinePeriod::year);
    t.description = "everything";
    std::ostringstream out;
    pundit::print_timeline_text(t, false, 40, out);
    CHECK(out.str() ==
          "Articles per year: everything (2019 to 2020)\n"
          "2019  1,500  ██████████████████████████\n"
          "2020     20  ▍\n"
          "1,520 articles dated; 2,500 articles without a date, not in the chart\n");
}

TEST_CASE("timeline: counts per period over the whole match set equal a count of the stored dates") {
    pundit::Searcher s(corpus().path, [] { return test::gazetteer(); });
    for (const char* query : {"", "president", "putin OR xi", "leader:putin", "zzyzx"}) {
        for (pundit::TimelinePeriod period : {pundit::TimelinePeriod::year, pundit::TimelinePeriod::month}) {
            CAPTURE(query);
            pundit::QuerySpec spec;
            spec.query = query;
            spec.timeline = period;
            spec.limit = 1;
            pundit::SearchResults charted = s.search(spec);
            REQUIRE(charted.timeline);
            const pundit::Timeline& t = *charted.timeline;

            pundit::QuerySpec plain;
            plain.query = query;
            pundit::SearchResults every = all_hits(s, plain);
            const std::size_t width = period == pundit::TimelinePeriod::year ? 4 : 7;
            std::map<std::string, Xapian::doccount> expected;
            Xapian::doccount undated = 0;
            for (const auto& hit : every.hits) {
                hit.article.date.empty() ? ++undated : ++expected[hit.article.date.substr(0, width)];
            }
            std::map<std::string, Xapian::doccount> got;
            for (const auto& bar : t.bars) {
                if (bar.count) got[bar.period] = bar.count;
            }
            CHECK(got == expected);
            CHECK(t.undated == undated);
            CHECK(t.dated() + t.undated == charted.total);
            if (!expected.empty()) {
                // From the first period with an article to the last, none missing.
                CHECK(t.bars.front().period == expected.begin()->first);
                CHECK(t.bars.back().period == expected.rbegin()->first);
                if (period == pundit::TimelinePeriod::year) {
                    CHECK(t.bars.size() == std::stoul(t.bars.back().period) - std::stoul(t.bars.front().period) + 1);
                }
            }
        }
    }
}
