#include <doctest/doctest.h>

#include "pundit/text_reader.hpp"

using pundit::read_text_article;

namespace {

// An op-ed page saved as text, with every layout element.
const char* kFullLayout =
    "Abe and Putin: The Islands Nobody Will Give Up\n"
    "\n"
    "Abe and Putin: The Islands Nobody Will Give Up\n"
    "\n"
    "TOKYO — Shinzō Abe has met Vladimir Putin more often than any other leader.\n"
    "\n"
    "The Kuril dispute has outlived every summit. Neither man can be seen to blink first.\n"
    "\n"
    "Moscow’s answer has not changed in thirty years.\n"
    "\n"
    "“Neither man can be seen to blink first.”\n"
    "\n"
    "Marta Kowalczyk\n"
    "\n"
    "  • Marta Kowalczyk is a senior fellow at the Baltic Institute.\n"
    "\n"
    "Disclaimer: Views expressed by writers in this section are their own.\n";

} // namespace

TEST_CASE("text layout: every element is recognised and removed from the body") {
    auto r = read_text_article(kFullLayout, "op-ed.txt");
    REQUIRE(r.article.has_value());
    CHECK(r.diagnostics.empty());
    CHECK(r.article->title == "Abe and Putin: The Islands Nobody Will Give Up");
    CHECK(r.article->author == "Marta Kowalczyk");
    CHECK(r.article->body ==
          "TOKYO — Shinzō Abe has met Vladimir Putin more often than any other leader.\n\n"
          "The Kuril dispute has outlived every summit. Neither man can be seen to blink first.\n\n"
          "Moscow’s answer has not changed in thirty years.");
    CHECK(r.repeated_headline);
    CHECK(r.pull_quote);
    CHECK(r.byline);
    CHECK(r.bio);
    CHECK(r.disclaimer);
    CHECK(r.article->origin_line == 1);
}

TEST_CASE("text layout: header lines override what the layout gives") {
    std::string text = std::string("Date: 2019-06-29\nSource: The Meridian Review\nAuthor: M. Kowalczyk\n"
                                   "URL: https://example.org/abe-putin\nID: meridian-abe-putin\n\n") +
                       kFullLayout;
    auto r = read_text_article(text, "x.txt");
    REQUIRE(r.article.has_value());
    CHECK(r.article->date == "2019-06-29");
    CHECK(r.article->source == "The Meridian Review");
    CHECK(r.article->author == "M. Kowalczyk");
    CHECK(r.article->url == "https://example.org/abe-putin");
    CHECK(r.article->id == "meridian-abe-putin");
    CHECK(r.article->title == "Abe and Putin: The Islands Nobody Will Give Up");
    CHECK(r.article->origin_line == 7);
}

TEST_CASE("text layout: a headline that looks like a header is still a headline") {
    auto r = read_text_article("Putin: the long game\n\nThe body of the piece.\n", "x.txt");
    REQUIRE(r.article.has_value());
    CHECK(r.article->title == "Putin: the long game");
    CHECK(r.article->body == "The body of the piece.");
}

TEST_CASE("text layout: a plain headline-and-body file reads sensibly") {
    auto r = read_text_article(
        "Ad sales boost Time Warner profit\n\nQuarterly profits at US media giant TimeWarner jumped 76%.\n\n"
        "The firm said it was pleased.\n",
        "bbc.txt");
    REQUIRE(r.article.has_value());
    CHECK(r.article->title == "Ad sales boost Time Warner profit");
    CHECK(r.article->author.empty());
    CHECK(r.article->body ==
          "Quarterly profits at US media giant TimeWarner jumped 76%.\n\nThe firm said it was pleased.");
    CHECK_FALSE(r.byline);
    CHECK_FALSE(r.pull_quote);
}

TEST_CASE("text layout: a short last body line is not mistaken for a byline") {
    auto r = read_text_article("Headline\n\nA long first paragraph about policy.\n\nEnough.\n", "x.txt");
    REQUIRE(r.article.has_value());
    CHECK(r.article->author.empty());
    CHECK(r.article->body == "A long first paragraph about policy.\n\nEnough.");

    auto one_word = read_text_article("Headline\n\nA long first paragraph about policy.\n\nFinally\n", "x.txt");
    CHECK(one_word.article->author.empty());
}

TEST_CASE("text layout: byline forms") {
    auto by = read_text_article("Headline\n\nBody text here.\n\nBy Jane O'Neil\n", "x.txt");
    CHECK(by.article->author == "Jane O'Neil");
    CHECK(by.article->body == "Body text here.");

    auto particle = read_text_article("Headline\n\nBody text here.\n\nLuiz Inácio da Silva\n", "x.txt");
    CHECK(particle.article->author == "Luiz Inácio da Silva");

    auto sentence = read_text_article("Headline\n\nBody text here.\n\nThis Is The End.\n", "x.txt");
    CHECK(sentence.article->author.empty());
}

TEST_CASE("text layout: paragraphs without blank lines between them") {
    auto r = read_text_article("Headline\nFirst paragraph.\nSecond paragraph.\nJane Doe\n"
                               "• Jane Doe writes about Asia.\n",
                               "x.txt");
    REQUIRE(r.article.has_value());
    CHECK(r.article->author == "Jane Doe");
    CHECK(r.article->body == "First paragraph.\n\nSecond paragraph.");
}

TEST_CASE("text layout: a short repeated line is not taken for a pull quote") {
    auto r = read_text_article("Headline\n\nWe must act. The rest follows.\n\nWe must act.\n", "x.txt");
    CHECK(r.article->body == "We must act. The rest follows.\n\nWe must act.");
    CHECK_FALSE(r.pull_quote);
}

