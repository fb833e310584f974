#include <doctest/doctest.h>

#include <string>

#include "extraction_fixture.hpp"

using test::DatedRow;
using test::TextRow;
using test::leaders;
using test::tags;

TEST_CASE("surnames alone need a licence") {
    const DatedRow rows[] = {
        // Unambiguous surname: counts alone, in a dated article...
        {"Putin said nothing.", "2015-01-01", "vladimir-putin"},
        // ...but undated, a bare surname could be anybody's of any era.
        {"Putin said nothing.", "", ""},
        {"Modi spoke at length.", "", ""},
        {"Modi spoke at length.", "2015-01-01", "narendra-modi"},
        // Common-word or shared surnames: not alone...
        {"Abe said nothing.", "2015-01-01", ""},
        {"Moon rose over the hills.", "2018-01-01", ""},
        // ...but after a title,
        {"Prime Minister Abe said nothing.", "2015-01-01", "shinzo-abe"},
        {"President Moon flew to Pyongyang.", "2018-09-18", "moon-jae-in"},
        {"Mr Modi and Mr. Modi.", "2015-01-01", "narendra-modi x2"},
        // ...or after the full name.
        {"Shinzo Abe arrived. Later Abe said nothing. Abe left.", "2015-01-01", "shinzo-abe x3"},
        // Years before a first term (a minister then) as well as during and after it...
        {"Japan's finance minister, Miyazawa, said the yen was too strong.", "1987-06-01", "kiichi-miyazawa"},
        // ...but not a generation before.
        {"Japan's finance minister, Miyazawa, said the yen was too strong.", "1975-06-01", ""},
    };
    for (const DatedRow& row : rows) {
        CAPTURE(row.body);
        CHECK(leaders(row.body, row.date) == row.expected);
    }
}

TEST_CASE("namesakes are told apart by title and date") {
    CHECK(leaders("President Bush spoke to the nation about the Soviet Union.", "1991-12-27") == "george-h-w-bush");
    CHECK(leaders("President Bush spoke to the nation about Iraq.", "2003-03-21") == "george-w-bush");
    CHECK(leaders("George Bush spoke.", "1990-08-02") == "george-h-w-bush");
    CHECK(leaders("George Bush spoke.", "2006-01-01") == "george-w-bush");
    // Undated, a shared surname with a title stays unresolved rather than guessed.
    CHECK(leaders("President Bush spoke.") == "");
}

TEST_CASE("namesakes who are not leaders are not tagged") {
    // The Mayor of London is not Imran Khan, and "Mr Khan" then means the mayor.
    CHECK(leaders("Sadiq Khan, the Mayor of London, replied. Mr Khan is popular.", "2019-06-05") == "");
    // A leader's sister, and later bare mentions of her.
    CHECK(leaders("Kim Jong-un sent his sister Kim Yo-jong. Kim Yo-jong smiled. Kim spoke.", "2018-02-09") ==
          "kim-jong-un");
    // Both in one article: the bare surname follows the person last named.
    CHECK(leaders("Imran Khan met Sadiq Khan. Mr Khan, the mayor, spoke.", "2019-01-01") == "imran-khan");
}

TEST_CASE("headline surnames are licensed by the article") {
    std::string t = tags("May's Last Stand", "Theresa May faces her party.", "2019-05-20");
    CHECK(t == "leader:theresa-may x2 main");
    CHECK(tags("Moon Over the Harbour", "The tide was high.", "2018-01-01") == "");
}

TEST_CASE("a demonym several entries share names the principal country") {
    const TextRow rows[] = {
        // A dependency shares its state's demonym: the sovereign state.
        {"Norwegian trawlers and Swedish buyers met a Dutch broker.", "country:nl x1; country:no x1; country:se x1"},
        {"American and French diplomats toured Indian tea estates.", "country:fr x1; country:in x1; country:us x1"},
        // A demonym one source gives a neighbour by mistake (Niger's is Nigerien).
        {"Nigerian refiners raised prices.", "country:ng x1"},
        // Two sovereign states with one demonym: neither.
        {"Congolese miners went on strike.", ""},
    };
    for (const TextRow& row : rows) {
        CAPTURE(row.body);
        CHECK(tags("Untitled", std::string("Opening.\n\n") + row.body, "1999-01-01") == row.expected);
    }
}

