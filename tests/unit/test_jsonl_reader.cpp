#include <doctest/doctest.h>

#include "pundit/input_reader.hpp"
#include "pundit/jsonl_reader.hpp"

using pundit::read_jsonl_record;

namespace {

std::string first_diagnostic(const pundit::JsonlRecord& r) {
    return r.diagnostics.empty() ? std::string() : pundit::format_diagnostic(r.diagnostics.front());
}

} // namespace

TEST_CASE("jsonl: a full record maps every field, and unknown fields are ignored") {
    auto r = read_jsonl_record(
        R"({"id":"m-1","title":"T","body":"B\n\nC","author":"A","date":"2016-06-24T08:30:00Z",)"
        R"("source":"S","url":"https://example.org/x","language":"en","tags":["x"],"views":3})",
        "c.jsonl", 4);
    REQUIRE(r.article.has_value());
    CHECK(r.diagnostics.empty());
    const auto& a = *r.article;
    CHECK(a.id == "m-1");
    CHECK(a.title == "T");
    CHECK(a.body == "B\n\nC");
    CHECK(a.author == "A");
    CHECK(a.date == "2016-06-24");
    CHECK(a.source == "S");
    CHECK(a.url == "https://example.org/x");
    CHECK(a.language == "en");
    CHECK(a.origin_path == "c.jsonl");
    CHECK(a.origin_line == 4);
}

TEST_CASE("jsonl: ids may be integers, and missing ids are left to the caller") {
    auto numeric = read_jsonl_record(R"({"id":42,"title":"T","body":"B"})", "c.jsonl", 1);
    CHECK(numeric.article->id == "42");
    auto missing = read_jsonl_record(R"({"title":"T","body":"B"})", "c.jsonl", 1);
    CHECK(missing.article->id.empty());
}

TEST_CASE("jsonl: integer ids keep their exact digits over the whole signed and unsigned 64-bit range") {
    struct Row {
        std::string id;
        std::string expected;
    };
    const Row rows[] = {
        {"0", "0"},
        {"-7", "-7"},
        {"9223372036854775807", "9223372036854775807"},   // INT64_MAX
        {"-9223372036854775808", "-9223372036854775808"}, // INT64_MIN
        {"9223372036854775808", "9223372036854775808"},   // INT64_MAX + 1: unsigned
        {"12345678901234567890", "12345678901234567890"},
        {"18446744073709551615", "18446744073709551615"}, // UINT64_MAX
    };
    for (const Row& row : rows) {
        CAPTURE(row.id);
        auto r = read_jsonl_record(R"({"id":)" + row.id + R"(,"title":"T","body":"B"})", "c.jsonl", 1);
        REQUIRE(r.article.has_value());
        CHECK(r.article->id == row.expected);
    }
}

TEST_CASE("jsonl: a number id that is not an exact 64-bit integer is refused with the quoted form to write") {
    struct Row {
        std::string id;
        std::string diagnostic;
    };
    const Row rows[] = {
        {"18446744073709551616",
         "c.jsonl:3: error: field \"id\" is an integer too large for 64 bits (18446744073709551616); "
         "quote it: \"id\": \"18446744073709551616\""},
        {"-9223372036854775809",
         "c.jsonl:3: error: field \"id\" is an integer too large for 64 bits (-9223372036854775809); "
         "quote it: \"id\": \"-9223372036854775809\""},
        {"1.5", "c.jsonl:3: error: field \"id\" must be a string or an integer, not 1.5; quote it: \"id\": \"1.5\""},
        {"1E3", "c.jsonl:3: error: field \"id\" must be a string or an integer, not 1E3; quote it: \"id\": \"1E3\""},
        {"true", "c.jsonl:3: error: field \"id\" must be a string or an integer, not boolean"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.id);
        auto r = read_jsonl_record(R"({"id":)" + row.id + R"(,"title":"T","body":"B"})", "c.jsonl", 3);
        CHECK_FALSE(r.article.has_value());
        CHECK(first_diagnostic(r) == row.diagnostic);
    }
    // Only the record's own "id" is an id: numbers elsewhere are left alone.
    auto nested = read_jsonl_record(R"({"id":"x","title":"T","body":"B","meta":{"id":1.5}})", "c.jsonl", 3);
    CHECK(nested.article.has_value());
}

TEST_CASE("jsonl: nesting deeper than kMaxJsonDepth is refused while parsing") {
    const std::string message = "c.jsonl:5: error: JSON nested deeper than 32 levels";
    auto nest = [](std::size_t levels) {
        return std::string(levels, '[') + std::string(levels, ']');
    };
    // The record object is one level: 31 more are accepted, 32 more are not.
    auto deepest = read_jsonl_record(R"({"title":"T","body":"B","x":)" + nest(pundit::kMaxJsonDepth - 1) + "}",
                                     "c.jsonl", 5);
    CHECK(deepest.article.has_value());
    CHECK(deepest.diagnostics.empty());
    struct Row {
        std::string line;
    };
    const Row rows[] = {
        {R"({"title":"T","body":"B","x":)" + nest(pundit::kMaxJsonDepth) + "}"},
        {R"({"title":"T","body":"B","x":{"a":{"b":)" + nest(pundit::kMaxJsonDepth - 2) + "}}}"},
        {nest(pundit::kMaxJsonDepth + 1)},
        // Unterminated: refused at the depth limit, before the end of input is seen.
        {std::string(pundit::kMaxArticleBytes, '[')},
    };
    for (const Row& row : rows) {
        CAPTURE(row.line.substr(0, 80));
        auto r = read_jsonl_record(row.line, "c.jsonl", 5);
        CHECK_FALSE(r.article.has_value());
        CHECK(first_diagnostic(r) == message);
    }
}

