#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <xapian.h>

#include "pundit/error.hpp"
#include "pundit/query_builder.hpp"
#include "pundit/schema.hpp"

#include "error_text.hpp"
#include "gazetteer_fixture.hpp"
#include "temp_dir.hpp"

namespace {

Xapian::WritableDatabase empty_db() { return Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY); }

} // namespace

TEST_CASE("normalise_query folds words and keeps the query syntax") {
    auto db = empty_db();
    pundit::QueryBuilder builder(db);
    struct Row {
        const char* input;
        const char* expected;
    };
    const Row rows[] = {
        {"Erdoğan", "erdogan"},
        {"ERDOGAN AND Kılıçdaroğlu", "erdogan AND kilicdaroglu"},
        {"putin OR xi NOT trump", "putin OR xi NOT trump"},
        {"“Belt and Road”", "\"belt and road\""},
        {"title:Putin", "title:putin"},
        {"title:“Kuril Islands”", "title:\"kuril islands\""},
        // Names are not stemmed: the parser leaves capitalised words alone.
        {"author:(Jane Doe)", "author:(Jane Doe)"},
        {"author:mays OR source:(the (review)) mays", "author:Mays OR source:(The (Review)) mays"},
        {"author:“jane doe” doe", "author:\"jane doe\" doe"},
        {"author:путин", "author:Путин"},
        {"Erdo*", "erdo*"},
        {"putin NEAR/3 abe", "putin NEAR/3 abe"},
        {"+sanctions -oil", "+sanctions -oil"},
        // Phrases and groups are required or excluded too.
        {"sanctions -“Prime Minister” +(Putin Xi)", "sanctions -\"prime minister\" +(putin xi)"},
        {"-\"a b\"", "-\"a b\""},
        {"Kim Jong-un", "kim jong-un"},
        {"AT&T, Moon’s; U.S.!", "at t moon's us"},
        {"ＮＡＴＯ", "nato"},
        {"习近平会见普京", nullptr}, // checked below: a quoted run of words
        {"", ""},
    };
    for (const Row& row : rows) {
        if (!row.expected) continue;
        CAPTURE(row.input);
        CHECK(builder.normalise_query(row.input) == row.expected);
    }
    std::string zh = builder.normalise_query("习近平会见普京");
    CHECK(zh.front() == '"');
    CHECK(zh.back() == '"');
    CHECK(zh.find(' ') != std::string::npos);
}

TEST_CASE("build: words are ANDed and stemmed, and phrases and prefixes use the schema") {
    auto db = empty_db();
    pundit::QueryBuilder builder(db);
    auto describe = [&](const std::string& q) {
        pundit::QuerySpec spec;
        spec.query = q;
        return builder.build(spec).get_description();
    };
    CHECK(describe("Putin sanctions") == "Query((Zputin@1 AND Zsanction@2))");
    CHECK(describe("the sanctions") == "Query(Zsanction@2)"); // stopword dropped
    CHECK(describe("what would Putin do about it") == "Query(Zputin@3)");
    CHECK(describe("\"Kim Jong-un\"") == "Query((kim@1 PHRASE 3 jong@2 PHRASE 3 un@3))");
    // Headline words are looked up in the vocabulary (none here): each
    // matches as written. Names are not stemmed (schema::FieldStems);
    // Chinese names are a phrase of their segments.
    CHECK(describe("title:Erdoğan") == "Query(Serdogan@1)");
    CHECK(describe("author:Mays") == "Query(Amays@1)");
    CHECK(describe("author:(jane doe)") == "Query((Ajane@1 AND Adoe@2))");
    CHECK(describe("source:meridian") == "Query(XSmeridian@1)");
    // Headlines keep no positions of their own: a phrase in the headline is
    // the phrase in the general text and each word in the headline.
    CHECK(describe("title:\"Belt and Road\"") ==
          "Query(((belt@1 PHRASE 3 and@2 PHRASE 3 road@3) AND Sbelt@4 AND Sand@5 AND Sroad@6))");
    CHECK(describe("title:Jong-un kim") == "Query(((jong@1 PHRASE 2 un@2) AND Sjong@3 AND Sun@4 AND Zkim@5))");
    CHECK(describe("title:abe") == "Query(Sabe@1)");
    CHECK(describe("author:习近平") == "Query((A习@1 PHRASE 2 A近平@2))");
    CHECK(describe("putin OR xi") == "Query((Zputin@1 OR Zxi@2))");
    CHECK(describe("") == "Query(<alldocuments>)");
    // Xapian keeps stopwords when nothing else is left.
    CHECK(describe("the of") == "Query((Zthe@1 AND Zof@2))");
}

