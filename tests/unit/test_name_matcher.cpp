#include <doctest/doctest.h>

#include <string>

#include "extraction_fixture.hpp"
#include "name_matcher.hpp"

using test::TextRow;
using test::leaders;

TEST_CASE("full names match whatever the case, diacritics and width") {
    const TextRow rows[] = {
        {"Recep Tayyip Erdoğan spoke.", "recep-tayyip-erdogan"},
        {"RECEP TAYYIP ERDOGAN SPOKE.", "recep-tayyip-erdogan"},
        {"recep tayyip erdogan spoke.", "recep-tayyip-erdogan"},
        {"Ｖｌａｄｉｍｉｒ Ｐｕｔｉｎ spoke.", "vladimir-putin"},
        {"Andrés Manuel López Obrador, known as AMLO, won.", "andres-manuel-lopez-obrador x2"},
        {"Lula returned to the Planalto.", "lula-da-silva"},
        {"Moon Jae-in’s visit; Moon Jae-in's speech.", "moon-jae-in x2"},
        {"George W. Bush and George H. W. Bush met.", "george-h-w-bush, george-w-bush"},
    };
    for (const TextRow& row : rows) {
        CAPTURE(row.body);
        CHECK(leaders(row.body) == row.expected);
    }
}

TEST_CASE("matches respect word boundaries") {
    CHECK(leaders("Putinism is a system, not a man.") == "");
    CHECK(leaders("The Putinist camp and the Obamas met.") == "");
    CHECK(leaders("Putin's critics.", "2015-01-01") == "vladimir-putin"); // a possessive is the name
}

TEST_CASE("Chinese and Japanese names match on the character stream") {
    CHECK(leaders("国家主席习近平在开幕式上会见了普京。", "2019-06-28") == "vladimir-putin, xi-jinping");
    CHECK(leaders("安倍晋三首相は記者会見した。", "2015-01-01") == "shinzo-abe");
}

TEST_CASE("Russian names match in any grammatical case") {
    CHECK(leaders("Заявление Владимира Путина. Путину ответили. Путиным недовольны.", "2022-02-24") ==
          "vladimir-putin x3");
}

TEST_CASE("initials written together or apart") {
    CHECK(leaders("B. J. Habibie took over; B.J. Habibie spoke.", "1998-05-22") == "b-j-habibie x2");
}

namespace {

// The names NameMatcher finds in `text`, one a line: "words kind class candidates".
std::string matches(const std::string& text, bool headline = false) {
    static pundit::Normaliser normaliser;
    static const pundit::NameMatcher matcher(*test::gazetteer(), normaliser);
    const std::vector<pundit::Token> tokens = normaliser.tokenise(text);
    pundit::Stream stream{&text, &tokens, {}, headline, text.size(), 0};
    std::vector<pundit::RawMatch> found;
    matcher.match(stream, found);
    const char* const classes[] = {"full", "surname", "blocker"};
    std::string out;
    for (const pundit::RawMatch& m : found) {
        const std::size_t begin = tokens[m.token].begin, end = tokens[m.token + m.length - 1].end;
        out += text.substr(begin, end - begin) + " " + pundit::entity_kind_name(m.kind) + " " +
               classes[static_cast<int>(m.cls)] + " " + std::to_string(m.candidates->size()) + "\n";
    }
    return out;
}

} // namespace

TEST_CASE("name matcher: names are found longest first, each with its class and candidates") {
    // A full name; a blocker ("Trump Tower", rules/not_entities.txt) that
    // consumes its words, so that the surname inside it is no match and the
    // blocker none either; a surname alone; a country by its capital (two
    // candidates: Moscow was the Soviet Union's too) and by its demonym; an
    // organisation in capitals.
    CHECK(matches("Donald Trump opened Trump Tower, Modi said in Moscow; Russian and NATO officials agreed.") ==
          "Donald Trump leader full 1\n"
          "Modi leader surname 1\n"
          "Moscow country full 2\n"
          "Russian country full 1\n"
          "NATO org full 1\n");
}

TEST_CASE("name matcher: a word is compared by its match key, without a possessive and stemmed when Russian") {
    static pundit::Normaliser normaliser;
    const pundit::NameMatcher matcher(*test::gazetteer(), normaliser);
    CHECK(matcher.match_key("putin's") == "putin");
    CHECK(matcher.match_key("jones'") == "jones");
    CHECK(matcher.match_key("putin") == "putin");
    CHECK(matcher.match_key("путина") == matcher.match_key("путину"));
    CHECK(matcher.match_key("путиным") == matcher.match_key("путин"));
    CHECK(pundit::strip_possessive("'s") == "'s"); // nothing left of a word: kept
}