TEST_CASE("jsonl: bad records are rejected with a reason") {
    struct Row {
        const char* line;
        const char* diagnostic;
    };
    const Row rows[] = {
        {R"({"title":"T","body":"B")",
         "c.jsonl:7: error: malformed JSON at column 24: syntax error while parsing object - unexpected end of input; expected '}'"},
        {R"(["title","body"])", "c.jsonl:7: error: expected a JSON object, found array"},
        {R"({"title":"T"})", "c.jsonl:7: error: missing \"body\""},
        {R"({"title":["T"],"body":"B"})", "c.jsonl:7: error: field \"title\" must be a string, not array"},
        {R"({"title":"T","body":"B","date":20190629})", "c.jsonl:7: error: field \"date\" must be a string, not number"},
        {R"({"id":1.5,"title":"T","body":"B"})",
         "c.jsonl:7: error: field \"id\" must be a string or an integer, not 1.5; quote it: \"id\": \"1.5\""},
        {R"({"title":"T","body":"B","n":6e666})", "c.jsonl:7: error: malformed JSON: number overflow parsing '6e666'"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.line);
        auto r = read_jsonl_record(row.line, "c.jsonl", 7);
        CHECK_FALSE(r.article.has_value());
        CHECK(first_diagnostic(r) == row.diagnostic);
    }
}

TEST_CASE("jsonl: soft problems are warnings and the record is kept") {
    auto bad_date = read_jsonl_record(R"({"title":"T","body":"B","date":"last Tuesday"})", "c.jsonl", 2);
    REQUIRE(bad_date.article.has_value());
    CHECK(bad_date.article->date.empty());
    CHECK(first_diagnostic(bad_date) ==
          "c.jsonl:2: warning: unrecognised date 'last Tuesday' (expected an ISO 8601 date between 1800 and "
          "2100); indexed without a date");

    auto empty_body = read_jsonl_record(R"({"title":"T","body":""})", "c.jsonl", 3);
    REQUIRE(empty_body.article.has_value());
    CHECK(first_diagnostic(empty_body) == "c.jsonl:3: warning: article has a headline but no body text");

    auto nulls = read_jsonl_record(R"({"title":"T","body":"B","author":null,"date":null})", "c.jsonl", 1);
    REQUIRE(nulls.article.has_value());
    CHECK(nulls.diagnostics.empty());
}

TEST_CASE("jsonl: a title or body without a visible character counts as empty") {
    struct Row {
        std::string title;
        std::string body;
        std::string diagnostic;
    };
    // JSON escapes, as a feed would write them.
    // An empty title is kept empty, for the input reader to make one from
    // the body (test_ingest.cpp); the record is not refused here.
    const Row rows[] = {
        {R"(\u200B\u200C\u200D)", "B", ""},
        {R"(\u2060\uFEFF\u00AD)", "B", ""},
        {R"( \u3000\u0085\u2028\u2029\t\n\u0001\u007F\u009B )", "B", ""},
        {R"(\u180E\u034F\u115F)", "B", ""},
        {"T", R"(\u200B \u00AD\n\n\u2060)", "c.jsonl:4: warning: article has a headline but no body text"},
        // Neither: refused when delivered, not warned of here.
        {R"(\u200B)", R"(\u200B)", ""},
    };
    for (const Row& row : rows) {
        CAPTURE(row.title);
        auto r = read_jsonl_record(R"({"title":")" + row.title + R"(","body":")" + row.body + R"("})", "c.jsonl", 4);
        REQUIRE(r.article.has_value());
        CHECK(first_diagnostic(r) == row.diagnostic);
    }
    // A zero-width joiner between visible characters is part of the text.
    auto joined = read_jsonl_record(R"({"title":"\u0928\u094D\u200D\u0939","body":"B"})", "c.jsonl", 4);
    CHECK(joined.diagnostics.empty());
}

TEST_CASE("jsonl: a record without a title is read, its title left empty") {
    for (const char* line : {R"({"id":"r-1","body":"Showers continued."})", R"({"id":"r-1","title":null,"body":"Showers continued."})",
                             R"({"id":"r-1","title":"","body":"Showers continued."})"}) {
        CAPTURE(line);
        auto r = read_jsonl_record(line, "c.jsonl", 2);
        REQUIRE(r.article.has_value());
        CHECK(r.diagnostics.empty());
        CHECK(r.article->title == "");
        CHECK(r.article->body == "Showers continued.");
    }
}

TEST_CASE("jsonl: blank lines are skipped silently") {
    auto r = read_jsonl_record("   \r", "c.jsonl", 9);
    CHECK_FALSE(r.article.has_value());
    CHECK(r.diagnostics.empty());
}
