#include <doctest/doctest.h>

#include <string>

#include "extraction_fixture.hpp"
#include "writer_text.hpp"

using test::DatedRow;
using test::leaders;
using test::leaders_by;
using test::tags;

TEST_CASE("the article's writers are not mentions") {
    const DatedRow rows[] = {
        // A byline as the last paragraph; a bio; the credit of a cited piece.
        {"The budget was cut.\n\nBy David Thompson", "2009-01-01", ""},
        {"Gordon Brown raised taxes.\n\nMr. Thompson is a senior fellow at the Fiscal Institute.", "2009-01-01",
         "gordon-brown"},
        {"Gordon Brown raised taxes.\n\n- David Thompson is a columnist for the Daily Planet.", "2009-01-01",
         "gordon-brown"},
        {"Read \"Why rates matter,\" by The Daily Planet's Jennifer Smith: a fine piece.", "2000-01-01", ""},
        // A leader in the body is still found, whoever writes.
        {"Barbados Prime Minister David Thompson resigned.\n\nBy Jane Roe", "2009-01-01", "david-thompson"},
        {"By contrast, Gordon Brown raised taxes.", "2009-01-01", "gordon-brown"},
        // Quoted words are somebody's words, and a credit needs an outlet or a colon.
        {"Voters feel \"taken for granted\" by Gordon Brown, he said.", "2009-01-01", "gordon-brown"},
        {"The essay \"Why rates matter,\" by Gordon Brown, argued for cuts.", "2009-01-01", "gordon-brown"},
        {"Mike Moore, the WTO's director-general, welcomed China.", "2001-12-12", "mike-moore"},
        {"Gordon Brown has been falling in the polls, said Director Jane Roe of the Fiscal Institute.\n\nThe end.",
         "2009-01-01", "gordon-brown"},
    };
    for (const DatedRow& row : rows) {
        CAPTURE(row.body);
        CHECK(leaders(row.body, row.date) == row.expected);
    }
    // A byline as the first paragraph.
    CHECK(tags("Untitled", "By David Thompson\n\nThe budget was cut.", "2009-01-01") == "");
    // The author field: the author's surname, bare or after an honorific, is the author's...
    CHECK(leaders_by("David Thompson", "Mr Thompson argues rates should fall.", "2009-01-01") == "");
    CHECK(leaders_by("By David L. Thompson", "As David Thompson, I argue rates should fall.", "2009-01-01") == "");
    // ...but an office title still names the leader, and so does a leader named in full before.
    CHECK(leaders_by("John Thompson", "Prime Minister Thompson of Barbados resigned.", "2009-01-01") ==
          "david-thompson");
    CHECK(leaders_by("John Thompson", "David Thompson resigned. Mr Thompson left Barbados.", "2009-01-01") ==
          "david-thompson x2");
}

namespace {

// What find_writer_text finds, as "names: A | B; spans: [text] [text]".
std::string writer_text(const std::string& body, const std::string& author = "") {
    const pundit::WriterText found = pundit::find_writer_text(body, author);
    std::string out = "names:";
    for (std::size_t i = 0; i < found.names.size(); ++i) out += (i == 0 ? " " : " | ") + found.names[i];
    out += "; spans:";
    for (const auto& [begin, end] : found.spans) out += " [" + body.substr(begin, end - begin) + "]";
    return out;
}

} // namespace

TEST_CASE("writer text: bylines, bios and credits are found by their layout, with the writers they name") {
    const struct {
        const char* body;
        const char* author;
        const char* expected;
    } rows[] = {
        // A byline as the first or the last paragraph, and the writers it names.
        {"By David Thompson\n\nThe budget was cut.", "", "names: David Thompson; spans: [By David Thompson]"},
        {"The budget was cut.\n\nBy Jo Twist and Ian Hardy, BBC News", "",
         "names: Jo Twist | Ian Hardy; spans: [By Jo Twist and Ian Hardy, BBC News]"},
        // A byline in the middle of the body is a sentence.
        {"One.\n\nBy David Thompson\n\nThree.", "", "names:; spans:"},
        // A bio: one of the last paragraphs, a name, a verb and a trade.
        {"Rates rose.\n\nMr. Thompson is a senior fellow at the Fiscal Institute.", "",
         "names: Thompson; spans: [Mr. Thompson is a senior fellow at the Fiscal Institute.]"},
        {"Rates rose.\n\n- David Thompson is a columnist for the Daily Planet.", "",
         "names: David Thompson; spans: [- David Thompson is a columnist for the Daily Planet.]"},
        // Without a trade it is news, and the first paragraph is never a bio.
        {"Rates rose.\n\nMr. Trump is the nominee.", "", "names:; spans:"},
        {"Mr. Thompson is a senior fellow at the Fiscal Institute.\n\nRates rose.", "", "names:; spans:"},
        // The credit of a piece cited in the body.
        {"Read \"Why rates matter,\" by The Daily Planet's Jennifer Smith: a fine piece.", "",
         "names: Jennifer Smith; spans: [by The Daily Planet's Jennifer Smith]"},
        // The author field comes first, without its "By".
        {"Rates rose.", "By David L. Thompson", "names: David L. Thompson; spans:"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.body);
        CHECK(writer_text(row.body, row.author) == row.expected);
    }
    const pundit::WriterText found = pundit::find_writer_text("Text.\n\nBy Jane Roe", "");
    CHECK_FALSE(found.covers(0));
    CHECK(found.covers(7));
    CHECK(found.covers(17));
    CHECK_FALSE(found.covers(18));
}
