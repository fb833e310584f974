// Fuzz target: one JSON Lines record. Nothing may crash; a record either
// becomes an article whose fields are valid UTF-8, or is rejected with a
// diagnostic naming the line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pundit/jsonl_reader.hpp"
#include "pundit/text_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    const pundit::JsonlRecord record = pundit::read_jsonl_record(line, "fuzz.jsonl", 7);
    if (record.article) {
        for (const pundit::ArticleField& field : pundit::kArticleFields) {
            if (!pundit::is_valid_utf8((*record.article).*field.member)) std::abort();
        }
    } else {
        bool blank = line.find_first_not_of(" \t\r\n") == std::string_view::npos;
        if (!blank && record.diagnostics.empty()) std::abort(); // no silent drop
        for (const pundit::Diagnostic& d : record.diagnostics) {
            if (d.line != 7) std::abort();
        }
    }
    return 0;
}
