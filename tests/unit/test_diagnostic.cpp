#include <doctest/doctest.h>

#include <string>

#include "pundit/diagnostic.hpp"

TEST_CASE("diagnostics name the file and line, with the file name's and reason's control characters shown") {
    struct Row {
        pundit::Diagnostic diagnostic;
        std::string expected;
    };
    const Row rows[] = {
        {{"feed.jsonl", 12, pundit::Severity::error, "missing \"title\""}, "feed.jsonl:12: error: missing \"title\""},
        {{"notes.txt", 0, pundit::Severity::warning, "decoded as Windows-1252"},
         "notes.txt: warning: decoded as Windows-1252"},
        // File names and ids come from the input: a name may hold an escape
        // sequence, or a newline that would forge a second diagnostic.
        {{"evil\x1b]0;owned\x07.txt", 1, pundit::Severity::error, "empty file"}, "evil^[]0;owned^G.txt:1: error: empty file"},
        {{"two\nlines.txt", 3, pundit::Severity::error, "id 'a\r\nb:9: error: forged' is empty"},
         "two lines.txt:3: error: id 'a b:9: error: forged' is empty"},
        {{"latin1-\xE9.txt", 0, pundit::Severity::warning, "C1 \xC2\x9B" "2J"},
         "latin1-\xEF\xBF\xBD.txt: warning: C1 M-^[2J"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.expected);
        CHECK(pundit::format_diagnostic(row.diagnostic) == row.expected);
    }
}
