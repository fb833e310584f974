#include <doctest/doctest.h>

#include <cstddef>
#include <string>

#include "pundit/edit_distance.hpp"

TEST_CASE("edit_distance: insertions, deletions, substitutions and swaps of neighbours count one each") {
    struct Row {
        const char* a;
        const char* b;
        std::size_t expected;
    };
    const Row rows[] = {
        {"", "", 0},
        {"abc", "", 3},
        {"putin", "putin", 0},
        {"politco", "politico", 1},   // a letter left out
        {"putn", "putin", 1},
        {"merkle", "merkel", 1},      // a swap, where Levenshtein counts two
        {"guardain", "guardian", 1},
        {"ptuin", "putin", 1},
        {"frnace", "france", 1},
        {"ptuni", "putin", 2},        // two swaps
        {"tupin", "putin", 2},        // letters apart: not a swap of neighbours
        {"ca", "abc", 3},             // optimal string alignment edits no letter twice
        {"hillaryclinton", "billclinton", 4},
        // Bytes, not letters: "путин" and "путик" differ in the second byte of their last letter.
        {"\xD0\xBF\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD", "\xD0\xBF\xD1\x83\xD1\x82\xD0\xB8\xD0\xBA", 1},
    };
    for (const Row& row : rows) {
        const std::string a = row.a, b = row.b;
        CAPTURE(a);
        CAPTURE(b);
        CHECK(pundit::edit_distance(a, b) == row.expected);
        CHECK(pundit::edit_distance(b, a) == row.expected);
    }
}