TEST_CASE("a place name inside a longer name names no place") {
    const TextRow rows[] = {
        // After a capitalised name word: a company, a person, a US state, a region.
        {"She moved to New Mexico from Staten Island.", ""},
        {"Sales in Latin America and Northern Ireland grew.", ""},
        {"The Lewis Hamilton fan club met in Leeds.", ""},
        // A capital before a name word or an initial is somebody's name.
        {"Paris Hilton and Washington B. Tate arrived.", ""},
        // Not after a common word, a title or a country word; demonyms stay.
        {"Yesterday Mexico and Communist Cuba signed; the Royal Dutch airline agreed.",
         "country:cu x1; country:mx x1; country:nl x1"},
        {"Officials in Paris said so.", "country:fr x1"},
        // A regime or a period of the country is still the country.
        {"Imperial Japan and Tsarist Russia fought; Nazi Germany came later.", "country:de x1; country:jp x1; country:ru x1"},
        // A company named for the country it does business in.
        {"Orion Chile Ltd raised its dividend.", "country:cl x1"},
    };
    for (const TextRow& row : rows) {
        CAPTURE(row.body);
        CHECK(tags("Untitled", std::string("Opening.\n\n") + row.body, "1999-01-01") == row.expected);
    }
}

TEST_CASE("a capital or a shared place name needs its country named otherwise") {
    const TextRow rows[] = {
        // A lesser-covered country's capital alone may be any town of that name.
        {"The ship docked at Bridgetown.", ""},
        {"The ship docked at Bridgetown, Barbados.", "country:bb x2"},
        {"Barbadian sailors reached Bridgetown.", "country:bb x2"},
        // News names the governments of widely covered countries by their capitals.
        {"Tokyo replied at once.", "country:jp x1"},
        // A capital is capitalised: the lower-case words are not one.
        {"Prices hit the bottom and the valley floor.", ""},
        // Georgia is also a US state.
        {"A senator from Georgia voted no.", ""},
        {"Georgian wine from Georgia sold well in Tbilisi.", "country:ge x3"},
    };
    for (const TextRow& row : rows) {
        CAPTURE(row.body);
        CHECK(tags("Untitled", std::string("Opening.\n\n") + row.body, "1999-01-01") == row.expected);
    }
}

TEST_CASE("a country inside another thing's name, or a capital qualifying a noun, names it only in the lead") {
    const TextRow rows[] = {
        // A capital that qualifies a noun names the summit, the hotel, the firm.
        {"Ministers recalled the Tokyo summit.", ""},
        {"He recalled last year's Rome summit.", ""},
        {"They met in a London hotel.", ""},
        {"Shares of the Paris-based group rose.", ""},
        {"She drove the London to Sydney Marathon.", ""},
        // A capital on its own, or governing a verb, is still the place.
        {"Officials met in London.", "country:gb x1"},
        {"Moscow replied at once.", "country:ru x1"},
        // The name of a bank, a university, an airline.
        {"The loan came from Bank of America.", ""},
        {"Dealers included Union Bank of Switzerland.", ""},
        {"She teaches at American University.", ""},
        {"Dealers included the Swiss Bank Corp and others.", "country:ch x1"},
        // A company whose name ends in a designator is the country's own; so
        // is a company's unit "of" the country, and the country's central bank.
        {"Chrysler bid for American Motors Corp.", "country:us x1"},
        {"It is sold by TDK Corp of America.", "country:us x1"},
        {"The Bank of Canada cut its rate.", "country:ca x1"},
        // The country named otherwise is tagged as ever.
        {"American students at American University met.", "country:us x1"},
    };
    for (const TextRow& row : rows) {
        CAPTURE(row.body);
        CHECK(tags("Untitled", std::string("Opening.\n\n") + row.body, "1999-01-01") == row.expected);
    }
    // The headline and the opening paragraph say what the article is about.
    CHECK(tags("Untitled", "The Tokyo summit opened.\n\nLeaders spoke.", "1999-01-01") == "country:jp x1 main");
    CHECK(tags("Bank of America profits rise", "Profits rose.", "1999-01-01") == "country:us x1 main");
    CHECK(tags("Untitled", "The loan came from Bank of America.", "1999-01-01") == "country:us x1 main");
}

