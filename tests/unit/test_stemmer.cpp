// The stemmer both sides of the index share (stemmer.hpp): chosen by the
// script of each word, and Xapian's STEM_SOME rule mirrored.
#include <doctest/doctest.h>

#include <string>
#include <utility>

#include <xapian.h>

#include "pundit/stemmer.hpp"

TEST_CASE("the stemmer chooses by script") {
    Xapian::Stem stem = pundit::make_stemmer();
    CHECK(stem("sanctions") == "sanction");
    CHECK(stem("negotiating") == "negoti");
    CHECK(stem("переговоры") == "переговор");
    CHECK(stem("普京") == "普京");
    // Latin Extended Additional (Vietnamese) is Latin: English rules apply.
    CHECK(stem("nguyễns") == "nguyễn");
    // Greek has no stemmer here: left as it is.
    CHECK(stem("διαπραγματεύσεις") == "διαπραγματεύσεις");
    CHECK(stem("") == "");
}

TEST_CASE("a word is stemmed as Xapian's STEM_SOME would: when it opens with a lower-case or other letter") {
    CHECK(pundit::should_stem("putin"));
    CHECK(pundit::should_stem("путин"));
    CHECK(pundit::should_stem("普京"));            // other letter
    CHECK(pundit::should_stem("\xC7\x85" "ab"));      // U+01C5, a title-case letter
    CHECK_FALSE(pundit::should_stem("Putin"));     // upper case: the parser keeps it exact
    CHECK_FALSE(pundit::should_stem("2019"));
    CHECK_FALSE(pundit::should_stem("_x"));
    CHECK_FALSE(pundit::should_stem(""));
    // The query parser agrees: a capitalised word gives no stemmed term.
    Xapian::QueryParser qp;
    qp.set_stemmer(pundit::make_stemmer());
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    auto terms = [&](const std::string& q) {
        Xapian::Query parsed = qp.parse_query(q);
        return std::string(*parsed.get_terms_begin());
    };
    CHECK(terms("sanctions") == "Zsanction");
    CHECK(terms("Sanctions") == "sanctions");
}

TEST_CASE("capitalising a word, so that the query parser leaves it unstemmed") {
    const std::pair<const char*, const char*> rows[] = {
        {"mays", "Mays"}, {"путин", "Путин"}, {"ömer", "Ömer"}, {"普京", "普京"}, {"2019", "2019"}, {"", ""}};
    for (const auto& [word, capitalised] : rows) {
        CAPTURE(word);
        CHECK(pundit::capitalise(word) == capitalised);
        CHECK(pundit::has_capital(word) == (std::string(word) != capitalised));
    }
}

