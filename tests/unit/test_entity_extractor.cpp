#include <doctest/doctest.h>

#include <string>

#include "extraction_fixture.hpp"

using test::leaders;
using test::tags;

TEST_CASE("common words are never leaders") {
    CHECK(leaders("Theresa May resigned. Her critics may conclude she tried. Mrs May left.", "2019-06-05") ==
          "theresa-may x2");
    CHECK(leaders("The moon was full. Bush fires burned across New South Wales.", "2020-01-06") == "");
    CHECK(leaders("Donald Trump opened Trump Tower; guests filled Trump Tower.", "1983-02-14") == "donald-trump");
    CHECK(leaders("He played his trump card.", "2019-01-01") == "");
}

TEST_CASE("countries and organisations") {
    CHECK(tags("Untitled", "Opening.\n\nRussian troops left Moscow; the US and ＮＡＴＯ replied.", "2022-01-01") ==
          "country:ru x2; country:us x1; org:nato x1");
    CHECK(tags("Untitled", "Opening.\n\nLet us hope the WHO and who else agree.", "2022-01-01") == "org:who x1");
    CHECK(tags("Untitled", "Opening.\n\nShe bought new china in Turkey.", "2022-01-01") == "country:tr x1");
}

TEST_CASE("a stock ticker in angle brackets names no leader") {
    CHECK(leaders("International Thomson <ITO.TO> plans an issue; Masayoshi Ito spoke.", "1987-04-01") ==
          "masayoshi-ito");
    CHECK(leaders("International Thomson <ITO.TO> plans an issue.", "1987-04-01") == "");
    CHECK(tags("Untitled", "Opening.\n\nRockwell <ROK.N> rose.", "1987-04-01") == "");
}

TEST_CASE("Japan's post-war prime ministers are known by their names in Japanese") {
    CHECK(leaders("宮澤喜一首相は述べた。") == "kiichi-miyazawa");
    CHECK(leaders("竹下登と海部俊樹") == "noboru-takeshita, toshiki-kaifu");
    // Their names in Japanese make them widely covered: a bare surname in a
    // dated headline-only brief is theirs near their time.
    CHECK(tags("Miyazawa says exchange rates will stay stable", "", "1987-03-12") == "leader:kiichi-miyazawa x1 main");
}

TEST_CASE("main subjects are named in the headline or the first paragraph") {
    CHECK(tags("Putin Digs In", "Opening words.\n\nLater, Xi Jinping spoke.", "2022-01-01") ==
          "leader:vladimir-putin x1 main; leader:xi-jinping x1");
    CHECK(tags("Untitled", "Xi Jinping spoke first.\n\nVladimir Putin spoke later.", "2022-01-01") ==
          "leader:vladimir-putin x1; leader:xi-jinping x1 main");
}

TEST_CASE("possessives and headlines") {
    // "May's" is May, and May is a common word: no licence here.
    CHECK(leaders("He played in May's cup final.") == "");
    // "Labour's Blair": a possessive before a surname is no given name.
    CHECK(leaders("Labour's Blair said so.", "2005-01-01") == "tony-blair");
    // The headline's "Howard" is the Michael Howard of the body, not John Howard.
    CHECK(tags("Howard unveils asylum plans",
               "Michael Howard spoke. Australia's John Howard had tried a points system.", "2005-01-24") ==
          "leader:john-howard x1 main; country:au x1 main");
}