TEST_CASE("a country's foreign name that is an English word needs the country named otherwise") {
    const TextRow rows[] = {
        {"The band Suede played; the chili was hot; Chili sauce sold out.", ""},
        {"Island life suits him.", ""},
        {"Emirates flew the team home.", ""},
        // With the country named, the word counts as its name.
        {"Sweden, la Suède, voted.", "country:se x2"},
    };
    for (const TextRow& row : rows) {
        CAPTURE(row.body);
        CHECK(tags("Untitled", std::string("Opening.\n\n") + row.body, "1999-01-01") == row.expected);
    }
}

TEST_CASE("an organisation's abbreviation glued to another name or spelt out otherwise is not its") {
    const TextRow rows[] = {
        // Joined by a hyphen to a name that is no place or organisation.
        {"She founded EU-Tech Ltd last year.", ""},
        {"Rep. Ann Lowe (D-IS) voted no.", ""},
        {"NATO-Russia talks resumed; EU-China trade grew.", "country:cn x1; country:ru x1; org:european-union x1; org:nato x1"},
        // An abbreviation after a product's name.
        {"He bought a Lumix G7 camera.", ""},
        {"Leaders of the G7 met.", "org:g7 x1"},
        {"Senior G7 officials met.", "org:g7 x1"},
        // A stock ticker in wire copy.
        {"Shares of Ibis Metals Corp <IDA> and Roka Steel <ROK> rose.", ""},
        // Spelt out as something else: all its mentions are that.
        {"The ICC said so. The Inland Canal Company (ICC) raised its tolls.", ""},
        {"The International Criminal Court (ICC) ruled. The ICC adjourned.", "org:icc x3"},
        // ...but the organisation's own name spelt another way is its.
        {"The International Finance Corp (IFC) lent more.", "org:ifc x1"},
        {"The Food and Agricultural Organisation (FAO) warned.", "org:fao x1"},
    };
    for (const TextRow& row : rows) {
        CAPTURE(row.body);
        CHECK(tags("Untitled", std::string("Opening.\n\n") + row.body, "2019-01-01") == row.expected);
    }
}

TEST_CASE("an organisation is not named before it existed, nor by a word among capitals") {
    const DatedRow rows[] = {
        // Before the International Criminal Court, "ICC" was other bodies'.
        {"The ICC ruled on freight rates.", "1988-05-01", ""},
        {"The ICC ruled on war crimes.", "2005-05-01", "org:icc x1"},
        {"The ICC ruled on war crimes.", "", "org:icc x1"},
        // An abbreviation that is also a word, in text set in capitals.
        {"TRADERS SAY PRICES CAN RISE.", "2019-01-01", ""},
        {"EC SETS SUGAR REBATE, FED SAYS", "1987-04-01", "org:european-communities x1; org:us-federal-reserve x1"},
        {"Ministers of the CAN met in Peru.", "2019-01-01", "country:pe x1; org:andean-community x1"},
    };
    for (const DatedRow& row : rows) {
        CAPTURE(row.body);
        CHECK(tags("Untitled", std::string("Opening.\n\n") + row.body, row.date) == row.expected);
    }
}

TEST_CASE("a leader's surname used as another person's given name is not the leader") {
    // A capitalised word, an initial or a particle right after the name.
    CHECK(leaders("Chairman Dan Glickman said.", "1987-04-01") == "");
    CHECK(leaders("Company president Klaus Jacobs said results were good.", "1987-04-01") == "");
    CHECK(leaders("NASD President Gordon S. Macklin said.", "1987-04-01") == "");
    // ...but not after a possessive, and not for nouns like "Administration".
    CHECK(leaders("Mwai Kibaki won. Mr Kibaki's National Rainbow Coalition cheered.", "2002-12-30") == "mwai-kibaki x2");
    CHECK(leaders("Ronald Reagan spoke. The Reagan Administration agreed.", "1987-04-01") == "ronald-reagan x2");
    // A given name spelt another way is still the leader's.
    CHECK(leaders("Soviet Premier Nikolai Ryzhkov met her. Ryzhkov agreed.", "1987-03-31") == "nikolay-ryzhkov x2");
}