TEST_CASE("build: negated words alone exclude them from every article, as NOT does") {
    auto db = empty_db();
    pundit::QueryBuilder builder(db);
    auto describe = [&](const std::string& q, bool any = false) {
        pundit::QuerySpec spec;
        spec.query = q;
        spec.match_any = any;
        return builder.build(spec).get_description();
    };
    CHECK(describe("-yukos") == "Query((<alldocuments> AND_NOT Zyuko@1))");
    CHECK(describe("NOT yukos") == "Query((<alldocuments> AND_NOT Zyuko@1))");
    // Several: an article holding any of them is left out.
    CHECK(describe("-blair -\"gordon brown\" -title:iraq") ==
          "Query((<alldocuments> AND_NOT (Zblair@1 OR (gordon@1 PHRASE 2 brown@2) OR Siraq@1)))");
    // A negated group keeps its words' operator: articles holding both are left out.
    CHECK(describe("-(blair brown)") == "Query((<alldocuments> AND_NOT (Zblair@1 AND Zbrown@2)))");
    // --any adds no proximity pairs or demonyms to what is excluded.
    CHECK(describe("-blair -brown", true) == "Query((<alldocuments> AND_NOT (Zblair@1 OR Zbrown@1)))");
    // A word that is not negated: Xapian's own AND_NOT, as before.
    CHECK(describe("putin -ukraine") == "Query((Zputin@1 AND_NOT Zukrain@2))");
    // Nothing but a '-': no words, nothing matches.
    CHECK(describe("-") == "Query()");
}

TEST_CASE("build: match_any ORs the words and drops the question words of a sentence") {
    auto db = empty_db();
    pundit::QueryBuilder builder(db);
    auto describe = [&](const std::string& q, bool any) {
        pundit::QuerySpec spec;
        spec.query = q;
        spec.match_any = any;
        return builder.build(spec).get_description();
    };
    // The proximity bonus of the last query built (QueryBuilder::bonus).
    auto bonus = [&] { return builder.bonus().get_description(); };
    const std::string question = "What countries have joined the United Nations?";
    // Each word and the kProximitySpan (2) words after it also count, at
    // kProximityWeight, within kProximityWindow (15) positions of each other:
    // as typed, since only those words have positions.
    // The bonus is apart from the query: the searcher weighs the query's
    // best matches with it.
    CHECK(describe(question, true) == "Query((Zcountri@2 OR Zjoin@4 OR Zunit@6 OR Znation@7))");
    CHECK(bonus() == "Query(0.2000000000000000111 * ((countries NEAR 15 joined) OR (countries NEAR 15 united) OR "
                     "(joined NEAR 15 united) OR (joined NEAR 15 nations) OR (united NEAR 15 nations)))");
    CHECK(describe(question, false) == "Query((Zcountri@2 AND Zjoin@4 AND Zunit@6 AND Znation@7))");
    CHECK(bonus() == "Query()");
    // Explicit operators and phrases are the user's: kept as written.
    CHECK(describe("sanctions OR \"the deal\"", true) == "Query((Zsanction@1 OR (the@2 PHRASE 2 deal@3)))");
    CHECK(bonus() == "Query(0.2000000000000000111 * ((sanctions NEAR 15 the) OR (sanctions NEAR 15 deal) OR "
                     "(the NEAR 15 deal)))");
    // A word the query excludes is in no match: no pair with it.
    CHECK(describe("putin -ukraine", true) == "Query((Zputin@1 AND_NOT Zukrain@2))");
    CHECK(bonus() == "Query()");
    CHECK(describe("putin sanctions NOT ukraine", true) == "Query(((Zputin@1 OR Zsanction@2) AND_NOT Zukrain@3))");
    CHECK(bonus() == "Query(0.2000000000000000111 * (putin NEAR 15 sanctions))");
    // One word: no pair.
    CHECK(describe("sanctions", true) == "Query(Zsanction@1)");
    CHECK(bonus() == "Query()");
    // The builder is reused: the default operator does not leak to the next query.
    CHECK(describe("putin sanctions", false) == "Query((Zputin@1 AND Zsanction@2))");
    // A pasted page: only its first kProximityWords words are paired, so its
    // cost is bounded whatever its length.
    auto pairs_in = [&](std::size_t words) {
        std::string text;
        for (std::size_t i = 0; i < words; ++i) text += "word" + std::to_string(i) + " ";
        describe(text, true);
        const std::string description = bonus();
        std::size_t count = 0;
        for (std::size_t at = 0; (at = description.find(" NEAR 15 ", at)) != std::string::npos; ++at) ++count;
        return count;
    };
    const std::size_t most = 2 * pundit::kProximityWords - 3; // each word with the next two
    CHECK(pairs_in(pundit::kProximityWords) == most);
    CHECK(pairs_in(pundit::kProximityWords + 1) == most);
    CHECK(pairs_in(500) == most);
}

