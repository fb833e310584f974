#include <doctest/doctest.h>

#include "pundit/article.hpp"

TEST_CASE("article: fold_to_one_line folds each run of breaks and controls to one space and trims") {
    struct Row {
        std::string text;
        std::string expected;
    };
    const Row rows[] = {
        {"Line1\nDate: 1999-01-01", "Line1 Date: 1999-01-01"},
        {"a\r\nb", "a b"},
        {"a \n\t b", "a b"},                         // the spaces around a break go with it
        {"a\vb\fc", "a b c"},
        {"a\u0085b\u2028c\u2029d", "a b c d"},       // NEXT LINE, LINE and PARAGRAPH SEPARATOR
        {"a\x01" "b\x7f" "c\u009bd", "a b c d"},     // C0, DEL, C1
        {"a\n\n\n\nb", "a b"},
        {"  two  spaces  kept  ", "two  spaces  kept"},
        {"\u3000ideographic\u00a0space\u3000", "ideographic\u00a0space"},
        {"\n\t\r", ""},
        {"", ""},
        {"\u0646\u0645\u200C\u06CC", "\u0646\u0645\u200C\u06CC"}, // a Persian zero-width non-joiner stays
        {"caf\xC3\xA9", "caf\xC3\xA9"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.text);
        CHECK(pundit::fold_to_one_line(row.text) == row.expected);
    }
}

TEST_CASE("article: first_line_break_or_control names the first character fold_to_one_line folds") {
    struct Row {
        std::string text;
        std::string expected; // "" when none
    };
    const Row rows[] = {
        {"plain id", ""},
        {"a\nb", "U+000A"},
        {"a\tb\n", "U+0009"},
        {"x\u2028", "U+2028"},
        {"x\u0085", "U+0085"},
        {"zero\u200Bwidth", ""}, // a format character, not a control
    };
    for (const Row& row : rows) {
        CAPTURE(row.text);
        auto c = pundit::first_line_break_or_control(row.text);
        CHECK((c ? pundit::code_point_name(*c) : std::string()) == row.expected);
    }
}

TEST_CASE("article: has_visible_text is false for white space, controls and default-ignorable code points") {
    struct Row {
        std::string text;
        bool visible;
    };
    const Row rows[] = {
        {"", false},
        {" \t\r\n\v\f", false},
        {"\u200B\u200C\u200D\u2060\uFEFF\u00AD", false},
        {"\u3000\u00A0\u2028\u2029\u0085", false},
        {"\u034F\u115F\u3164\u180E\uFE0F", false},
        {"\x01\x7f", false},
        {"a", true},
        {"\u200B.\u200B", true},
        {"\u4E60", true},
        {"\xFF", true}, // undecodable bytes are something, not nothing
    };
    for (const Row& row : rows) {
        CAPTURE(row.text);
        CHECK(pundit::has_visible_text(row.text) == row.visible);
    }
}

namespace {

std::string repeat(const std::string& text, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += text;
    return out;
}

} // namespace

TEST_CASE("article: derive_headline takes the opening words of the body") {
    struct Row {
        std::string body;
        std::string expected;
    };
    const Row rows[] = {
        // The first sentence, when short enough.
        {"Showers continued throughout the week in the Bahia cocoa zone. Farmers said...",
         "Showers continued throughout the week in the Bahia cocoa zone."},
        // Twelve words, then an ellipsis; wrapped lines are one line.
        {"The Bank of Japan said on Monday it would keep\nbuying dollars to stem the rise of the yen, dealers said.",
         "The Bank of Japan said on Monday it would keep buying dollars…"},
        // Abbreviations do not end the sentence; trailing commas go before the ellipsis.
        {"The U.S. Treasury and Mr. Baker agreed, officials said, on a plan of eleven words,",
         "The U.S. Treasury and Mr. Baker agreed, officials said, on a plan…"},
        // A short first paragraph is taken whole, as a headline (a wire
        // story's first line).
        {"FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26\n\nTwo weeks ended Feb 25 daily avgs-mlns",
         "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26"},
        {"\n \n\u200B\n\nOpening line\n  \nNext", "Opening line"},
        // The whole body when it is short.
        {"  Oil prices fell  ", "Oil prices fell"},
        {"Short body", "Short body"},
        // No spaces (Chinese): cut at 100 bytes on a character boundary.
        {repeat("\u4E2D", 40), repeat("\u4E2D", 33) + "…"},
        {"\u200B \n\n", ""},
        {"", ""},
    };
    for (const Row& row : rows) {
        CAPTURE(row.body);
        CHECK(pundit::derive_headline(row.body) == row.expected);
    }
}