TEST_CASE("a surname alone speaks for itself only when it can") {
    // Well known and unique: counts.
    CHECK(leaders("Gorbachev spoke in Moscow.", "1987-03-01") == "mikhail-gorbachev");
    // Long before or after the leader's time, a bare surname is somebody else.
    CHECK(leaders("Gorbachev spoke in Moscow.", "1950-03-01") == "");
    // A lesser-known leader's surname needs the leader's country in the article.
    CHECK(leaders("Mulroney said the talks went well.", "1987-04-05") == "");
    CHECK(leaders("Mulroney said Canada's talks went well.", "1987-04-05") == "brian-mulroney");
}

TEST_CASE("a capital both states shared means the one of the article's date") {
    CHECK(tags("Untitled", "Opening.\n\nMoscow replied.", "1985-01-01") == "country:su x1");
    CHECK(tags("Untitled", "Opening.\n\nMoscow replied.", "1995-01-01") == "country:ru x1");
    CHECK(tags("Untitled", "Opening.\n\nMoscow replied.") == "country:ru x1");
}

TEST_CASE("other people's names built around a leader's name") {
    // A given name joined by a hyphen, or before a whole leader's name.
    CHECK(leaders("Hachette chairman Jean-Luc Lagardere said profits rose.", "1987-05-01") == "");
    CHECK(leaders("The doubles went to Juan Carlos Ferrero and Tommy Robredo.", "2004-12-04") == "");
    // Not the first word of a sentence, nor a Russian noun in the genitive.
    CHECK(leaders("Yesterday. Vladimir Putin spoke.", "2022-01-01") == "vladimir-putin");
    CHECK(leaders("в зале Кремля Владимир Путин выступил", "2014-03-18") == "vladimir-putin");
    // Wire copy wraps lines in the middle of names.
    CHECK(leaders("His audience included President Ali\nKhamenei and Hojatoleslam Ali Akbar Hashemi Rafsanjani.",
                  "1987-03-15") == "akbar-hashemi-rafsanjani, ali-khamenei");
    CHECK(leaders("They met Prime Ministers Zhao Ziyang of China and others.", "1987-04-13") == "zhao-ziyang");
}

TEST_CASE("only a capitalised word right next to a surname can be another given name") {
    // "Moscow" ends the sentence before "Scholz": it says nothing about him.
    CHECK(leaders("Olaf Scholz was elected. They met in Moscow. Scholz will decide.", "2021-12-09") ==
          "olaf-scholz x2");
    CHECK(leaders("Olaf Scholz was elected. They met Moscow Scholz.", "2021-12-09") == "olaf-scholz");
}

TEST_CASE("a given name one letter from the surname is not the leader's") {
    CHECK(leaders("Shadow home secretary David Davis echoed the criticism.", "2005-01-01") == "");
}

TEST_CASE("a lesser-known leader's full name from another era is a namesake") {
    CHECK(leaders("Michael Moore's documentary won the prize.", "2005-02-14") == "");
    CHECK(leaders("Mike Moore, the WTO's director-general, welcomed China.", "2001-12-12") == "mike-moore");
    CHECK(leaders("Michael Moore met ministers in Wellington, New Zealand.", "2015-01-01") == "mike-moore");
}

