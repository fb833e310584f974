// Fuzz target: bytes of a file, decoded as the indexer decodes them, then read
// as an op-ed text article. Nothing may crash, and whatever is read must be
// valid UTF-8, and a headline comes with a body or a warning that there is none.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pundit/text_decoder.hpp"
#include "pundit/text_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const pundit::DecodedText decoded = pundit::decode_text(bytes);
    if (!pundit::is_valid_utf8(decoded.text)) std::abort();
    const pundit::TextArticle read = pundit::read_text_article(decoded.text, "fuzz.txt");
    if (read.article) {
        for (const pundit::ArticleField& field : pundit::kArticleFields) {
            if (!pundit::is_valid_utf8((*read.article).*field.member)) std::abort();
        }
        // A headline alone is indexed, with a warning. Without a headline the
        // input reader makes one of the body's opening words, or refuses the
        // article when there are none (input_reader.cpp; unit-tested there).
        if (!read.article->title.empty() && read.article->body.empty() && read.diagnostics.empty()) std::abort();
    }
    return 0;
}
