#include <doctest/doctest.h>

#include <string>
#include <vector>

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

TEST_CASE("a diagnostic's kind is its message without the numbers and quoted values it names") {
    struct Row {
        std::string message;
        std::string kind;
    };
    const Row rows[] = {
        {"malformed JSON at column 64: syntax error while parsing object", "malformed JSON at column"},
        {"duplicate id 'bad-1' (also at feed.jsonl:1); the last one wins", "duplicate id"},
        {"unrecognised date '01/05/2019' (expected an ISO 8601 date)", "unrecognised date"},
        {"missing \"body\"", "missing \"body\""},
        {"field \"title\" must be a string, not array", "field \"title\" must be a string, not array"},
        {"invalid UTF-8; decoded as Windows-1252", "invalid UTF-8; decoded as Windows-1252"},
        {"id contains a line break or control character (U+000A); not indexed", "id contains a line break or control character (U+"},
        {"record is over 16 MiB; refused", "record is over"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.message);
        CHECK(pundit::diagnostic_kind(row.message) == row.kind);
    }
}

TEST_CASE("the diagnostic limiter shows the first of each kind per file and counts the rest") {
    using pundit::Diagnostic;
    using pundit::Severity;
    pundit::DiagnosticLimiter limiter(2);
    auto admitted = [&](const std::string& path, std::size_t line, Severity severity, const std::string& message) {
        return limiter.admit(Diagnostic{path, line, severity, message});
    };
    CHECK(admitted("a.jsonl", 1, Severity::error, "malformed JSON at column 2: x"));
    CHECK(admitted("a.jsonl", 2, Severity::error, "malformed JSON at column 9: y"));
    CHECK_FALSE(admitted("a.jsonl", 3, Severity::error, "malformed JSON at column 2: x"));
    CHECK(admitted("a.jsonl", 4, Severity::warning, "malformed JSON at column 2: x")); // another severity
    CHECK(admitted("b.jsonl", 1, Severity::error, "malformed JSON at column 2: x"));   // another file
    for (std::size_t line = 5; line < 1795; ++line) {
        CHECK_FALSE(admitted("a.jsonl", line, Severity::error, "malformed JSON at column 3: z"));
    }
    CHECK(limiter.take_held_back() ==
          std::vector<std::string>{"a.jsonl: error: ... and 1,791 more like 'malformed JSON at column' (--verbose shows them all)"});
    // Counting starts again.
    CHECK(limiter.take_held_back().empty());
    CHECK(admitted("a.jsonl", 1, Severity::error, "malformed JSON at column 2: x"));

    pundit::DiagnosticLimiter all(0);
    for (int i = 0; i < 100; ++i) CHECK(all.admit(Diagnostic{"a", 1, Severity::error, "same"}));
    CHECK(all.take_held_back().empty());
}