TEST_CASE("a place, institution or company named after a leader is not a mention") {
    const DatedRow rows[] = {
        // Streets, airports, buildings: with up to two capitalised words between.
        {"Flights to Indira Gandhi International Airport were delayed.", "1990-06-01", ""},
        {"Protesters marched down Boris Yeltsin Avenue.", "1995-01-01", ""},
        {"Guests crossed the Helmut Kohl Bridge at dawn.", "1995-01-01", ""},
        // Companies: a company noun before the name; later bare mentions are the company's.
        {"Shares in drugmaker Dr Reddy's rose. Dr Reddy's makes generics.", "1980-06-01", ""},
        {"Sales at the retailer Kohl's fell. Kohl's blamed the weather.", "1995-03-01", ""},
        // The leader named on their own still counts, and what the leader did or led is the leader's.
        {"Boris Yeltsin opened Boris Yeltsin Avenue.", "1995-01-01", "boris-yeltsin"},
        {"Helmut Kohl said the bank was sound.", "1995-03-01", "helmut-kohl"},
        {"Helmut Kohl spoke. The Kohl Government agreed.", "1995-03-01", "helmut-kohl x2"},
    };
    for (const DatedRow& row : rows) {
        CAPTURE(row.body);
        CHECK(leaders(row.body, row.date) == row.expected);
    }
    // A possessive owns what follows: the leader's bridge veto, not a bridge named after him.
    CHECK(tags("BUNDESTAG OVERRIDES KOHL'S BRIDGE VETO", "Members overrode Chancellor Kohl's veto. It hurt Kohl.",
               "1995-03-01") == "leader:helmut-kohl x3 main");
}

TEST_CASE("a regnal number that is not the leader's names another monarch") {
    const DatedRow rows[] = {
        {"Queen Elizabeth I was crowned in 1559.", "2005-01-01", ""},
        {"King Charles I lost his head.", "2023-06-01", ""},
        {"A portrait of King Charles I, then of King Charles II.", "2023-06-01", ""},
        // The leader's own number, and the pronoun "I".
        {"Queen Elizabeth II opened parliament.", "2005-01-01", "elizabeth-ii"},
        {"King Juan Carlos I of Spain arrived.", "2005-01-01", "juan-carlos-i"},
        {"When I met Vladimir Putin I asked about gas.", "2005-01-01", "vladimir-putin"},
    };
    for (const DatedRow& row : rows) {
        CAPTURE(row.body);
        CHECK(leaders(row.body, row.date) == row.expected);
    }
}

TEST_CASE("a leader's initials need the leader or the leader's country in the article") {
    const DatedRow rows[] = {
        {"GMA News reported the storm.", "2005-01-01", ""},
        {"Prices of MBS fell as yields rose.", "2019-01-01", ""},
        {"Crown Prince Mohammed bin Salman, known as MBS, met investors. MBS smiled.", "2019-01-01",
         "mohammed-bin-salman x3"},
        {"In Saudi Arabia, MBS announced reforms.", "2019-01-01", "mohammed-bin-salman"},
        // Named in full, the leader's initials before another name are still that name's.
        {"Gloria Macapagal Arroyo sued GMA Network.", "2005-01-01", "gloria-macapagal-arroyo"},
    };
    for (const DatedRow& row : rows) {
        CAPTURE(row.body);
        CHECK(leaders(row.body, row.date) == row.expected);
    }
}

TEST_CASE("bare surnames in a team sheet are players") {
    const DatedRow rows[] = {
        {"England: Robinson; Cueto, Noon, Tindall, Lewsey; Hodgson, Blair; Cameron, Morrison (capt).", "2016-01-01",
         ""},
        {"Subs not used: Putin, Gorbachev, Yeltsin, Keane.", "1995-01-01", ""},
        {"Goals: Gorbachev 23, Yeltsin 81 pen, Keane 90.", "1995-01-01", ""},
        // A paragraph of names alone: the substitutes not used.
        {"Keane (Gorbachev 61), Noon.\n\nYeltsin, Hodgson.", "1995-01-01", ""},
        {"Gorbachev: Move Past Moscow.", "1995-01-01", "mikhail-gorbachev"},
        // Two names are a pair, not a list; a full name earlier still claims the surname.
        {"Gorbachev and Yeltsin met.", "1995-01-01", "boris-yeltsin, mikhail-gorbachev"},
        {"Boris Yeltsin came. Present: Yeltsin, Keane, Noon, Hodgson.", "1995-01-01", "boris-yeltsin x2"},
        // A bracket left open to the end of the line holds one entry, not a list.
        {"Results (see note: Gorbachev, Yeltsin, Keane", "1995-01-01", "boris-yeltsin, mikhail-gorbachev"},
    };
    for (const DatedRow& row : rows) {
        CAPTURE(row.body);
        CHECK(leaders(row.body, row.date) == row.expected);
    }
    // A headline's list is licensed by the article.
    CHECK(tags("Gorbachev, Yeltsin", "Mikhail Gorbachev and Boris Yeltsin met.", "1995-01-01") ==
          "leader:boris-yeltsin x2 main; leader:mikhail-gorbachev x2 main");
}

