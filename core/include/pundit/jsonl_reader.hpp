// Reads JSON Lines records: one article per line, an object with "id",
// "title", "body" and optional "author", "date" (ISO 8601 date or date-time),
// "source", "url", "language". Unknown fields are ignored. Parsing is
// nlohmann::json's; this unit maps fields and reports what is wrong with a
// record. Not for splitting a stream into lines (input_reader.hpp does that,
// with bounded memory).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pundit/article.hpp"
#include "pundit/diagnostic.hpp"

namespace pundit {

struct JsonlRecord {
    std::optional<Article> article; // nullopt when the record is rejected
    std::vector<Diagnostic> diagnostics;
};

// Parses the record on line `line_number` of `path`. A blank line yields
// neither an article nor a diagnostic. The id is left empty when the record
// has none (the caller derives one).
JsonlRecord read_jsonl_record(std::string_view line, const std::string& path,
                              std::size_t line_number);

} // namespace pundit