TEST_CASE("build: filters") {
    auto db = empty_db();
    pundit::QueryBuilder builder(db);
    pundit::QuerySpec spec;
    spec.query = "putin";
    spec.since = "2014-01-01";
    spec.until = "2014-12-31";
    spec.authors = {"Jane Doe", "Marta Kowalczyk"};
    CHECK(builder.build(spec).get_description() ==
          "Query((Zputin@1 FILTER (VALUE_RANGE 0 20140101 20141231 AND ((Ajane PHRASE 2 Adoe) OR "
          "(Amarta PHRASE 2 Akowalczyk)))))");

    pundit::QuerySpec since_only;
    since_only.since = "2020-02-29";
    // Filters alone are the whole query, weightless: no <alldocuments> to walk.
    CHECK(builder.build(since_only).get_description() == "Query(VALUE_GE 0 20200229)");
    pundit::QuerySpec source_only;
    source_only.sources = {"Harbour"};
    CHECK(builder.build(source_only).get_description() == "Query((<alldocuments> FILTER XSharbour))");

    pundit::QuerySpec bad;
    bad.since = "2020-02-30";
    try {
        builder.build(bad);
        FAIL("expected an error");
    } catch (const pundit::Error& e) {
        CHECK(std::string(e.what()) == "invalid date for --since: '2020-02-30' (expected YYYY-MM-DD, YYYY-MM or YYYY)");
        CHECK(e.kind() == pundit::ErrorKind::query);
    }

    // A month or a year: from its first day, until its last.
    pundit::QuerySpec periods;
    periods.since = "2016";
    periods.until = "2016-02";
    CHECK(builder.build(periods).get_description() == "Query(VALUE_RANGE 0 20160101 20160229)");
}

TEST_CASE("resolve_dates: days, months and years, and a since after the until is an error") {
    struct Row {
        std::optional<std::string> since, until;
        std::string expected; // "SINCE..UNTIL", or the error
    };
    const Row rows[] = {
        {"2016", "2016", "2016-01-01..2016-12-31"},
        {"2016-03", std::nullopt, "2016-03-01.."},
        {std::nullopt, "2016-03", "..2016-03-31"},
        {"2016-03-05", "2016-03", "2016-03-05..2016-03-31"},
        {"2016-03-31", "2016-03", "2016-03-31..2016-03-31"},
        {std::nullopt, std::nullopt, ".."},
        {"2017", "2016-03", "--since '2017' (2017-01-01) is after --until '2016-03' (2016-03-31)"},
        {"2016-04-01", "2016-03-31", "--since '2016-04-01' is after --until '2016-03-31'"},
        {"2016-3", std::nullopt, "invalid date for --since: '2016-3' (expected YYYY-MM-DD, YYYY-MM or YYYY)"},
        {std::nullopt, "16", "invalid date for --until: '16' (expected YYYY-MM-DD, YYYY-MM or YYYY)"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.expected);
        pundit::QuerySpec spec;
        spec.since = row.since;
        spec.until = row.until;
        std::string got;
        try {
            const pundit::DateRange range = pundit::resolve_dates(spec);
            got = range.since.value_or("") + ".." + range.until.value_or("");
        } catch (const pundit::Error& e) {
            CHECK(e.kind() == pundit::ErrorKind::query);
            got = e.what();
        }
        CHECK(got == row.expected);
    }
    // The query builder refuses them alike.
    auto db = empty_db();
    pundit::QueryBuilder builder(db);
    pundit::QuerySpec reversed;
    reversed.since = "2017";
    reversed.until = "2016";
    CHECK_THROWS_AS(builder.build(reversed), pundit::Error);
}

