// How text is written for people and programs to read: counts with
// thousands separators, text made safe to print on a terminal, and JSON text
// made safe to print there too. Every printer (results, articles, charts,
// diagnostics, the binaries' messages) passes what came from an article, a
// file name, a query or the index through sanitise_for_terminal, so that no
// article can send a terminal a control sequence (OSC 52 writes the
// clipboard of whoever searches; others move the cursor, retitle the window
// or hide text). Not for choosing colours (the printers add their own escape
// sequences around text already made safe) nor for normalising text to index
// or search it (normaliser.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pundit {

// 1234567 -> "1,234,567", as counts are shown to people.
std::string format_count(std::uint64_t n);

// What a line break means in the text being printed.
enum class LineBreaks {
    // A one-line field (a headline, an author, an id, a file name, a
    // message): every line break and tab becomes a space, so that the field
    // stays on its line and cannot forge the next one ("Date: ..." in
    // `--show`, a second "path:line: error:").
    fold,
    // Running text (an article's body): newlines and tabs are kept; CR LF,
    // a lone CR, VT, FF, NEL (U+0085) and the Unicode line and paragraph
    // separators (U+2028, U+2029) become a newline.
    keep,
};

// `text` as it may be printed on a terminal: every control character is
// shown in caret notation, as `cat -v` and `less` show them (ESC as "^[",
// BEL as "^G", NUL as "^@", DEL as "^?", and the C1 controls U+0080 to
// U+009F as `cat -v` shows their Latin-1 bytes: CSI, U+009B, as "M-^["), so
// a reader sees that something was there and what; bytes that are not
// UTF-8 become U+FFFD. Line breaks and tabs are folded or kept as `breaks`
// says. Printable text, whatever its script, is unchanged.
std::string sanitise_for_terminal(std::string_view text, LineBreaks breaks = LineBreaks::fold);

// Serialised JSON (valid UTF-8, as nlohmann's dump writes it with
// error_handler_t::replace) with DEL and the C1 controls U+0080 to U+009F
// written as the escapes \u007f and \u0080 to \u009f: JSON lets them stand
// raw in a string, but a terminal showing the JSON may act on them. (The
// serialiser escapes the C0 controls already.)
std::string escape_json_controls(std::string json);

} // namespace pundit
