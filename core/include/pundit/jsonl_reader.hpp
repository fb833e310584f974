// Reads JSON Lines records: one article per line, an object with "id" (a
// string, or an integer kept in its exact decimal digits), "body" and
// optional "title" (without one the title is left empty, for the caller to
// derive), "author", "date" (ISO 8601 date or date-time), "source", "url",
// "language". Unknown fields are ignored. Parsing is
// nlohmann::json's; this unit maps fields and reports what is wrong with a
// record. Not for splitting a stream into lines (input_reader.hpp does that,
// with bounded memory).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pundit/article.hpp"
#include "pundit/diagnostic.hpp"

namespace pundit {

// Deepest nesting of arrays and objects accepted in a record (the record
// object itself is one level). Records need two or three; the limit is
// checked while parsing, so a line of 16 MiB of '[' is refused at the 33rd
// instead of building millions of nested values first (1.3 GB for one line).
inline constexpr std::size_t kMaxJsonDepth = 32;

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
