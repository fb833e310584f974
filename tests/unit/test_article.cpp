#include <doctest/doctest.h>

#include "pundit/article.hpp"

TEST_CASE("article: has_visible_text is false for white space, controls and default-ignorable code points") {
    struct Row {
        std::string text;
        bool visible;
    };
    const Row rows[] = {
        {"", false},
        {" \t\r\n\v\f", false},
        {"\u200B\u200C\u200D\u2060\uFEFF\u00AD", false},
        {"\u3000\u00A0\u2028\u2029\u0085", false},
        {"\u034F\u115F\u3164\u180E\uFE0F", false},
        {"\x01\x7f", false},
        {"a", true},
        {"\u200B.\u200B", true},
        {"\u4E60", true},
        {"\xFF", true}, // undecodable bytes are something, not nothing
    };
    for (const Row& row : rows) {
        CAPTURE(row.text);
        CHECK(pundit::has_visible_text(row.text) == row.visible);
    }
}