TEST_CASE("text layout: problems are diagnosed with file and line") {
    auto empty = read_text_article("", "empty.txt");
    CHECK_FALSE(empty.article.has_value());
    REQUIRE(empty.diagnostics.size() == 1);
    CHECK(pundit::format_diagnostic(empty.diagnostics[0]) == "empty.txt:1: error: empty file: no headline or text");

    auto blank = read_text_article(" \n\t\n  \n", "blank.txt");
    CHECK_FALSE(blank.article.has_value());

    auto headline_only = read_text_article("\n\nJust a headline\n", "h.txt");
    REQUIRE(headline_only.article.has_value());
    REQUIRE(headline_only.diagnostics.size() == 1);
    CHECK(pundit::format_diagnostic(headline_only.diagnostics[0]) ==
          "h.txt:3: warning: article has a headline but no body text");

    auto bad_date = read_text_article("Source: X\nDate: 29 June 2019\n\nHeadline\n\nBody.\n", "d.txt");
    REQUIRE(bad_date.article.has_value());
    CHECK(bad_date.article->date.empty());
    REQUIRE(bad_date.diagnostics.size() == 1);
    CHECK(pundit::format_diagnostic(bad_date.diagnostics[0]) ==
          "d.txt:2: warning: unrecognised date '29 June 2019' (expected YYYY-MM-DD between 1800 and 2100); "
          "indexed without a date");
}

TEST_CASE("text layout: lines without a visible character are blank lines") {
    // Zero-width characters, soft hyphens, byte order marks and white space
    // alone show nothing: such a line is no headline and no paragraph.
    struct Row {
        std::string text;
        std::string diagnostic;
    };
    const Row rows[] = {
        {"\u200B\u200C\u200D\n\n\u2060\uFEFF\u00AD\n", "z.txt:1: error: empty file: no headline or text"},
        {"\u3000\u00A0\u2028\n", "z.txt:1: error: empty file: no headline or text"},
        {"\u200B\n\nHeadline\n\n\u200B\u2060\n", "z.txt:3: warning: article has a headline but no body text"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.text);
        auto r = read_text_article(row.text, "z.txt");
        REQUIRE(r.diagnostics.size() == 1);
        CHECK(pundit::format_diagnostic(r.diagnostics[0]) == row.diagnostic);
    }
    // An empty Title: header, or one that shows nothing, leaves the title
    // empty, for the input reader to make one from the body; the first line
    // of text is then the headline line, which is not part of the body.
    for (const char* text : {"Title:\n\nHeadline\n\nBody.\n", "Title: \u200B\u00AD\n\nHeadline\n\nBody.\n",
                             "Title:\v\x14\v\n\nHeadline\n\nBody.\n"}) {
        CAPTURE(text);
        auto r = read_text_article(text, "z.txt");
        REQUIRE(r.article.has_value());
        CHECK(r.diagnostics.empty());
        CHECK(r.article->title.empty());
        CHECK(r.article->body == "Body.");
    }
    // A file of headers alone whose Title: shows nothing has neither
    // headline nor body: both are empty, and the input reader refuses it
    // ("no headline and no body text") rather than index an invisible title.
    for (const char* text : {"Title: \x14\n", "Title:\v\v\x14\v\nAuthor: \u200B\n", "Title: \u2060\nDate: 2020-01-02\n"}) {
        CAPTURE(text);
        auto r = read_text_article(text, "z.txt");
        REQUIRE(r.article.has_value());
        CHECK(r.diagnostics.empty());
        CHECK(r.article->title.empty());
        CHECK(r.article->author.empty());
        CHECK(r.article->body.empty());
    }
    auto kept = read_text_article("\u200B\n\nHeadline\n\n\u00AD\n\nBody.\n", "z.txt");
    REQUIRE(kept.article.has_value());
    CHECK(kept.article->title == "Headline");
    CHECK(kept.article->body == "Body.");
}

TEST_CASE("text layout: without a byline, the author is the NAME of a bio line '• NAME is/was ...'") {
    struct Row {
        std::string ending; // the lines after the body
        std::string author;
    };
    const Row rows[] = {
        {"  \u2022 Andrew Hammond is an Associate at LSE IDEAS at the London School of Economics\n\n"
         "Disclaimer: Views expressed by writers in this section are their own.\n",
         "Andrew Hammond"},
        {"  \u2022 Dr. Amara Okafor was until 2019 an envoy of the African Union.\n", "Amara Okafor"},
        {"  \u2022 Lena van der Berg is a reporter.\n\n  \u2022 Tomas Reyes is an editor.\n", "Lena van der Berg and Tomas Reyes"},
        // Not a name: no author.
        {"  \u2022 He is a fellow at the Baltic Institute.\n", ""},
        {"  \u2022 The author is a fellow at the Baltic Institute.\n", ""},
        {"  \u2022 Hammond is a fellow.\n", ""},
        {"  \u2022 Read more at example.org\n", ""},
        // A byline wins over the bio.
        {"Marta Kowalczyk\n\n  \u2022 Andrew Hammond is an Associate at LSE IDEAS.\n", "Marta Kowalczyk"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.ending);
        auto r = read_text_article("A headline\n\nFirst paragraph of the column.\n\nSecond paragraph of it.\n\n" + row.ending,
                                   "bio.txt");
        REQUIRE(r.article.has_value());
        CHECK(r.article->author == row.author);
        CHECK(r.bio);
        CHECK(r.article->body == "First paragraph of the column.\n\nSecond paragraph of it.");
    }
    // An Author: header wins over both.
    auto header = read_text_article("Author: Jo Bloggs\n\nA headline\n\nBody.\n\n  \u2022 Andrew Hammond is an Associate.\n",
                                    "bio.txt");
    REQUIRE(header.article.has_value());
    CHECK(header.article->author == "Jo Bloggs");
}
