#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <xapian.h>

#include "pundit/field_values.hpp"
#include "pundit/normaliser.hpp"

TEST_CASE("close_values: typos, other word orders and shortenings, closest first") {
    const std::vector<pundit::FieldValue> sources{
        {"Washington Post", 144}, {"New York Times", 144}, {"The Guardian", 30}, {"USA Today", 144},
        {"Western Journalism", 144}, {"Politico", 144}, {"Washington Times", 12}, {"Marta Kowalczyk", 3},
    };
    struct Row {
        const char* typed;
        std::vector<std::string> expected;
    };
    const Row rows[] = {
        {"washpost", {"Washington Post"}},                       // a shortening
        {"nyt", {"New York Times"}},
        {"wash", {"Washington Post", "Washington Times"}},       // most articles first
        {"guardain", {"The Guardian"}},                          // its last word, two letters swapped
        {"the guardain", {"The Guardian"}},
        {"wahsington post", {"Washington Post"}},                // two letters swapped
        {"guard", {"The Guardian"}},                             // a shortening of its last word
        {"Politco", {"Politico"}},                               // one edit
        {"POLITICÓ", {"Politico"}},                              // case and accents do not count
        {"Kowalczyk Marta", {"Marta Kowalczyk"}},                // the same words in another order
        {"Le Monde", {}},
        {"", {}},
    };
    pundit::Normaliser normaliser;
    for (const Row& row : rows) {
        CAPTURE(row.typed);
        CHECK(pundit::close_values(row.typed, sources, normaliser) == row.expected);
    }
}

TEST_CASE("field_values: every value of a slot with its articles") {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (const char* source : {"Politico", "USA Today", "Politico", ""}) {
        Xapian::Document doc;
        if (*source) doc.add_value(3, source);
        db.add_document(doc);
    }
    const std::vector<pundit::FieldValue> values = pundit::field_values(db, 3);
    REQUIRE(values.size() == 2);
    CHECK(values[0].value == "Politico");
    CHECK(values[0].articles == 2);
    CHECK(values[1].value == "USA Today");
    CHECK(values[1].articles == 1);
}
