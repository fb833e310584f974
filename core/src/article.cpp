#include "pundit/article.hpp"

#include <cstdint>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace pundit {
namespace {

// A code point of `text` at byte `i`, and where the next one starts. Invalid
// UTF-8 (which the readers have decoded away before) reads as a negative
// code point covering one bad sequence.
struct CodePoint {
    UChar32 c;
    std::size_t end;
};

CodePoint code_point_at(std::string_view text, std::size_t i) {
    // A UTF-8 sequence is at most 4 bytes: decoding from a window keeps
    // ICU's 32-bit offsets valid whatever the size of the text.
    const std::string_view window = text.substr(i, 4);
    std::int32_t at = 0;
    UChar32 c;
    U8_NEXT(reinterpret_cast<const std::uint8_t*>(window.data()), at, static_cast<std::int32_t>(window.size()), c);
    return CodePoint{c, i + static_cast<std::size_t>(at)};
}

} // namespace

bool has_visible_text(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        CodePoint cp = code_point_at(text, i);
        // u_iscntrl covers the controls, the format characters (Cf) and the
        // line and paragraph separators.
        bool invisible = cp.c >= 0 && (u_isUWhiteSpace(cp.c) || u_iscntrl(cp.c) ||
                                       u_hasBinaryProperty(cp.c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT));
        if (!invisible) return true;
        i = cp.end;
    }
    return false;
}

} // namespace pundit
