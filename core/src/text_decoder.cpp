#include "pundit/text_decoder.hpp"

#include <algorithm>
#include <cstdint>

#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include "pundit/error.hpp"

namespace pundit {
namespace {

std::string convert_to_utf8(std::string_view bytes, const char* charset) {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString u(bytes.data(), static_cast<int32_t>(bytes.size()), charset);
    if (u.isBogus()) {
        throw Error(ErrorKind::internal, std::string("ICU: cannot decode ") + charset);
    }
    (void)status;
    std::string out;
    u.toUTF8String(out);
    return out;
}

std::string unify_line_ends(std::string text) {
    if (text.find('\r') == std::string::npos) return text;
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out.push_back('\n');
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

} // namespace

std::size_t decode_utf8(std::string_view bytes, char32_t& code_point) {
    if (bytes.empty()) return 0;
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const unsigned char c = p[0];
    if (c < 0x80) {
        code_point = c;
        return 1;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0fu;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (len > bytes.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((p[k] & 0xc0u) != 0x80u) return 0;
        cp = (cp << 6) | (p[k] & 0x3fu);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return 0;
    code_point = static_cast<char32_t>(cp);
    return len;
}

std::size_t first_invalid_utf8(std::string_view bytes) {
    std::size_t i = 0;
    while (i < bytes.size()) {
        // ASCII, most of any text, needs no decoding.
        if (static_cast<unsigned char>(bytes[i]) < 0x80) {
            ++i;
            continue;
        }
        char32_t code_point;
        const std::size_t length = decode_utf8(bytes.substr(i), code_point);
        if (length == 0) return i;
        i += length;
    }
    return bytes.size();
}

bool is_valid_utf8(std::string_view bytes) { return first_invalid_utf8(bytes) == bytes.size(); }

std::string windows1252_to_utf8(std::string_view bytes) { return convert_to_utf8(bytes, "windows-1252"); }

DecodedText decode_text(std::string_view bytes) {
    DecodedText out;
    auto starts_with = [&](std::string_view prefix) {
        return bytes.substr(0, prefix.size()) == prefix;
    };
    if (starts_with("\xFF\xFE") || starts_with("\xFE\xFF")) {
        out.encoding = Encoding::utf16;
        // ICU's "UTF-16" converter reads the byte order mark and drops it.
        out.text = unify_line_ends(convert_to_utf8(bytes, "UTF-16"));
        return out;
    }
    if (starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    if (bytes.find('\0') != std::string_view::npos) {
        out.encoding = Encoding::binary;
        return out;
    }
    std::size_t bad = first_invalid_utf8(bytes);
    if (bad == bytes.size()) {
        out.text = unify_line_ends(std::string(bytes));
        return out;
    }
    out.encoding = Encoding::windows1252;
    // Line ends are ASCII, the same bytes in both encodings: unified first,
    // so that lines can be counted on the bytes.
    const std::string text = unify_line_ends(std::string(bytes));
    bad = first_invalid_utf8(text);
    out.first_invalid_line =
        1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
    out.text.reserve(text.size() + text.size() / 8);
    std::size_t line = 1, at = 0;
    while (at < text.size()) {
        // A paragraph: the blank lines before it, its lines, and the first
        // blank line after it (blank lines are ASCII: where they go does
        // not matter).
        const std::size_t start = at;
        std::size_t first_line = 0; // of text
        while (at < text.size()) {
            std::size_t end = text.find('\n', at);
            end = end == std::string::npos ? text.size() : end + 1;
            const bool blank = text.find_first_not_of(" \t\n", at) >= end;
            if (!blank && first_line == 0) first_line = line;
            at = end;
            ++line;
            if (blank && first_line != 0) break;
        }
        const std::string_view paragraph = std::string_view(text).substr(start, at - start);
        if (is_valid_utf8(paragraph)) {
            out.mixed = out.mixed || std::any_of(paragraph.begin(), paragraph.end(),
                                                 [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
            out.text += paragraph;
        } else {
            out.fallback_paragraphs.push_back(first_line);
            out.text += windows1252_to_utf8(paragraph);
        }
    }
    return out;
}

} // namespace pundit
