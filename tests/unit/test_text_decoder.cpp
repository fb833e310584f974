#include <doctest/doctest.h>

#include <vector>

#include "pundit/text_decoder.hpp"

using pundit::decode_text;
using pundit::Encoding;

TEST_CASE("decode_text passes UTF-8 through and drops a byte order mark") {
    auto d = decode_text("\xEF\xBB\xBFHello Erdo\xC4\x9F" "an\r\nline two\rthree");
    CHECK(d.encoding == Encoding::utf8);
    CHECK(d.text == "Hello Erdoğan\nline two\nthree");
}

TEST_CASE("decode_text reads invalid UTF-8 as Windows-1252 and says where") {
    // "café" in Latin-1 and a Windows-1252 curly quote (0x92) on line 2.
    auto d = decode_text("first line\ncaf\xE9 owner\x92s view\n");
    CHECK(d.encoding == Encoding::windows1252);
    CHECK(d.first_invalid_line == 2);
    CHECK(d.text == "first line\ncafé owner’s view\n");
}

TEST_CASE("decode_text falls back to Windows-1252 only in the paragraphs with an invalid byte") {
    // A UTF-8 file ("Zürich") with one stray Windows-1252 quote (0x92) in
    // its third paragraph, which spans two lines; CR LF line ends.
    auto d = decode_text("Banks in Z\xC3\xBCrich\r\n\r\nSecond paragraph, caf\xC3\xA9.\r\n\r\n"
                         "The owner\x92s view\r\nwrapped here \xE9t\xE9\r\n\r\nLast: \xC3\xBC.\r\n");
    CHECK(d.encoding == Encoding::windows1252);
    CHECK(d.mixed);
    CHECK(d.first_invalid_line == 5);
    CHECK(d.fallback_paragraphs == std::vector<std::size_t>{5});
    CHECK(d.text == "Banks in Zürich\n\nSecond paragraph, café.\n\nThe owner’s view\nwrapped here été\n\nLast: ü.\n");

    // Every paragraph decoded apart, blank lines however many.
    auto two = decode_text("\n\ncaf\xE9\n\n\n\xC3\xBC\nna\xEFve\n");
    CHECK(two.fallback_paragraphs == std::vector<std::size_t>{3, 6});
    CHECK(two.text == "\n\ncafé\n\n\nÃ¼\nnaïve\n");
    CHECK_FALSE(two.mixed);

    // A Latin-1 file: no UTF-8 beyond ASCII anywhere.
    auto latin1 = decode_text("caf\xE9\n\nplain\n");
    CHECK_FALSE(latin1.mixed);
}

TEST_CASE("decode_text converts UTF-16 with a byte order mark") {
    std::string le("\xFF\xFE" "H\0i\0\n\0", 8);
    auto d = decode_text(le);
    CHECK(d.encoding == Encoding::utf16);
    CHECK(d.text == "Hi\n");
    std::string be("\xFE\xFF\0O\0K", 6);
    CHECK(decode_text(be).text == "OK");
}

TEST_CASE("decode_text refuses binary data") {
    std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    CHECK(decode_text(png).encoding == Encoding::binary);
}

TEST_CASE("is_valid_utf8 rejects overlongs, surrogates and truncation") {
    CHECK(pundit::is_valid_utf8("plain ascii"));
    CHECK(pundit::is_valid_utf8("Путин 普京"));
    CHECK_FALSE(pundit::is_valid_utf8("\xC0\xAF"));         // overlong '/'
    CHECK_FALSE(pundit::is_valid_utf8("\xED\xA0\x80"));     // surrogate
    CHECK_FALSE(pundit::is_valid_utf8("\xE4\xBD"));         // truncated
    CHECK_FALSE(pundit::is_valid_utf8("\xF5\x80\x80\x80")); // beyond U+10FFFF
}
