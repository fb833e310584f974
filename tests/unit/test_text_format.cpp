#include <doctest/doctest.h>

#include <string>

#include "pundit/text_format.hpp"

TEST_CASE("format_count groups digits by thousands") {
    const std::pair<std::uint64_t, std::string> rows[] = {
        {0, "0"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {18446744073709551615u, "18,446,744,073,709,551,615"},
    };
    for (const auto& [n, expected] : rows) CHECK(pundit::format_count(n) == expected);
}

TEST_CASE("sanitise_for_terminal: control characters in caret notation, line breaks folded or kept") {
    using pundit::LineBreaks;
    struct Row {
        std::string input;
        std::string folded; // LineBreaks::fold
        std::string kept;   // LineBreaks::keep
    };
    const Row rows[] = {
        {"Erdoğan, Путин, 习近平 «quoted»", "Erdoğan, Путин, 习近平 «quoted»", "Erdoğan, Путин, 习近平 «quoted»"},
        {"", "", ""},
        // OSC 52 (the clipboard), CSI 2 J (clear the screen), OSC 0 (the window title).
        {"\x1b]52;c;cHduZWQ=\x07", "^[]52;c;cHduZWQ=^G", "^[]52;c;cHduZWQ=^G"},
        {"a\x1b[2Jb", "a^[[2Jb", "a^[[2Jb"},
        {"\x1b]0;title\x1b\\", "^[]0;title^[\\", "^[]0;title^[\\"},
        {std::string("nul\0end", 7), "nul^@end", "nul^@end"},
        {"\x01\x1f\x7f", "^A^_^?", "^A^_^?"},
        // C1 controls as UTF-8: CSI (U+009B), the first and last; NBSP (U+00A0) is text.
        {"\xC2\x9B" "31m", "M-^[31m", "M-^[31m"},
        {"\xC2\x80\xC2\x9F\xC2\xA0", "M-^@M-^_\xC2\xA0", "M-^@M-^_\xC2\xA0"},
        // Line breaks: LF, CR LF, lone CR, VT, FF, NEL, LS, PS; and tabs.
        {"one\ntwo", "one two", "one\ntwo"},
        {"one\r\ntwo\rthree", "one two three", "one\ntwo\nthree"},
        {"a\vb\fc", "a b c", "a\nb\nc"},
        {"a\xC2\x85" "b\xE2\x80\xA8" "c\xE2\x80\xA9" "d", "a b c d", "a\nb\nc\nd"},
        {"col\tcol", "col col", "col\tcol"},
        {"\n\n", "  ", "\n\n"},
        // Bytes that are not UTF-8, each shown as U+FFFD: a Latin-1 é, a cut
        // sequence, an overlong '/', a surrogate, a lone C1 byte (CSI in a
        // Latin-1 terminal).
        {"caf\xE9", "caf\xEF\xBF\xBD", "caf\xEF\xBF\xBD"},
        {"cut\xE2\x80", "cut\xEF\xBF\xBD\xEF\xBF\xBD", "cut\xEF\xBF\xBD\xEF\xBF\xBD"},
        {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD", "\xEF\xBF\xBD\xEF\xBF\xBD"},
        {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
        {"\x9B" "2J", "\xEF\xBF\xBD" "2J", "\xEF\xBF\xBD" "2J"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.input);
        CHECK(pundit::sanitise_for_terminal(row.input) == row.folded);
        CHECK(pundit::sanitise_for_terminal(row.input, LineBreaks::keep) == row.kept);
    }
}

TEST_CASE("escape_json_controls writes DEL and U+0080 to U+009F as JSON escapes and leaves the rest") {
    const std::pair<std::string, std::string> rows[] = {
        {R"({"t":"plain"})", R"({"t":"plain"})"},
        {"{\"t\":\"\xC2\x9B" "31m\"}", R"({"t":"\u009b31m"})"},
        {"{\"t\":\"\xC2\x80\xC2\x85\xC2\x9F\"}", R"({"t":"\u0080\u0085\u009f"})"},
        {"{\"t\":\"\xC2\xA0\xC3\xA9\xC2\xBB\"}", "{\"t\":\"\xC2\xA0\xC3\xA9\xC2\xBB\"}"},
        {"{\"t\":\"\xE2\x80\x9C\"}", "{\"t\":\"\xE2\x80\x9C\"}"},
        {"{\"t\":\"del\x7f\"}", R"({"t":"del\u007f"})"},
    };
    for (const auto& [json, expected] : rows) {
        CAPTURE(json);
        CHECK(pundit::escape_json_controls(json) == expected);
    }
}
