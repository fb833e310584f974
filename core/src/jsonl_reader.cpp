#include "pundit/jsonl_reader.hpp"

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "pundit/date.hpp"

namespace pundit {
namespace {

using nlohmann::json;

const char* type_name(const json& value) { return value.type_name(); }

// Builds a record's value with nlohmann's own DOM builder (so values and
// parse errors are exactly json::parse's), with two additions a record
// needs: nesting deeper than kMaxJsonDepth stops the parse at once, before
// anything past the limit is built, and the text of a top-level "id" that
// is not an integer is kept as written, since a double has lost its digits.
class RecordBuilder {
public:
    using Dom = nlohmann::detail::json_sax_dom_parser<json>;

    explicit RecordBuilder(json& root) : m_dom(root, /*allow_exceptions=*/true) {}

    bool too_deep() const { return m_too_deep; }
    // The "id" field of the record as written, when it was a number that
    // is not an exact 64-bit integer; empty otherwise.
    const std::string& inexact_id() const { return m_inexact_id; }

    bool null() {
        value();
        return m_dom.null();
    }
    bool boolean(bool v) {
        value();
        return m_dom.boolean(v);
    }
    bool number_integer(json::number_integer_t v) {
        value();
        return m_dom.number_integer(v);
    }
    bool number_unsigned(json::number_unsigned_t v) {
        value();
        return m_dom.number_unsigned(v);
    }
    bool number_float(json::number_float_t v, const json::string_t& text) {
        if (m_depth == 1 && m_next_is_id) m_inexact_id = text;
        value();
        return m_dom.number_float(v, text);
    }
    bool string(json::string_t& v) {
        value();
        return m_dom.string(v);
    }
    bool binary(json::binary_t& v) {
        value();
        return m_dom.binary(v);
    }
    bool key(json::string_t& k) {
        if (m_depth == 1) m_next_is_id = k == "id";
        return m_dom.key(k);
    }
    bool start_object(std::size_t n) { return enter() && m_dom.start_object(n); }
    bool end_object() {
        --m_depth;
        return m_dom.end_object();
    }
    bool start_array(std::size_t n) { return enter() && m_dom.start_array(n); }
    bool end_array() {
        --m_depth;
        return m_dom.end_array();
    }
    template <class Exception>
    bool parse_error(std::size_t position, const std::string& token, const Exception& e) {
        return m_dom.parse_error(position, token, e);
    }

private:
    void value() {
        if (m_depth == 1) m_next_is_id = false;
    }
    bool enter() {
        value();
        if (++m_depth > kMaxJsonDepth) {
            m_too_deep = true;
            return false;
        }
        return true;
    }

    Dom m_dom;
    std::size_t m_depth = 0;
    bool m_too_deep = false;
    bool m_next_is_id = false;
    std::string m_inexact_id;
};

// The id of a record from its "id" value: a string as it is, an integer in
// its exact decimal digits (signed or unsigned 64-bit). Anything else is a
// problem, said with the quoted form to write instead when it is a number.
std::optional<std::string> record_id(const json& id, const std::string& written, std::string& problem) {
    if (id.is_string()) return id.get<std::string>();
    if (id.is_number_unsigned()) return std::to_string(id.get<std::uint64_t>());
    if (id.is_number_integer()) return std::to_string(id.get<std::int64_t>());
    if (id.is_number_float() && !written.empty()) {
        // nlohmann reads an integer beyond 64 bits as a double, rounding it.
        bool integral = written.find_first_of(".eE") == std::string::npos;
        std::string quoted = "quote it: \"id\": \"" + written + "\"";
        problem = integral ? "field \"id\" is an integer too large for 64 bits (" + written + "); " + quoted
                           : "field \"id\" must be a string or an integer, not " + written + "; " + quoted;
        return std::nullopt;
    }
    problem = std::string("field \"id\" must be a string or an integer, not ") + type_name(id);
    return std::nullopt;
}

} // namespace

JsonlRecord read_jsonl_record(std::string_view line, const std::string& path,
                              std::size_t line_number) {
    JsonlRecord result;
    auto error = [&](std::string message) {
        result.diagnostics.push_back(Diagnostic{path, line_number, Severity::error, std::move(message)});
        result.article.reset();
        return result;
    };
    auto warn = [&](std::string message) {
        result.diagnostics.push_back(Diagnostic{path, line_number, Severity::warning, std::move(message)});
    };

    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return result;

    json record;
    RecordBuilder builder(record);
    try {
        json::sax_parse(line, &builder);
    } catch (const json::parse_error& e) {
        // e.byte is 1-based; report it as a column.
        return error("malformed JSON at column " + std::to_string(e.byte) + ": " +
                     std::string(e.what()).substr(std::string(e.what()).find(':') + 2));
    } catch (const json::exception& e) {
        // A number too large for a double ("6e666") and the like: the
        // record is refused, never the batch (found by fuzz_jsonl_reader).
        return error("malformed JSON: " + std::string(e.what()).substr(std::string(e.what()).find(']') + 2));
    }
    if (builder.too_deep()) {
        return error("JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    }
    if (!record.is_object()) {
        return error(std::string("expected a JSON object, found ") + type_name(record));
    }

    Article article;
    article.origin_path = path;
    article.origin_line = line_number;

    // Fetches an optional string field; a wrong type rejects the record.
    std::string problem;
    auto field = [&](const char* name, std::string& out) {
        auto it = record.find(name);
        if (it == record.end() || it->is_null()) return;
        if (it->is_string()) {
            out = it->get<std::string>();
        } else if (problem.empty()) {
            problem = std::string("field \"") + name + "\" must be a string, not " + type_name(*it);
        }
    };

    if (auto it = record.find("id"); it != record.end() && !it->is_null()) {
        auto id = record_id(*it, builder.inexact_id(), problem);
        if (!id) return error(problem);
        article.id = std::move(*id);
    }
    for (const ArticleField& f : kArticleFields) {
        // The id may be a number (handled above); the date is validated below.
        if (std::string_view(f.name) != "id") field(f.name, article.*f.member);
    }
    std::string date;
    std::swap(date, article.date);
    if (!problem.empty()) return error(problem);

    // A record without a headline gets one from its body when it is
    // delivered (InputReader), or is refused there when it has no body text
    // either.
    if (!record.contains("body") || record["body"].is_null()) return error("missing \"body\"");
    if (has_visible_text(article.title) && !has_visible_text(article.body)) {
        warn("article has a headline but no body text");
    }
    if (!date.empty()) {
        if (auto parsed = parse_iso_date(date)) {
            article.date = *parsed;
        } else {
            warn("unrecognised date '" + date + "' (expected an ISO 8601 date between " +
                 std::to_string(kMinYear) + " and " + std::to_string(kMaxYear) +
                 "); indexed without a date");
        }
    }
    result.article = std::move(article);
    return result;
}

} // namespace pundit
