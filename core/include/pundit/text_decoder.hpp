// Turns the bytes of an input file into UTF-8 text. Real archives are not
// clean UTF-8: Latin-1 and Windows-1252 files, UTF-16 files with a byte order
// mark, stray binary files. This unit says which it found so the reader can
// warn, and never drops text it can decode.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pundit {

enum class Encoding {
    utf8,         // valid UTF-8 (a leading byte order mark is removed)
    utf16,        // UTF-16 with a byte order mark, converted
    windows1252,  // not valid UTF-8; decoded as Windows-1252 (a superset of Latin-1)
    binary,       // NUL bytes outside UTF-16: not text, nothing decoded
};

struct DecodedText {
    std::string text; // UTF-8 with "\n" line ends (CR LF and lone CR converted)
    Encoding encoding = Encoding::utf8;
    std::size_t first_invalid_line = 0; // for windows1252: 1-based line of the first bad byte
    // For windows1252: the first line of each paragraph decoded as
    // Windows-1252, and whether other paragraphs held UTF-8 beyond ASCII
    // (kept as such): then the file is UTF-8 with a few broken paragraphs,
    // not a Latin-1 file.
    std::vector<std::size_t> fallback_paragraphs;
    bool mixed = false;
};

// Decodes paragraph by paragraph (runs of lines that are not blank): a
// paragraph of valid UTF-8 stays UTF-8, and only a paragraph with an invalid
// byte is decoded as Windows-1252, so that one bad byte does not turn
// "Zürich" elsewhere in the file into "ZÃ¼rich".
DecodedText decode_text(std::string_view bytes);

// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view bytes);

// The offset of the first byte of `bytes` that does not belong to well-formed
// UTF-8; bytes.size() when every byte does.
std::size_t first_invalid_utf8(std::string_view bytes);

// The length (1 to 4) of the well-formed UTF-8 sequence that `bytes` starts
// with, its code point in `code_point`; 0 when it starts with none (a stray
// continuation byte, an overlong form, a surrogate, a cut sequence, or no byte).
std::size_t decode_utf8(std::string_view bytes, char32_t& code_point);

// Decodes Windows-1252 bytes to UTF-8.
std::string windows1252_to_utf8(std::string_view bytes);

} // namespace pundit
