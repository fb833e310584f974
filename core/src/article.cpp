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

namespace {

// Bytes of the body read for a headline: more than enough for the words
// wanted, whatever the body's size.
constexpr std::size_t kHeadlineSourceBytes = 4 * kDerivedHeadlineBytes;

// Whether `word` ends a sentence: a full stop, question or exclamation mark
// after a word of more than three bytes with no other full stop in it, so
// that "Mr." and "U.S." do not.
bool ends_sentence(std::string_view word) {
    if (word.empty()) return false;
    const char last = word.back();
    if (last == '!' || last == '?') return true;
    return last == '.' && word.size() > 4 && word.substr(0, word.size() - 1).find('.') == std::string_view::npos;
}

// `text` cut to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view cut_at_code_point(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t n = max_bytes;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xc0u) == 0x80u) --n;
    return text.substr(0, n);
}

// The first paragraph of `body` that shows something (paragraphs end at a
// blank line), and whether it is all there is to it within `max_bytes`.
std::string_view first_paragraph(std::string_view body, std::size_t max_bytes, bool& whole) {
    std::size_t start = 0;
    while (start < body.size()) {
        std::size_t end = body.size();
        // A line break followed by a line of nothing but white space ends a paragraph.
        for (std::size_t nl = body.find('\n', start); nl != std::string_view::npos; nl = body.find('\n', nl + 1)) {
            const std::size_t next = body.find_first_not_of(" \t\r", nl + 1);
            if (next == std::string_view::npos || body[next] == '\n') {
                end = nl;
                break;
            }
        }
        const std::string_view paragraph = body.substr(start, end - start);
        if (has_visible_text(paragraph.substr(0, max_bytes))) {
            whole = paragraph.size() <= max_bytes;
            return cut_at_code_point(paragraph, max_bytes);
        }
        start = end + 1;
    }
    whole = true;
    return {};
}

} // namespace

std::string derive_headline(std::string_view body) {
    bool whole = false;
    const std::string_view source = first_paragraph(body, kHeadlineSourceBytes, whole);
    const std::string text = fold_to_one_line(source);
    if (!has_visible_text(text)) return {};
    std::string headline;
    std::size_t at = 0, words = 0;
    bool complete = false; // the headline holds a whole sentence, or all the text
    while (at < text.size()) {
        std::size_t end = text.find(' ', at);
        if (end == std::string::npos) end = text.size();
        const std::string_view word = std::string_view(text).substr(at, end - at);
        if (words == kDerivedHeadlineWords || headline.size() + 1 + word.size() > kDerivedHeadlineBytes) {
            if (words == 0) headline = cut_at_code_point(word, kDerivedHeadlineBytes);
            break;
        }
        headline += (words == 0 ? "" : " ") + std::string(word);
        ++words;
        at = end + 1;
        if (ends_sentence(word)) {
            complete = true;
            break;
        }
    }
    // A first paragraph short enough to be taken whole reads as a headline.
    if (at >= text.size() && whole) complete = true;
    if (!complete) {
        while (!headline.empty() && std::string_view(",;:-").find(headline.back()) != std::string_view::npos) {
            headline.pop_back();
        }
        headline += "\xE2\x80\xA6"; // …
    }
    return headline;
}

std::string code_point_name(char32_t c) {
    char name[16];
    std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
    return name;
}

} // namespace pundit