TEST_CASE("rank_by_prominence: the query, weightless, with each entity's prominence terms weighing their level") {
    auto db = empty_db();
    CHECK_FALSE(pundit::rank_by_prominence(Xapian::Query("Zputin")).has_value());
    const Xapian::Query filter(Xapian::Query::OP_AND, Xapian::Query("XLEADER:vladimir-putin"), Xapian::Query("XORG:nato"));
    const std::optional<Xapian::Query> ranked = pundit::rank_by_prominence(filter);
    REQUIRE(ranked.has_value());
    const std::string description = ranked->get_description();
    CHECK(description.starts_with("Query(((<alldocuments> FILTER (XLEADER:vladimir-putin AND XORG:nato)) AND_MAYBE (1 * XPLEADER:1:vladimir-putin OR "
                                  "2 * XPLEADER:2:vladimir-putin OR "));
    CHECK(description.find("40 * XPLEADER:40:vladimir-putin OR 1 * XPORG:1:nato OR ") != std::string::npos);
    CHECK(description.ends_with("40 * XPORG:40:nato)))"));
}

TEST_CASE("build: malformed queries still give a query, never an exception") {
    auto db = empty_db();
    pundit::QueryBuilder builder(db);
    for (const char* q : {"(((", "\"unterminated", "AND", "NOT", "title:", "putin AND", "OR OR OR", "*", "NEAR/",
                          ")putin(", "-", "+", "::::", "author:\"", "\xE2\x80\x9C"}) {
        CAPTURE(q);
        pundit::QuerySpec spec;
        spec.query = q;
        CHECK_NOTHROW(builder.build(spec));
    }
}

TEST_CASE("parse_sort_order") {
    CHECK(pundit::parse_sort_order("newest") == pundit::SortOrder::newest);
    for (auto order : {pundit::SortOrder::relevance, pundit::SortOrder::newest, pundit::SortOrder::oldest,
                       pundit::SortOrder::prominence}) {
        CHECK(pundit::parse_sort_order(pundit::sort_order_name(order)) == order);
    }
    CHECK_THROWS_AS(pundit::parse_sort_order("random"), pundit::Error);
}

