#include <doctest/doctest.h>

#include "pundit/date.hpp"

using pundit::parse_iso_date;

TEST_CASE("parse_iso_date accepts ISO 8601 dates and date-times") {
    struct Row {
        const char* input;
        const char* expected; // nullptr = rejected
    };
    const Row rows[] = {
        {"2019-06-29", "2019-06-29"},
        {"  2019-06-29\n", "2019-06-29"},
        {"2016-06-24T08:30:00Z", "2016-06-24"},
        {"2016-06-24T08:30Z", "2016-06-24"},
        {"2016-06-24T08:30:00.123+09:00", "2016-06-24"},
        {"2016-06-24 23:59:59-0500", "2016-06-24"},
        {"2020-02-29", "2020-02-29"},   // leap year
        {"2000-02-29", "2000-02-29"},   // divisible by 400
        {"1900-02-29", nullptr},        // not a leap year
        {"2019-02-30", nullptr},
        {"2019-13-01", nullptr},
        {"2019-00-10", nullptr},
        {"2007-02-31", nullptr},
        {"29/06/2019", nullptr},
        {"June 29, 2019", nullptr},
        {"2019-6-29", nullptr},
        {"2019-06-29T25:00", nullptr},
        {"2019-06-29junk", nullptr},
        {"0001-01-01", nullptr},        // outside the accepted years
        {"2999-01-01", nullptr},
        {"", nullptr},
    };
    for (const Row& row : rows) {
        CAPTURE(row.input);
        auto parsed = parse_iso_date(row.input);
        if (row.expected) {
            REQUIRE(parsed.has_value());
            CHECK(*parsed == row.expected);
        } else {
            CHECK_FALSE(parsed.has_value());
        }
    }
}

TEST_CASE("date values sort as dates and convert back") {
    CHECK(pundit::date_to_value("2019-06-29") == "20190629");
    CHECK(pundit::value_to_date("20190629") == "2019-06-29");
    CHECK(pundit::value_to_date("") == "");
    CHECK(pundit::date_to_value("1999-12-31") < pundit::date_to_value("2000-01-01"));
}
