#include "pundit/jsonl_reader.hpp"

#include <nlohmann/json.hpp>

#include "pundit/date.hpp"

namespace pundit {
namespace {

using nlohmann::json;

const char* type_name(const json& value) { return value.type_name(); }

// Builds a record's value with nlohmann's own DOM builder (so values and
// parse errors are exactly json::parse's), except that nesting deeper than
// kMaxJsonDepth stops the parse at once, before anything past the limit is
// built.
class RecordBuilder {
public:
    using Dom = nlohmann::detail::json_sax_dom_parser<json>;

    explicit RecordBuilder(json& root) : m_dom(root, /*allow_exceptions=*/true) {}

    bool too_deep() const { return m_too_deep; }

    bool null() { return m_dom.null(); }
    bool boolean(bool v) { return m_dom.boolean(v); }
    bool number_integer(json::number_integer_t v) { return m_dom.number_integer(v); }
    bool number_unsigned(json::number_unsigned_t v) { return m_dom.number_unsigned(v); }
    bool number_float(json::number_float_t v, const json::string_t& text) { return m_dom.number_float(v, text); }
    bool string(json::string_t& v) { return m_dom.string(v); }
    bool binary(json::binary_t& v) { return m_dom.binary(v); }
    bool key(json::string_t& k) { return m_dom.key(k); }
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
    bool parse_error(std::size_t position, const std::string& token, const Exception& e) { return m_dom.parse_error(position, token, e); }

private:
    bool enter() {
        if (++m_depth > kMaxJsonDepth) {
            m_too_deep = true;
            return false;
        }
        return true;
    }

    Dom m_dom;
    std::size_t m_depth = 0;
    bool m_too_deep = false;
};

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
        if (it->is_string()) {
            article.id = it->get<std::string>();
        } else if (it->is_number_integer()) {
            article.id = std::to_string(it->get<long long>());
        } else {
            return error(std::string("field \"id\" must be a string or an integer, not ") + type_name(*it));
        }
    }
    for (const ArticleField& f : kArticleFields) {
        // The id may be a number (handled above); the date is validated below.
        if (std::string_view(f.name) != "id") field(f.name, article.*f.member);
    }
    std::string date;
    std::swap(date, article.date);
    if (!problem.empty()) return error(problem);

    if (!record.contains("title") || record["title"].is_null()) return error("missing \"title\"");
    if (!record.contains("body") || record["body"].is_null()) return error("missing \"body\"");
    if (article.title.find_first_not_of(" \t\r\n") == std::string::npos) {
        return error("empty \"title\"");
    }
    if (article.body.find_first_not_of(" \t\r\n") == std::string::npos) {
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