TEST_CASE("an honorific names nobody of the other sex") {
    const DatedRow rows[] = {
        // A woman's honorific is not a male leader's surname...
        {"Mrs Trudeau opened a school in Ottawa.", "2017-05-01", ""},
        {"Ms Harper, a Calgary teacher, wrote to Canada's papers.", "2010-05-01", ""},
        {"Miss Rudd sang at the Australia Day concert.", "2009-01-26", ""},
        // ...nor a man's a female leader's; an honorific of the right sex still licenses.
        {"Mr Merkel, a Hamburg baker, spoke to German radio.", "2010-01-01", ""},
        {"Mrs Merkel spoke to German radio.", "2010-01-01", "angela-merkel"},
        {"Mr Harper spoke in Ottawa, Canada.", "2010-05-01", "stephen-harper"},
        // The other sex's honorific after a leader's full name is somebody else.
        {"Bill Clinton arrived. Mrs Clinton spoke first; Clinton then left.", "2003-01-01", "bill-clinton"},
        // Of namesakes, an honorific means the widely covered one...
        {"Mr Brown presented his budget.", "2005-03-16", "gordon-brown"},
        // ...and a lesser-known leader only where the article names the country.
        {"Mr Howard told the Commons he would cut taxes.", "2005-01-24", ""},
        {"Mr Howard flew home to Canberra, Australia.", "2005-01-24", "john-howard"},
    };
    for (const DatedRow& row : rows) {
        CAPTURE(row.body);
        CHECK(leaders(row.body, row.date) == row.expected);
    }
}

TEST_CASE("an office title must fit the leader") {
    const DatedRow rows[] = {
        // Offices no leader holds block the surname, and its later bare mentions.
        {"Senator Harper questioned the nominee. Harper voted no.", "2010-05-01", ""},
        {"Governor Rudd signed the bill in Canberra, Australia.", "2009-01-01", ""},
        {"Rep. Martin and Mayor Abbott met Judge Howard.", "2005-01-01", ""},
        {"Coach Brown named his side.", "2008-01-01", ""},
        // A leader's title must be one of the leader's offices.
        {"King Abdullah met President Abe.", "2015-01-01", ""},
        {"President Howard visited Sydney.", "2005-01-01", ""},
        // ...and fitting ones license the leader who held them.
        {"Prime Minister Putin visited Minsk.", "2010-01-01", "vladimir-putin"},
        {"Prime Minister Howard visited Sydney.", "2005-01-01", "john-howard"},
        // A leader named in full is the leader, whatever the office then.
        {"Senator Barack Obama spoke. Senator Obama left.", "2006-01-01", "barack-obama x2"},
        {"Governor Obama left. Later, Barack Obama spoke.", "2006-01-01", "barack-obama x2"},
        // A fitting title means the leader who held the office then...
        {"President Bush replied from Washington.", "2003-03-21", "george-w-bush"},
        // ...unless the surname is somebody else's, just named.
        {"Paul Kim, the college's head, spoke. President Kim thanked the donors.", "2016-05-01", ""},
    };
    for (const DatedRow& row : rows) {
        CAPTURE(row.body);
        CHECK(leaders(row.body, row.date) == row.expected);
    }
}

