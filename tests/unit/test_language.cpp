#include <doctest/doctest.h>

#include "pundit/language.hpp"

TEST_CASE("guess_language recognises scripts and English") {
    struct Row {
        const char* text;
        const char* expected;
    };
    const Row rows[] = {
        {"The president said that the talks with Moscow were going well.", "en"},
        {"Путин заявил, что переговоры с Вашингтоном зашли в тупик.", "ru"},
        {"习近平在北京会见了俄罗斯总统普京。", "zh"},
        {"安倍晋三首相はプーチン大統領と会談した。", "ja"},
        {"문재인 대통령은 평양을 방문했다.", "ko"},
        {"Le président a déclaré que les négociations avançaient.", ""},
        {"", ""},
    };
    for (const Row& row : rows) {
        CAPTURE(row.text);
        CHECK(pundit::guess_language(row.text) == row.expected);
    }
}
