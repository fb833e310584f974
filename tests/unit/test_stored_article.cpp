#include <doctest/doctest.h>

#include <string>

#include "pundit/error.hpp"
#include "pundit/stored_article.hpp"
#include "article_fixture.hpp"

TEST_CASE("stored article: the oldest-first key is the date then the id, undated last") {
    struct Row {
        std::string date, id, expected;
    };
    const Row rows[] = {
        {"2019-06-29", "a", "20190629a"},
        {"1991-12-25", "zz", "19911225zz"},
        {"", "a", "99999999a"},
    };
    for (const Row& row : rows) {
        pundit::Article a;
        a.date = row.date;
        a.id = row.id;
        CHECK(pundit::oldest_first_key(a) == row.expected);
    }
}

TEST_CASE("stored article: damaged data is refused with an index error, never read past its end") {
    const std::string good = pundit::serialise_article(test::sample_article());
    const std::string rows[] = {
        "",                            // nothing
        "\x02" + good.substr(1),       // an unknown format
        good.substr(0, good.size() / 2), // cut short
        good + "\x05",                 // flags no version knows
        std::string("\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11), // a varint that never ends
    };
    for (const std::string& data : rows) {
        CAPTURE(data.size());
        CHECK_THROWS_WITH_AS(pundit::deserialise_article(data), "stored article data is malformed; rebuild the index",
                             pundit::Error);
    }
}

TEST_CASE("stored article: the stored data round-trips every field") {
    pundit::Article a = test::sample_article();
    a.url = "https://example.org/x";
    a.language = "en";
    pundit::Article back = pundit::deserialise_article(pundit::serialise_article(a));
    CHECK(back.id == a.id);
    CHECK(back.title == a.title);
    CHECK(back.body == a.body);
    CHECK(back.author == a.author);
    CHECK(back.date == a.date);
    CHECK(back.source == a.source);
    CHECK(back.url == a.url);
    CHECK(back.language == a.language);
}