TEST_CASE("a given name with a middle initial is somebody else") {
    const DatedRow rows[] = {
        {"Alan J. Howard, a Sydney lawyer, said so in Australia.", "2005-01-01", ""},
        {"Professor Nancy K. Brown wrote the report.", "2008-01-01", ""},
        {"Dr Peter M. Rudd, a dentist in Perth, Australia, agreed.", "2009-01-01", ""},
        // A surname followed by an initial is somebody's given name.
        {"Blair T. Hardy, a farmer, wrote to the Prime Minister.", "2005-01-01", ""},
        // The leader's given name with another initial is another person.
        {"George P. Bush, a Texas official, spoke.", "2016-03-24", ""},
        // A leader's name with its initials is the leader's, and so is a
        // leader's given name with an initial the leader's names lack.
        {"George W. Bush spoke.", "2003-03-21", "george-w-bush"},
        {"Vladimir V. Putin spoke.", "2015-01-01", "vladimir-putin"},
        {"Credit is owed to F. W. de Klerk in South Africa.", "1992-01-01", "frederick-willem-de-klerk"},
    };
    for (const DatedRow& row : rows) {
        CAPTURE(row.body);
        CHECK(leaders(row.body, row.date) == row.expected);
    }
}

TEST_CASE("a full name anywhere in the article claims its bare surname") {
    const DatedRow rows[] = {
        // Named later in full as somebody else: not the leader...
        {"Mr Harper said the album was done. Ben Harper, the singer, toured Canada.", "2010-05-01", ""},
        {"Mr Rudd spoke first. Amber Rudd, the Home Secretary, later agreed.", "2016-09-01", ""},
        // ...named later in full as the leader: the leader, every time.
        {"Mr Brown spoke first. Later, Gordon Brown answered.", "2005-03-16", "gordon-brown x2"},
        {"Harper said so. Stephen Harper then left Ottawa.", "2010-05-01", "stephen-harper x2"},
        // A capital after the surname may be a noun: it claims nothing ahead of its place.
        {"Aides praised Harper. Later Prime Minister Harper met aides of the Harper White House.", "2010-05-01",
         "stephen-harper"},
        // A different given name is a different person (Castro, not Raul Castro).
        {"Mr Castro spoke. Joaquín Castro, a congressman, agreed.", "2015-01-01", ""},
    };
    for (const DatedRow& row : rows) {
        CAPTURE(row.body);
        CHECK(leaders(row.body, row.date) == row.expected);
    }
}

TEST_CASE("mentions are counted only for the person they refer to") {
    const DatedRow rows[] = {
        // Two people of one surname named in full: a bare surname after the other one is not the leader's...
        {"Bill Clinton came. Chelsea Clinton spoke. Clinton left; Clinton returned.", "2003-01-01", "bill-clinton"},
        // ...and otherwise the one last named.
        {"Sara Duterte spoke. Rodrigo Duterte, her father, flew home. Duterte never wavered.", "2025-03-13",
         "rodrigo-duterte x2"},
        {"George W. Bush met Jeb Bush and Billy Bush. Bush said yes.", "2003-03-21", "george-w-bush"},
        // The leader's honorific tells them apart.
        {"Kevin Rudd and Therese Rudd came. Mr Rudd spoke.", "2009-01-01", "kevin-rudd x2"},
    };
    for (const DatedRow& row : rows) {
        CAPTURE(row.body);
        CHECK(leaders(row.body, row.date) == row.expected);
    }
}

TEST_CASE("a leader of before 1980 is a known person, told from later namesakes") {
    // The gazetteer reaches back to 1945: a title and a surname find the
    // leader of that time, in office or remembered later.
    CHECK(leaders("President Johnson signed the bill in the Rose Garden.", "1965-07-30") == "lyndon-b-johnson");
    CHECK(leaders("President Johnson signed the Civil Rights Act, and the party split.", "2016-08-19") ==
          "lyndon-b-johnson");
    CHECK(leaders("Prime Minister Churchill spoke to the Commons.", "1952-02-06") == "winston-churchill");
}

TEST_CASE("a given name and surname are first the leader whose own name opens with that given name") {
    // An alias with a suffix ("Ferdinand Marcos Jr.") gives the son the
    // father's given name; the name without it is the father's.
    CHECK(leaders("Ferdinand Marcos ruled the Philippines under martial law.", "2016-08-02") ==
          "ferdinand-e-marcos");
    CHECK(leaders("Ferdinand Marcos Jr. was sworn in as president of the Philippines.", "2022-06-30") ==
          "bongbong-marcos");
}