TEST_CASE("build: runaway queries get a clear error") {
    auto db = empty_db();
    pundit::QueryBuilder builder(db);
    auto error = [&](const std::string& q) {
        pundit::QuerySpec spec;
        spec.query = q;
        try {
            builder.build(spec);
        } catch (const pundit::Error& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    std::string huge;
    while (huge.size() <= pundit::kMaxQueryBytes) huge += "putin OR ";
    CHECK(error(huge) == "the query is " + std::to_string(huge.size()) + " bytes long; at most 4096 are accepted");
    CHECK(error(std::string(40, '(') + "putin" + std::string(40, ')')) ==
          "the query nests parentheses 40 deep; at most 32 are accepted");
    CHECK(error(std::string(10, '(') + "putin" + std::string(10, ')')) == "(no error)");
    std::string stars;
    for (int i = 0; i < 17; ++i) stars += "a* ";
    CHECK(error(stars) == "the query has 17 wildcards; at most 16 are accepted");
    CHECK(error(stars.substr(3)) == "(no error)");
}

TEST_CASE("build: phrases and NEAR groups are bounded in words, over the whole query") {
    auto db = empty_db();
    pundit::QueryBuilder builder(db);
    // `count` copies of `word` joined by `glue`.
    auto repeat = [](std::size_t count, const std::string& word, const std::string& glue) {
        std::string out;
        for (std::size_t i = 0; i < count; ++i) out += (i ? glue : "") + word;
        return out;
    };
    auto phrase = [&](std::size_t words) { return "\"" + repeat(words, "the", " ") + "\""; };
    const std::string too_many = " are accepted";
    struct Row {
        std::string query;
        bool match_any;
        std::string error;
    };
    const Row rows[] = {
        // A pasted sentence of 64 words fits; the parser merges a NEAR chain into one group.
        {phrase(64), false, "(no error)"},
        {phrase(65), false, "the query has 65 words in phrases and NEAR or ADJ groups; at most 64" + too_many},
        {repeat(16, "the", " NEAR "), false, "(no error)"},
        {repeat(17, "the", " NEAR "), false, "the query has 17 words in NEAR groups; at most 16" + too_many},
        {repeat(455, "the", " NEAR "), false, "the query has 455 words in NEAR groups; at most 16" + too_many},
        {repeat(65, "the", " ADJ "), false, "the query has 65 words in phrases and NEAR or ADJ groups; at most 64" + too_many},
        {repeat(8, "the", " NEAR/3 "), false, "(no error)"},
        // The words of every group add up: many small groups cost as much as one long one.
        {repeat(9, "a", " NEAR ") + " OR " + repeat(9, "b", " NEAR "), false,
         "the query has 18 words in NEAR groups; at most 16" + too_many},
        {repeat(5, phrase(13), " OR "), false, "the query has 65 words in phrases and NEAR or ADJ groups; at most 64" + too_many},
        {phrase(48) + " " + repeat(16, "a", " NEAR "), false, "(no error)"},
        {phrase(49) + " " + repeat(16, "a", " NEAR "), false,
         "the query has 65 words in phrases and NEAR or ADJ groups; at most 64" + too_many},
        // Words without operators are not positional, whatever --any adds to rank them.
        {repeat(200, "putin", " "), true, "(no error)"},
        {"title:\"" + repeat(64, "the", " ") + "\"", false, "(no error)"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.query);
        pundit::QuerySpec spec;
        spec.query = row.query;
        spec.match_any = row.match_any;
        CHECK(test::error_text([&] { builder.build(spec); }) == row.error);
    }
}

TEST_CASE("build: a wildcard over more words than are searched is bounded, with a warning") {
    auto db = empty_db();
    Xapian::Document doc;
    for (int i = 0; i < 1500; ++i) doc.add_term("ab" + std::to_string(10000 + i));
    doc.add_term("Sabc");
    db.add_document(doc);
    pundit::QueryBuilder builder(db);
    pundit::QuerySpec spec;
    spec.query = "Ab* OR title:ab* OR ab1000*";
    Xapian::Query query = builder.build(spec);
    CHECK(builder.warnings() ==
          std::vector<std::string>{"the wildcard 'ab*' matches more than 1,000 words; only the 1,000 most frequent are searched"});
    // Expanded, it holds at most the limit from each wildcard.
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    CHECK(enquire.get_mset(0, 1).size() == 1);
    spec.query = "putin";
    builder.build(spec);
    CHECK(builder.warnings().empty());
}

TEST_CASE("build: a filter value without words is an error, not a filter that matches nothing") {
    auto db = empty_db();
    pundit::QueryBuilder builder(db);
    for (const auto& [author, source, expected] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"!!!", "", "--author '!!!' has no words to match"},
             {"", "Times", "--author '' has no words to match"},
             {"Jane Doe", " - ", "--source ' - ' has no words to match"},
             {"nobody", "", "(no error)"},
         }) {
        CAPTURE(author);
        pundit::QuerySpec spec;
        spec.authors = {author};
        if (!source.empty()) spec.sources = {source};
        std::string got = "(no error)";
        try {
            builder.build(spec);
        } catch (const pundit::Error& e) {
            got = e.what();
            CHECK(e.kind() == pundit::ErrorKind::query);
        }
        CHECK(got == expected);
    }
}

TEST_CASE("build: with match_any a demonym also matches its country's name and other demonyms") {
    auto db = empty_db();
    bool loaded = false;
    pundit::QueryBuilder builder(db, [&] {
        loaded = true;
        return test::gazetteer();
    });
    auto describe = [&](const std::string& q, bool any) {
        pundit::QuerySpec spec;
        spec.query = q;
        spec.match_any = any;
        return builder.build(spec).get_description();
    };
    // Typed as keywords, the words mean what they say and need no gazetteer.
    CHECK(describe("algerian constitution", false) == "Query((Zalgerian@1 AND Zconstitut@2))");
    CHECK_FALSE(loaded);
    // "Algerians" and the demonym "Algerian" share a stem, which is searched once.
    CHECK(describe("Algerians vote", true) == "Query(((Zalgerian@1 SYNONYM Zalgeria) OR Zvote@2))");
    // The closeness bonus is of the words typed.
    CHECK(builder.bonus().get_description() == "Query(0.2000000000000000111 * (algerians NEAR 15 vote))");
    CHECK(loaded);
    // Names and demonyms of several words are phrases.
    CHECK(describe("south korean", true) ==
          "Query((Zsouth@1 OR (Zkorean@2 SYNONYM (south PHRASE 2 korea) SYNONYM (south PHRASE 2 korean) "
          "SYNONYM (south PHRASE 2 koreans))))");
    // A country's name is not expanded to its demonyms.
    CHECK(describe("algeria", true) == "Query(Zalgeria@1)");

    // Without a gazetteer the words match as written.
    pundit::QueryBuilder bare(db);
    pundit::QuerySpec spec;
    spec.query = "algerian";
    spec.match_any = true;
    CHECK(bare.build(spec).get_description() == "Query(Zalgerian@1)");
}

