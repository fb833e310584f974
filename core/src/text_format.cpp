#include "pundit/text_format.hpp"

#include <cstdio>

#include "pundit/text_decoder.hpp"

namespace pundit {
namespace {

// Shown for a byte that is not UTF-8: the Unicode replacement character.
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Caret notation: a C0 control is '^' and the character 0x40 above it ("^["
// for ESC, "^@" for NUL); DEL is "^?". A C1 control is "M-" and the caret
// form of the C0 control 0x80 below it, as `cat -v` shows the Latin-1 byte.
constexpr char32_t kCaretOffset = 0x40;
constexpr char32_t kDelete = 0x7F;
constexpr char32_t kFirstC1 = 0x80;
constexpr char32_t kLastC1 = 0x9F;
constexpr std::string_view kMetaPrefix = "M-";

// Line breaks besides LF, CR, VT and FF: NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
constexpr char32_t kNextLine = 0x85;
constexpr char32_t kLineSeparator = 0x2028;
constexpr char32_t kParagraphSeparator = 0x2029;

bool is_line_break(char32_t c) {
    return c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == kNextLine || c == kLineSeparator ||
           c == kParagraphSeparator;
}

bool is_control(char32_t c) { return c < 0x20 || c == kDelete || (c >= kFirstC1 && c <= kLastC1); }

void append_caret(char32_t control, std::string& out) {
    if (control >= kFirstC1) {
        out += kMetaPrefix;
        control -= kFirstC1;
    }
    out += '^';
    out += control == kDelete ? '?' : static_cast<char>(control + kCaretOffset);
}

} // namespace

std::string format_count(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

std::string sanitise_for_terminal(std::string_view text, LineBreaks breaks) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        // Printable ASCII, most of any text, is copied as it is.
        if (const auto byte = static_cast<unsigned char>(text[i]); byte >= 0x20 && byte < kDelete) {
            out.push_back(text[i++]);
            continue;
        }
        char32_t c = 0;
        const std::size_t length = decode_utf8(text.substr(i), c);
        if (length == 0) {
            out += kReplacement;
            ++i;
            continue;
        }
        if (c == '\t') {
            out += breaks == LineBreaks::keep ? '\t' : ' ';
        } else if (is_line_break(c)) {
            // CR LF is one line break, not two.
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            out += breaks == LineBreaks::keep ? '\n' : ' ';
        } else if (is_control(c)) {
            append_caret(c, out);
        } else {
            out += text.substr(i, length);
        }
        i += length;
    }
    return out;
}

std::string escape_json_controls(std::string json) {
    // In UTF-8 the C1 controls are the byte 0xC2 followed by 0x80 to 0x9F,
    // and 0xC2 always starts a character: the bytes cannot mean anything
    // else. Outside strings JSON text is printable ASCII.
    constexpr char kLead = '\xC2';
    if (json.find(kLead) == std::string::npos && json.find(static_cast<char>(kDelete)) == std::string::npos) {
        return json;
    }
    std::string out;
    out.reserve(json.size());
    auto escape = [&](char32_t control) {
        char text[sizeof "\\u0000"];
        std::snprintf(text, sizeof text, "\\u%04x", static_cast<unsigned>(control));
        out += text;
    };
    for (std::size_t i = 0; i < json.size(); ++i) {
        const auto next = i + 1 < json.size() ? static_cast<unsigned char>(json[i + 1]) : 0u;
        if (json[i] == kLead && next >= kFirstC1 && next <= kLastC1) {
            escape(next);
            ++i;
        } else if (json[i] == static_cast<char>(kDelete)) {
            escape(kDelete);
        } else {
            out.push_back(json[i]);
        }
    }
    return out;
}

} // namespace pundit
