#include "pundit/article.hpp"

#include <cstdint>
#include <cstdio>

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

// What breaks a line of text: controls (general category Cc: C0, DEL and C1,
// which holds U+0085 NEXT LINE) and the line and paragraph separators. Format
// characters (Cf) are not among them: a zero-width non-joiner is part of a
// Persian word, and a zero-width joiner of an emoji.
bool breaks_line(UChar32 c) {
    if (c < 0) return false;
    const auto type = static_cast<UCharCategory>(u_charType(c));
    return type == U_CONTROL_CHAR || type == U_LINE_SEPARATOR || type == U_PARAGRAPH_SEPARATOR;
}

bool is_space_or_break(UChar32 c) { return c >= 0 && (u_isUWhiteSpace(c) || breaks_line(c)); }

} // namespace

std::string fold_to_one_line(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        CodePoint cp = code_point_at(text, i);
        if (!is_space_or_break(cp.c)) {
            out.append(text.substr(i, cp.end - i));
            i = cp.end;
            continue;
        }
        // A run of white space and breaks: one space if it holds a break,
        // else as it is; nothing at either end.
        const std::size_t start = i;
        bool folds = false;
        while (i < text.size() && is_space_or_break(cp.c)) {
            folds = folds || breaks_line(cp.c);
            i = cp.end;
            if (i < text.size()) cp = code_point_at(text, i);
        }
        if (out.empty() || i == text.size()) continue;
        if (folds) out.push_back(' ');
        else out.append(text.substr(start, i - start));
    }
    return out;
}

std::optional<char32_t> first_line_break_or_control(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        CodePoint cp = code_point_at(text, i);
        if (breaks_line(cp.c)) return static_cast<char32_t>(cp.c);
        i = cp.end;
    }
    return std::nullopt;
}

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

std::string code_point_name(char32_t c) {
    char name[16];
    std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
    return name;
}

} // namespace pundit