TEST_CASE("build: a filter name several entities share is taken as the one with by far the most articles, noted once") {
    auto db = empty_db();
    for (auto [term, count] : {std::pair{"XLEADER:george-w-bush", 11}, std::pair{"XLEADER:george-h-w-bush", 1}}) {
        for (int i = 0; i < count; ++i) {
            Xapian::Document doc;
            doc.add_boolean_term(term);
            db.add_document(doc);
        }
    }
    pundit::QueryBuilder builder(db, [] { return test::gazetteer(); });
    const std::string note = "'bush' taken as George W. Bush (11 articles); also George H. W. Bush (1), "
                             "McKeeva Bush (0): give a full name to choose another";
    pundit::QuerySpec spec;
    spec.leaders = {"bush"};
    CHECK(builder.build(spec).get_description() == "Query((<alldocuments> FILTER XLEADER:george-w-bush))");
    CHECK(builder.notes() == std::vector<std::string>{note});
    // The same name in the query and as an option: one filter each, one note.
    spec.query = "leader:bush";
    CHECK(builder.build(spec).get_description() ==
          "Query(((<alldocuments> FILTER XLEADER:george-w-bush) FILTER XLEADER:george-w-bush))");
    CHECK(builder.notes() == std::vector<std::string>{note});
    // The next query starts afresh.
    CHECK(builder.build(pundit::QuerySpec{}).get_description() == "Query(<alldocuments>)");
    CHECK(builder.notes().empty());
    // Inside a query, no namesake dominating is the same error as with the option.
    pundit::QuerySpec browns;
    browns.query = "sanctions leader:brown";
    CHECK(test::error_text([&] { builder.build(browns); }) ==
          "'brown' could be several leaders: Ewart Brown (0 articles), Gordon Brown (0), Tony Brown (0); "
          "give the full name");
}

TEST_CASE("build: a name several countries or organisations share is an error that names them in the plural") {
    auto db = empty_db();
    pundit::QueryBuilder builder(db, [] { return test::gazetteer(); });
    struct Row {
        bool country; // else an organisation
        const char* name;
        const char* expected;
    };
    const Row rows[] = {
        {true, "moscow", "'moscow' could be several countries: Russia (0 articles), Soviet Union (0); give the full name"},
        {false, "opec", "'opec' could be several organisations: OPEC (0 articles), OPEC+ (0); give the full name"},
    };
    for (const Row& row : rows) {
        pundit::QuerySpec spec;
        (row.country ? spec.countries : spec.organisations) = {row.name};
        CHECK(test::error_text([&] { builder.build(spec); }) == std::string(row.expected));
    }
}

TEST_CASE("build: a query of entity fields alone matches at weight 0 without Xapian's all-documents shortcut") {
    // Every article names Putin, and one was removed: a gap in the document
    // ids. A term that Xapian need not weigh and that every document holds
    // is read as the list of all documents, which Xapian 1.4.22 then fails
    // to walk past a gap ("Unexpected end of posting list"): the query
    // filters <alldocuments> instead of scaling the field to weight 0.
    test::TempDir dir;
    const std::string path = dir / "db";
    {
        Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
        for (int i = 0; i < 1500; ++i) {
            Xapian::Document doc;
            doc.add_term("Zkremlin");
            doc.add_boolean_term("XLEADER:vladimir-putin");
            db.add_document(doc);
        }
        db.commit();
        db.delete_document(700);
        db.commit();
    }
    Xapian::Database db(path);
    pundit::QueryBuilder builder(db, [] { return test::gazetteer(); });
    for (const char* text : {"leader:putin", "leader:putin OR leader:putin"}) {
        CAPTURE(text);
        pundit::QuerySpec spec;
        spec.query = text;
        const Xapian::Query query = builder.build(spec);
        CHECK(query.get_description().find("0 * ") == std::string::npos);
        Xapian::Enquire enquire(db);
        enquire.set_query(query);
        CHECK(enquire.get_mset(0, 10, db.get_doccount()).get_matches_estimated() == 1499);
        enquire.set_weighting_scheme(pundit::schema::counting_weight());
        CHECK(enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated() == 1499);
    }
}
