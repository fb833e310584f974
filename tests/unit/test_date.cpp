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

TEST_CASE("parse_period reads a day, a month or a year as its first or last day") {
    using pundit::PeriodEnd;
    struct Row {
        const char* text;
        const char* start; // nullptr: refused
        const char* end;
    };
    const Row rows[] = {
        {"2016", "2016-01-01", "2016-12-31"},
        {"2016-03", "2016-03-01", "2016-03-31"},
        {"2016-02", "2016-02-01", "2016-02-29"}, // a leap year
        {"2015-02", "2015-02-01", "2015-02-28"},
        {"1900-02", "1900-02-01", "1900-02-28"}, // not a leap year
        {"2016-03-05", "2016-03-05", "2016-03-05"},
        {" 2016-04 ", "2016-04-01", "2016-04-30"},
        {"2016-13", nullptr, nullptr},
        {"2016-00", nullptr, nullptr},
        {"2016-02-30", nullptr, nullptr},
        {"1799", nullptr, nullptr},
        {"2101-01", nullptr, nullptr},
        {"16", nullptr, nullptr},
        {"2016-3", nullptr, nullptr},
        {"2016/03", nullptr, nullptr},
        {"2016-03-05T10:00:00Z", nullptr, nullptr},
        {"", nullptr, nullptr},
    };
    for (const Row& row : rows) {
        CAPTURE(row.text);
        const auto start = pundit::parse_period(row.text, PeriodEnd::start);
        const auto end = pundit::parse_period(row.text, PeriodEnd::end);
        if (row.start) {
            REQUIRE(start.has_value());
            REQUIRE(end.has_value());
            CHECK(*start == row.start);
            CHECK(*end == row.end);
        } else {
            CHECK_FALSE(start.has_value());
            CHECK_FALSE(end.has_value());
        }
    }
}
