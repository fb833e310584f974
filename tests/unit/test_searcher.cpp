#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "pundit/document_builder.hpp"
#include "pundit/error.hpp"
#include "pundit/facet_cache.hpp"
#include "pundit/index.hpp"
#include "pundit/index_set.hpp"
#include "pundit/index_writer.hpp"
#include "pundit/query_builder.hpp"
#include "pundit/searcher.hpp"
#include "pundit/stored_article.hpp"
#include "corpus_fixture.hpp"
#include "gazetteer_fixture.hpp"
#include "search_fixture.hpp"
#include "temp_dir.hpp"

namespace {

using Fixture = test::SmallIndex;
using test::make_article;

std::vector<std::string> ids(const pundit::SearchResults& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits) out.push_back(h.article.id);
    return out;
}

pundit::SearchResults run(pundit::Searcher& s, const std::string& q, pundit::SortOrder sort = pundit::SortOrder::relevance) {
    pundit::QuerySpec spec;
    spec.query = q;
    spec.sort = sort;
    return s.search(spec);
}

} // namespace

TEST_CASE("search: a headline match outranks the same words in the body") {
    Fixture f;
    pundit::Searcher s(f.path);
    CHECK(ids(run(s, "sanctions moscow")) == std::vector<std::string>{"title-hit", "body-hit"});
}

TEST_CASE("search: a wildcard is a word to rank by, alone or with others") {
    Fixture f;
    pundit::Searcher s(f.path);
    const std::vector<std::string> both{"title-hit", "body-hit"};
    const std::pair<std::string, std::vector<std::string>> rows[] = {
        {"sanction*", both}, {"sanc* mosc*", both}, {"sanction* NOT zzz", both}, {"title:sanction*", {"title-hit"}}};
    for (const auto& [query, expected] : rows) {
        CAPTURE(query);
        pundit::QuerySpec spec;
        spec.query = query;
        const pundit::SearchResults r = s.search(spec);
        CHECK(r.sort == pundit::SortOrder::relevance);
        CHECK(ids(r) == expected);
    }
}

TEST_CASE("search: phrases never match across fields") {
    Fixture f;
    pundit::Searcher s(f.path);
    CHECK(ids(run(s, "\"vladimir putin\"")) == std::vector<std::string>{"undated"});
    CHECK(ids(run(s, "vladimir NEAR/2 putin")) == std::vector<std::string>{"undated"});
}

TEST_CASE("search: folding and stemming on both sides") {
    Fixture f;
    pundit::Searcher s(f.path);
    CHECK(ids(run(s, "erdogan")) == std::vector<std::string>{"accented"});
    CHECK(ids(run(s, "KILICDAROGLU")) == std::vector<std::string>{"accented"});
    CHECK(ids(run(s, "sanction")).size() == 2);
    CHECK(ids(run(s, "переговор")) == std::vector<std::string>{"russian"});
    CHECK(ids(run(s, "путина")) == std::vector<std::string>{"russian"}); // same Russian stem
    CHECK(ids(run(s, "习近平")) == std::vector<std::string>{"chinese"});
    CHECK(ids(run(s, "erdo*")) == std::vector<std::string>{"accented"});
}

TEST_CASE("search: field prefixes") {
    Fixture f;
    pundit::Searcher s(f.path);
    CHECK(ids(run(s, "title:sanctions")) == std::vector<std::string>{"title-hit"});
    CHECK(ids(run(s, "author:demir")) == std::vector<std::string>{"accented"});
    CHECK(ids(run(s, "source:harbour putin")) == std::vector<std::string>{"field-gap"});
    CHECK(ids(run(s, "putin NOT source:harbour")) == std::vector<std::string>{"undated"});
    // A headline phrase: its words side by side in the headline. "body-hit"
    // has the phrase in its body only.
    CHECK(ids(run(s, "title:\"sanctions on moscow\"")) == std::vector<std::string>{"title-hit"});
    CHECK(run(s, "title:\"moscow sanctions\"").total == 0);
    CHECK(ids(run(s, "\"sanctions on moscow\"", pundit::SortOrder::oldest)) ==
          std::vector<std::string>{"title-hit", "body-hit"});
    CHECK(ids(run(s, "putin -title:\"and the kremlin\"", pundit::SortOrder::oldest)) ==
          std::vector<std::string>{"field-gap"});
    // Names are matched word for word, never by stem.
    CHECK(ids(run(s, "author:doe", pundit::SortOrder::oldest)) == std::vector<std::string>{"title-hit", "field-gap"});
    CHECK(run(s, "author:does").total == 0);
    CHECK(run(s, "source:reviews").total == 0);
    CHECK(ids(run(s, "source:(meridian OR harbour) erdogan")) == std::vector<std::string>{"accented"});
    CHECK(ids(run(s, "author:\"ayse demir\"")) == std::vector<std::string>{"accented"});
    CHECK(ids(run(s, "author:dem*")) == std::vector<std::string>{"accented"});
}

TEST_CASE("search: a headline word finds its other forms through the index's headline words") {
    // Headline stems are not indexed (schema::FieldStems::vocabulary): the
    // query builder finds the headline words that share a word's stem.
    test::TempDir dir;
    const std::string path = dir / "idx";
    {
        pundit::DocumentBuilder builder;
        pundit::IndexWriter writer(path);
        const pundit::Article articles[] = {
            make_article("s1", "2020-01-01", "Sanctions bite", "Exports fell."),
            make_article("s2", "2020-01-02", "Sanctioned banks fold", "Two lenders closed."),
            make_article("s3", "2020-01-03", "A sanction too far", "The ministers disagreed."),
            make_article("s4", "2020-01-04", "Sanctuary cities", "The mayors met."),
            make_article("s5", "2020-01-05", "Markets calm", "New sanctions were announced."),
            make_article("h1", "2020-02-01", "Happy days", "A festival opened."),
            make_article("h2", "2020-02-02", "Happiness index", "The survey was published."),
            make_article("d1", "2020-03-01", "Dying languages", "Linguists gathered."),
            make_article("d2", "2020-03-02", "Old customs die hard", "Villagers kept them."),
            make_article("r1", "2020-04-01", "Путин объявил", "Заявление сделано."),
            make_article("r2", "2020-04-02", "Встреча у Путина", "Переговоры прошли."),
            make_article("z1", "2020-05-01", "习近平提出倡议", "演讲发表。"),
        };
        for (const auto& a : articles) writer.put(builder.build(a));
        writer.commit();
    }
    pundit::Searcher s(path);
    using V = std::vector<std::string>;
    auto found = [&](const std::string& q) { return ids(run(s, q, pundit::SortOrder::oldest)); };
    // Every form finds every form, and nothing that only shares letters
    // ("sanctuary") or has the word in its body alone (s5).
    for (const char* q : {"title:sanction", "title:sanctions", "title:Sanctioned", "title:sanctioning"}) {
        CAPTURE(q);
        CHECK(found(q) == V{"s1", "s2", "s3"});
    }
    CHECK(found("title:happy") == V{"h1", "h2"}); // the stem ends in 'i': "happi"
    CHECK(found("title:dying") == V{"d1", "d2"}); // a stem that begins no form: "die"
    CHECK(found("title:путина") == V{"r1", "r2"});
    CHECK(found("title:习近平") == V{"z1"}); // no capitals: its stems are indexed
    CHECK(found("title:(happy OR dying)") == V{"h1", "h2", "d1", "d2"});
    CHECK(found("title:sanctions -title:fold") == V{"s1", "s3"});
    CHECK(found("title:\"sanctioned banks\"") == V{"s2"});
    CHECK(found("title:sanct*") == V{"s1", "s2", "s3", "s4"}); // a wildcard is a prefix, not a stem
    CHECK(found("title:sanctuary") == V{"s4"});
    CHECK(found("title:embargo").empty());

    // How the query is read: the forms, the most frequent first, capitalised
    // so that the parser takes each as written.
    Xapian::Database db = pundit::open_index_for_reading(path);
    pundit::QueryBuilder builder(db);
    CHECK(builder.expand_field_stems("title:sanctions OR title:(happy days) -title:dying") ==
          "title:(Sanction OR Sanctioned OR Sanctions) OR title:((Happiness OR Happy) Days) "
          "-title:(Die OR Dying)");
    CHECK(builder.expand_field_stems("title:\"happy days\" title:sanct* sanctions") ==
          "title:\"happy days\" title:sanct* sanctions");
    // A 4 KB query of headline words looks up the first 32 and warns.
    std::string many;
    for (int i = 0; i < 40; ++i) many += "title:sanctions ";
    pundit::QuerySpec spec;
    spec.query = many;
    builder.build(spec);
    REQUIRE(builder.warnings().size() == 1);
    CHECK(builder.warnings().front() ==
          "the query has 40 headline words; the first 32 match other forms of the word, the others only as written");
}

TEST_CASE("search: --any ranks articles by the words of a question, not its stopwords") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    {
        pundit::DocumentBuilder builder;
        pundit::IndexWriter writer(path);
        writer.put(builder.build(make_article("sanctions", "2014-03-18", "New sanctions", "The sanctions bite.")));
        writer.put(builder.build(make_article("chatter", "2014-03-19", "Questions",
                                      "What would they do? What could they do about it? What should they do?")));
        writer.put(builder.build(make_article("banks", "2014-03-20", "Banks", "Banks brace for sanctions and for what comes after.")));
        writer.commit();
    }
    pundit::Searcher s(path);
    pundit::QuerySpec spec;
    spec.query = "what would they do about the sanctions";
    spec.match_any = true;
    pundit::SearchResults any = s.search(spec);
    // Only "sanctions" counts: the article that is all question words does not match.
    CHECK(ids(any) == std::vector<std::string>{"sanctions", "banks"});
    CHECK(any.total == 2);
    spec.match_any = false;
    spec.query = "banks sanctions";
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"banks"});
    spec.match_any = true;
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"banks", "sanctions"});
}

TEST_CASE("search: --any ranks higher the article where the words stand together") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    {
        pundit::DocumentBuilder builder;
        pundit::IndexWriter writer(path);
        // Articles of the same length (29 words) with each query word once: without the
        // proximity bonus they tie, and a tie lists the older article first.
        writer.put(builder.build(make_article("apart", "2014-03-18", "Report",
                                      "The wheat harvest was poor. Officials met in the capital on Monday to discuss "
                                      "roads, schools, hospitals, ports, taxes, pensions and several other questions "
                                      "before they turned to Canada.")));
        writer.put(builder.build(make_article("together", "2014-03-19", "Report",
                                      "Officials met in the capital on Monday to discuss roads, schools, hospitals, "
                                      "ports, taxes, pensions and several other questions before they turned to the "
                                      "wheat harvest and to Canada.")));
        writer.commit();
    }
    pundit::Searcher s(path);
    pundit::QuerySpec spec;
    spec.query = "canada wheat";
    spec.match_any = true;
    const pundit::SearchResults any = s.search(spec);
    CHECK(ids(any) == std::vector<std::string>{"together", "apart"});
    REQUIRE(any.hits.size() == 2);
    CHECK(any.hits[0].score > any.hits[1].score);
}

namespace {

// Two articles, one naming Algeria (never "Algerian"), for the demonym tests.
std::string index_algeria(const test::TempDir& dir) {
    const std::string path = dir / "idx";
    pundit::DocumentBuilder builder;
    pundit::IndexWriter writer(path);
    writer.put(builder.build(make_article("algeria", "1963-09-08", "Algeria votes", "A new constitution for Algeria.")));
    writer.put(builder.build(make_article("tunisia", "1963-09-09", "Tunisia", "A quiet week in Tunis.")));
    writer.commit();
    return path;
}

} // namespace

TEST_CASE("search: --any finds the country for its demonym") {
    test::TempDir dir;
    const std::string path = index_algeria(dir);
    pundit::Searcher s(path, [] { return test::gazetteer(); });
    pundit::QuerySpec spec;
    spec.query = "the algerian referendum";
    spec.match_any = true;
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"algeria"});
    spec.match_any = false;
    spec.query = "algerian";
    CHECK(s.search(spec).total == 0);
}

TEST_CASE("search: --any reads the countries' demonyms alone when given a source for them") {
    test::TempDir dir;
    const std::string path = index_algeria(dir);
    const std::string gazetteer_dir = std::string(PUNDIT_SOURCE_DIR) + "/corpus/gazetteer";
    const std::vector<pundit::CountryForms> countries = pundit::Gazetteer::load_country_forms(gazetteer_dir);
    auto algeria = std::find_if(countries.begin(), countries.end(), [](const auto& c) { return c.name == "Algeria"; });
    REQUIRE(algeria != countries.end());
    CHECK(algeria->demonyms == std::vector<std::string>{"Algerian"});
    // The same countries as the whole gazetteer, in the same order.
    std::vector<std::string> names, full_names;
    for (const auto& c : countries) names.push_back(c.name);
    for (const pundit::Entity& e : test::gazetteer()->entities()) {
        if (e.kind == pundit::EntityKind::country) full_names.push_back(e.name);
    }
    CHECK(names == full_names);

    int full_loads = 0, country_loads = 0;
    pundit::Searcher s(path, [&] {
        ++full_loads;
        return test::gazetteer();
    });
    s.set_country_forms_source([&] {
        ++country_loads;
        return countries;
    });
    pundit::QuerySpec spec;
    spec.query = "the algerian referendum";
    spec.match_any = true;
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"algeria"});
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"algeria"});
    CHECK(country_loads == 1);
    CHECK(full_loads == 0);
    // An entity filter still loads the whole gazetteer.
    spec.leaders = {"putin"};
    s.search(spec);
    CHECK(full_loads == 1);
}

TEST_CASE("search: date filters, date order, undated last") {
    Fixture f;
    pundit::Searcher s(f.path);
    pundit::QuerySpec spec;
    spec.since = "2014-03-18";
    spec.until = "2019-01-01";
    spec.sort = pundit::SortOrder::oldest;
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"title-hit", "body-hit", "field-gap"});

    pundit::QuerySpec newest;
    newest.query = "putin";
    newest.sort = pundit::SortOrder::newest;
    CHECK(ids(s.search(newest)) == std::vector<std::string>{"field-gap", "undated"});
    newest.sort = pundit::SortOrder::oldest;
    CHECK(ids(s.search(newest)) == std::vector<std::string>{"field-gap", "undated"});

    pundit::QuerySpec until;
    until.until = "2013-12-31";
    CHECK(ids(s.search(until)) == std::vector<std::string>{"chinese"});
}

TEST_CASE("search: author and source filters") {
    Fixture f;
    pundit::Searcher s(f.path);
    pundit::QuerySpec spec;
    spec.authors = {"jane doe"};
    spec.sort = pundit::SortOrder::oldest;
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"title-hit", "field-gap"});
    spec.authors = {"Ayse Demir", "John Roe"};
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"body-hit", "accented"});
    spec.authors.clear();
    spec.sources = {"meridian review"};
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"title-hit", "accented"});
    // A value no article has is an error with the closest values, not an
    // empty result.
    auto error = [&](std::vector<std::string> authors, std::vector<std::string> sources) {
        pundit::QuerySpec unknown;
        unknown.authors = std::move(authors);
        unknown.sources = std::move(sources);
        try {
            s.search(unknown);
        } catch (const pundit::Error& e) {
            CHECK(e.kind() == pundit::ErrorKind::query);
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    CHECK(error({}, {"nobody"}) == "unknown source 'nobody' (searcher --facet source --facet-limit 0 --limit 0 lists them all)");
    CHECK(error({}, {"harbor post"}) == "unknown source 'harbor post'; did you mean The Harbour Post?");
    CHECK(error({}, {"meridian"}) == "(no error)"); // a part of a name finds the whole
    CHECK(error({"jane do"}, {}) == "unknown author 'jane do'; did you mean Jane Doe?");
    CHECK(error({"Doe Jane"}, {}) == "unknown author 'Doe Jane'; did you mean Jane Doe?");
    // Each value of several must be known.
    CHECK(error({"Jane Doe", "Ayse Demirr"}, {}) == "unknown author 'Ayse Demirr'; did you mean Ayşe Demir?");
}

TEST_CASE("search without words: newest first by default, undated last") {
    Fixture f;
    pundit::Searcher s(f.path);
    const pundit::SearchResults r = s.search(pundit::QuerySpec{});
    CHECK(r.sort == pundit::SortOrder::newest);
    CHECK(ids(r) == std::vector<std::string>{"accented", "russian", "field-gap", "body-hit", "title-hit", "chinese",
                                             "undated"});
    // With words, relevance stays the default.
    CHECK(run(s, "putin").sort == pundit::SortOrder::relevance);
    // Prominence needs an entity to rank by.
    pundit::QuerySpec prominence;
    prominence.sort = pundit::SortOrder::prominence;
    CHECK_THROWS_WITH_AS(s.search(prominence),
                         "--sort prominence ranks by the leaders, countries or organisations searched for; add "
                         "--leader, --country or --org",
                         pundit::Error);
}

// 300 articles that name Putin (every third one twice; every seventh has
// the body of another, so copies fold), then 40 that do not; dated
// 2020-01-01 to 2020-01-28 in turn.
void write_putin_reports(const std::string& path) {
    pundit::DocumentBuilder builder(test::gazetteer());
    pundit::IndexWriter writer(path);
    for (int i = 0; i < 340; ++i) {
        const std::string day = "2020-01-" + std::string(i % 28 < 9 ? "0" : "") + std::to_string(i % 28 + 1);
        const std::string body = i < 300 ? (i % 3 == 0 ? "Vladimir Putin spoke. Putin left." : "Vladimir Putin spoke.") +
                                               std::string(i % 7 == 0 ? "" : " Item " + std::to_string(i) + ".")
                                         : "Rain in Minsk, day " + std::to_string(i) + ".";
        writer.put(builder.build(make_article("a-" + std::to_string(i), day, "Report " + std::to_string(i), body)));
    }
    writer.commit();
}

TEST_CASE("search: a ranking by prominence counts every match exactly, copies included, with a page of a few") {
    // 300 articles name Putin (every third one twice, some identical), 40
    // do not: the page holds 5, the total is 300 whether or not copies are
    // folded, without facets (whose counts give the total otherwise).
    test::TempDir dir;
    const std::string path = dir / "idx";
    write_putin_reports(path);
    pundit::Searcher s(path, [] { return test::gazetteer(); });
    for (bool collapse : {true, false}) {
        CAPTURE(collapse);
        pundit::QuerySpec spec;
        spec.leaders = {"putin"};
        spec.limit = 5;
        spec.collapse = collapse;
        const pundit::SearchResults r = s.search(spec);
        CHECK(r.sort == pundit::SortOrder::prominence);
        CHECK(r.total == 300);
        CHECK(r.total_exact);
        CHECK(r.total_min == 300);
        CHECK(r.total_max == 300);
        REQUIRE(r.hits.size() == 5);
        // Named twice up front (level 22) before once (21).
        CHECK(r.hits[0].score == 22);
        // Words whose matches Xapian can only estimate without counting:
        // all 300 lack "rain", 43 of them the "item" sentence.
        spec.query = "spoke OR left";
        spec.sort = pundit::SortOrder::prominence;
        const pundit::SearchResults w = s.search(spec);
        CHECK(w.total == 300);
        CHECK(w.total_exact);
        spec.query = "NOT item";
        CHECK(s.search(spec).total == 43);
    }
}

TEST_CASE("search: a folded search counts the copies in its total, exactly up to the depth it checks") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    write_putin_reports(path);
    pundit::Searcher s(path, [] { return test::gazetteer(); });
    // Words whose matches Xapian can only estimate before it has seen them
    // (an OR, a date range), in relevance order.
    pundit::QuerySpec spec;
    spec.query = "spoke OR left";
    spec.since = "2020-01-01";
    spec.until = "2020-01-05";
    spec.limit = 10;
    // 55 of the 300 fall on the 1st to the 5th: fewer than the page and the
    // 100 past it that are checked, so counted, copies included.
    for (bool collapse : {true, false}) {
        CAPTURE(collapse);
        spec.collapse = collapse;
        const pundit::SearchResults r = s.search(spec);
        CHECK(r.total == 55);
        CHECK(r.total_exact);
        CHECK(r.total_min == 55);
        CHECK(r.total_max == 55);
        if (collapse) {
            std::size_t shown = 0;
            for (const pundit::Hit& hit : r.hits) shown += 1 + hit.duplicates.size();
            CHECK(shown > r.hits.size());
        }
    }
    spec.limit = 100;
    spec.collapse = true;
    const pundit::SearchResults all = s.search(spec);
    CHECK(all.total == 55);
    CHECK(all.hits.size() < 55);
    std::size_t listed = 0;
    for (const pundit::Hit& hit : all.hits) listed += 1 + hit.duplicates.size();
    CHECK(listed == 55);
    // All 300: more than are checked for a page of 10, so an estimate whose
    // bounds hold the count; a page that reaches past them counts them.
    spec.since.reset();
    spec.until.reset();
    spec.limit = 10;
    const pundit::SearchResults estimated = s.search(spec);
    CHECK(estimated.total_min <= 300);
    CHECK(estimated.total_max >= 300);
    CHECK(estimated.total_min >= 110);
    CHECK(estimated.total >= estimated.total_min);
    CHECK(estimated.total <= estimated.total_max);
    CHECK(estimated.total_exact == (estimated.total_min == estimated.total_max));
    spec.limit = 250;
    const pundit::SearchResults counted = s.search(spec);
    CHECK(counted.total == 300);
    CHECK(counted.total_exact);
}

TEST_CASE("search: by prominence, articles that name the entity up front and most come first, newest among equals") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    {
        pundit::DocumentBuilder builder(test::gazetteer());
        pundit::IndexWriter writer(path);
        const pundit::Article articles[] = {
            make_article("in-passing", "2022-05-01", "Weather in Paris", "Rain fell all day.\n\nVladimir Putin was not there."),
            make_article("headline-old", "2019-01-01", "Vladimir Putin visits Minsk", "The visit was brief."),
            make_article("often", "2021-01-01", "Markets and energy",
                 "Stocks fell.\n\nVladimir Putin spoke. Putin said more. Putin added a word. Putin left."),
            make_article("headline-new", "2020-01-01", "Vladimir Putin in Paris", "The visit was short."),
            make_article("opening", "2018-01-01", "A long day", "Vladimir Putin arrived in Minsk.\n\nIt rained."),
            make_article("elsewhere", "2023-01-01", "Nothing about him", "Rain in Minsk."),
        };
        for (const auto& a : articles) writer.put(builder.build(a));
        writer.commit();
    }
    pundit::Searcher s(path, [] { return test::gazetteer(); });
    pundit::QuerySpec spec;
    spec.leaders = {"putin"};
    const pundit::SearchResults r = s.search(spec);
    // The default for an entity search without words.
    CHECK(r.sort == pundit::SortOrder::prominence);
    // Named up front once (level 21): newest first; then four mentions, then one.
    CHECK(ids(r) == std::vector<std::string>{"headline-new", "headline-old", "opening", "often", "in-passing"});
    REQUIRE(r.hits.size() == 5);
    CHECK(r.hits[0].score == 21);
    CHECK(r.hits[3].score == 4);
    CHECK(r.hits[4].score == 1);
    // Paging keeps the order.
    spec.offset = 2;
    spec.limit = 2;
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"opening", "often"});
    // Explicitly, with words that select: the words do not weigh.
    pundit::QuerySpec words;
    words.query = "visit OR rain OR stocks";
    words.leaders = {"putin"};
    words.sort = pundit::SortOrder::prominence;
    CHECK(ids(s.search(words)) == std::vector<std::string>{"headline-new", "headline-old", "opening", "often", "in-passing"});
    words.query = "rain";
    CHECK(ids(s.search(words)) == std::vector<std::string>{"opening", "in-passing"});
    // Date order still on request.
    spec.offset = 0;
    spec.limit = 10;
    spec.sort = pundit::SortOrder::newest;
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"in-passing", "often", "headline-new", "headline-old", "opening"});
}


TEST_CASE("search: hits carry highlighted snippets of the original text") {
    Fixture f;
    pundit::Searcher s(f.path);
    auto r = run(s, "erdogan");
    REQUIRE(r.hits.size() == 1);
    CHECK(pundit::render_snippet(r.hits[0].snippet, "[", "]") == "Recep Tayyip [Erdoğan] defeated Kemal Kılıçdaroğlu.");
    CHECK(pundit::render_snippet(r.hits[0].title, "[", "]") == "[Erdoğan] wins a runoff");
}

TEST_CASE("find returns one stored article") {
    Fixture f;
    pundit::Searcher s(f.path);
    auto a = s.find("accented");
    REQUIRE(a.has_value());
    CHECK(a->title == "Erdoğan wins a runoff");
    CHECK(a->author == "Ayşe Demir");
    CHECK(s.find("title-hit")->language == "en");
    CHECK(s.find("russian")->language == "ru");
    CHECK_FALSE(s.find("nope").has_value());
}

namespace {

using test::all_hits;
using test::corpus;

} // namespace

TEST_CASE("entity filters: aliases, AND semantics, errors") {
    pundit::Searcher s(corpus().path, [] { return test::gazetteer(); });
    auto count = [&](std::vector<std::string> leaders, const std::string& query = "") {
        pundit::QuerySpec spec;
        spec.leaders = std::move(leaders);
        spec.query = query;
        spec.limit = 0;
        return s.search(spec).total;
    };
    CHECK(count({"erdogan"}) == count({"Recep Tayyip Erdoğan"}));
    CHECK(count({"erdogan"}) == 1);
    CHECK(count({"AMLO"}) == count({"lopez obrador"}));
    CHECK(count({"Путин"}) == count({"putin"}));
    CHECK(count({"putin"}) > count({"putin", "xi"}));
    CHECK(count({"putin", "xi"}) == count({}, "leader:putin leader:xi"));
    CHECK(count({"putin", "xi"}) == 2);
    CHECK(count({}, "leader:putin OR leader:xi") > count({"putin"}));
    auto error = [&](std::vector<std::string> leaders) {
        try {
            count(std::move(leaders));
        } catch (const pundit::Error& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    CHECK(error({"Vladimir Poutine"}).starts_with("unknown leader 'Vladimir Poutine'; did you mean Vladimir Putin"));
    // A name several leaders share: the one with by far the most articles,
    // with a note, else an error with the counts (entity_resolution.hpp).
    CHECK(error({"bush"}) == "'bush' could be several leaders: George H. W. Bush (1 article), George W. Bush (1), "
                             "McKeeva Bush (0); give the full name");
    pundit::QuerySpec obama;
    obama.leaders = {"obama"};
    obama.query = "leader:obama";
    const pundit::SearchResults results = s.search(obama);
    CHECK(results.total == count({"Barack Obama"}));
    CHECK(results.notes == std::vector<std::string>{
                               "'obama' taken as Barack Obama (5 articles); also Francisco Pascual Obama Asue (0), "
                               "Ricardo Mangue Obama Nfubea (0): give a full name to choose another"});
    CHECK(s.search(pundit::QuerySpec{}).notes.empty());
}

TEST_CASE("a plain query never loads the gazetteer") {
    bool loaded = false;
    pundit::Searcher s(corpus().path, [&] {
        loaded = true;
        return test::gazetteer();
    });
    pundit::QuerySpec spec;
    spec.query = "putin";
    spec.facets = {"leader"};
    s.search(spec);
    CHECK_FALSE(loaded);
    spec.leaders = {"putin"};
    s.search(spec);
    CHECK(loaded);
}

TEST_CASE("a sharded index gives the same hits, order and facets as a single database") {
    test::TempDir dir;
    auto build = [&](const std::string& name, std::size_t shards) {
        // 0 shards: by year.
        const std::string path = test::index_corpus(
            dir / name, shards == 0 ? pundit::ShardingRequest{pundit::ShardBy::year, std::nullopt}
                                    : pundit::ShardingRequest{pundit::ShardBy::hash, shards});
        if (shards > 0) CHECK(pundit::shard_paths(path).size() == shards);
        return path;
    };
    pundit::Searcher single(build("single", 1), [] { return test::gazetteer(); });
    pundit::Searcher by_hash(build("sharded", 3), [] { return test::gazetteer(); });
    pundit::Searcher by_year(build("by-year", 0), [] { return test::gazetteer(); });
    CHECK(pundit::shard_paths(dir / "by-year").size() > 20); // the corpus spans more than 20 years
    for (pundit::Searcher* other : {&by_hash, &by_year}) {
    pundit::Searcher& sharded = *other;
    CHECK(single.document_count() == sharded.document_count());
    const pundit::SortOrder orders[] = {pundit::SortOrder::relevance, pundit::SortOrder::newest,
                                        pundit::SortOrder::oldest, pundit::SortOrder::prominence};
    for (const char* query : {"", "president", "putin OR xi", "\"prime minister\"", "leader:putin", "nato -russia",
                              "what did the prime minister say about the war", "leader:putin OR country:china"}) {
        for (pundit::SortOrder order : orders) {
            // Prominence ranks by the entities of the query.
            if (order == pundit::SortOrder::prominence && !std::string_view(query).starts_with("leader:")) continue;
            CAPTURE(query);
            CAPTURE(static_cast<int>(order));
            pundit::QuerySpec spec;
            spec.query = query;
            spec.match_any = std::string_view(query).starts_with("what");
            spec.sort = order;
            spec.limit = 100;
            spec.facets = {"leader", "country", "year"};
            spec.facet_limit = 0;
            auto a = single.search(spec), b = sharded.search(spec);
            CHECK(ids(a) == ids(b));
            CHECK(a.total == b.total);
            REQUIRE(a.hits.size() == b.hits.size());
            for (std::size_t i = 0; i < a.hits.size(); ++i) CHECK(a.hits[i].score == doctest::Approx(b.hits[i].score));
            for (std::size_t f = 0; f < a.facets.size(); ++f) {
                CHECK(a.facets[f].distinct == b.facets[f].distinct);
                for (std::size_t v = 0; v < a.facets[f].values.size(); ++v) {
                    CHECK(a.facets[f].values[v].value == b.facets[f].values[v].value);
                    CHECK(a.facets[f].values[v].count == b.facets[f].values[v].count);
                }
            }
        }
    }
    }
}

TEST_CASE("search: a searcher that stays open answers from the latest commit") {
    Fixture f;
    pundit::Searcher s(f.path);
    CHECK(run(s, "sanctions").total == 2);
    CHECK_FALSE(s.find("new-0").has_value());
    // Commits that rewrite what the searcher has read (Xapian may throw
    // DatabaseModifiedError at it: it reopens and runs the search again).
    pundit::DocumentBuilder builder;
    pundit::IndexWriter writer(f.path);
    for (int commit = 0; commit < 10; ++commit) {
        for (int i = 0; i < 200; ++i) {
            std::string n = std::to_string(i) + " " + std::to_string(commit);
            writer.put(builder.build(make_article("new-" + std::to_string(i), "2020-01-01", "Sanctions " + n, "More sanctions, round " + n + ".")));
        }
        writer.commit();
        CHECK(run(s, "sanctions").total == 202);
        CHECK(run(s, "round").total == 200);
    }
    // Uncommitted changes are not seen.
    writer.put(builder.build(make_article("uncommitted", "2020-01-01", "Sanctions", "Sanctions.")));
    CHECK(run(s, "sanctions").total == 202);
    CHECK(s.find("new-0")->title == "Sanctions 0 9");
}

TEST_CASE("search: a searcher on a sharded index sees a commit to any one shard") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    pundit::DocumentBuilder builder;
    pundit::IndexSet index(path, 3);
    index.commit();
    pundit::Searcher s(path);
    CHECK(run(s, "sanctions").total == 0);
    // One article at a time, each to its own shard and commit: the searcher
    // notices each (it reopens only when a shard's version file changed).
    for (int i = 0; i < 9; ++i) {
        const std::string id = "new-" + std::to_string(i);
        pundit::IndexWriter& shard = index.shard(index.shard_of(id));
        shard.put(builder.build(make_article(id, "2020-01-01", "Sanctions", "More sanctions.")));
        shard.commit();
        CHECK(run(s, "sanctions").total == static_cast<Xapian::doccount>(i + 1));
        CHECK(s.find(id).has_value());
    }
}

namespace {

// 2,000 articles: "alpha" in every second, "beta" in every fourth (so only
// with alpha), "report" in all. Xapian estimates "alpha OR beta" from the
// words' frequencies as if they were independent: 1,300 for 1,000.
// In `shards` shards by hash (1: a single database).
std::string index_alpha_beta(const test::TempDir& dir, std::size_t shards = 1) {
    const std::string path = dir / ("alpha-beta-" + std::to_string(shards));
    pundit::DocumentBuilder builder;
    pundit::IndexSet index(path, shards);
    for (int i = 0; i < 2000; ++i) {
        std::string body = "A report";
        if (i % 2 == 0) body += " on alpha";
        if (i % 4 == 0) body += " and beta";
        body += std::string(static_cast<std::size_t>(i % 7), '.') + " filler words " + std::to_string(i);
        const std::string id = "a" + std::to_string(i);
        index.shard(index.shard_of(id)).put(builder.build(make_article(id, "2020-01-01", "Article " + std::to_string(i), body)));
    }
    index.commit();
    return path;
}

} // namespace

TEST_CASE("search: a count (limit 0) is exact, and a page's total an estimate between the bounds Xapian knows") {
    test::TempDir dir;
    for (std::size_t shards : {1, 3}) {
        CAPTURE(shards);
        pundit::Searcher s(index_alpha_beta(dir, shards));
        pundit::QuerySpec spec;
        spec.query = "alpha OR beta";
        spec.limit = 0;
        const pundit::SearchResults counted = s.search(spec);
        CHECK(counted.total == 1000);
        CHECK(counted.total_exact);
        CHECK(counted.total_min == 1000);
        CHECK(counted.total_max == 1000);
        spec.limit = 10;
        const pundit::SearchResults paged = s.search(spec);
        CHECK(paged.hits.size() == 10);
        CHECK_FALSE(paged.total_exact);
        CHECK(paged.total_min <= 1000);
        CHECK(paged.total_max >= 1000);
        CHECK(paged.total_min < paged.total_max);
    }
}

TEST_CASE("search: negated words alone match every article but those that hold any of them") {
    test::TempDir dir;
    pundit::Searcher s(index_alpha_beta(dir));
    const struct {
        const char* query;
        Xapian::doccount total;
    } rows[] = {
        {"-beta", 1500},           {"-alpha", 1000},         {"-alpha -beta", 1000},
        {"NOT beta", 1500},        {"-\"alpha and beta\"", 1500}, {"report -beta", 1500},
        {"-title:article", 0},     {"-beta -\"filler words 1\"", 1499},
    };
    for (const auto& row : rows) {
        CAPTURE(row.query);
        pundit::QuerySpec spec;
        spec.query = row.query;
        spec.limit = 0;
        const pundit::SearchResults counted = s.search(spec);
        CHECK(counted.total == row.total);
        CHECK(counted.total_exact);
    }
    // The hits hold none of the words.
    pundit::QuerySpec spec;
    spec.query = "-alpha";
    spec.limit = 20;
    for (const pundit::Hit& hit : s.search(spec).hits) CHECK(hit.article.body.find("alpha") == std::string::npos);
}

TEST_CASE("search: the results say which filters they answer, as read") {
    pundit::Searcher s(corpus().path, [] { return test::gazetteer(); });
    pundit::QuerySpec spec;
    spec.since = "2016";
    spec.until = "2022-02";
    spec.leaders = {"putin", "Vladimir Putin"};
    spec.countries = {"russia"};
    spec.languages = {"EN"};
    spec.limit = 0;
    const pundit::SearchResults r = s.search(spec);
    CHECK(r.filters.since == "2016-01-01");
    CHECK(r.filters.until == "2022-02-28");
    CHECK(r.filters.entities[0] == std::vector<std::string>{"Vladimir Putin"});
    CHECK(r.filters.entities[1] == std::vector<std::string>{"Russia"});
    CHECK(r.filters.entities[2].empty());
    CHECK(r.filters.languages == std::vector<std::string>{"en"});
    CHECK(r.filters.authors.empty());
    CHECK_FALSE(r.filters.added_since.has_value());
    CHECK(s.search(pundit::QuerySpec{}).filters.since == std::nullopt);
}

namespace {

// 400 articles on trade with Japan and China, the words at varying distances
// and counts, in `shards` shards by hash (1: a single database).
std::string index_trade(const test::TempDir& dir, std::size_t shards) {
    const std::string path = dir / ("trade-" + std::to_string(shards));
    pundit::DocumentBuilder builder;
    pundit::IndexSet index(path, shards);
    const std::string filler[] = {"ministers", "met", "again", "on", "monday", "over", "ports", "and", "tariffs"};
    for (int i = 0; i < 400; ++i) {
        std::string body;
        const int gap = (i * 7) % 23, more = (i * 5) % 4;
        body += "Trade";
        for (int w = 0; w < gap; ++w) body += " " + filler[static_cast<std::size_t>((w + i) % 9)];
        body += (i % 3 == 0 ? " Japan" : " China");
        for (int w = 0; w < 30 - gap; ++w) body += " " + filler[static_cast<std::size_t>(w % 9)];
        for (int m = 0; m < more; ++m) body += (i % 2 == 0 ? " China and Japan" : " trade");
        body += ".";
        const std::string id = "t" + std::to_string(i);
        index.shard(index.shard_of(id)).put(builder.build(make_article(id, "2020-01-01", "Note " + std::to_string(i), body)));
    }
    index.commit();
    return path;
}

} // namespace

TEST_CASE("search: --any weighs the closeness of its words over the best matches, the same whatever the page or the shards") {
    test::TempDir dir;
    const std::string single = index_trade(dir, 1);
    const std::string sharded = index_trade(dir, 4);
    pundit::QuerySpec spec;
    spec.query = "trade japan china";
    spec.match_any = true;

    // What one pass of the query and its bonus weighs each match, with
    // every match fetched (nothing for Xapian to skip): the best
    // kRerankDepth matches of the query alone, weighed again.
    const Xapian::Database db = pundit::open_index_for_reading(single);
    pundit::QueryBuilder builder(db);
    const Xapian::Query query = builder.build(spec);
    const Xapian::Query bonus = builder.bonus();
    REQUIRE_FALSE(bonus.empty());
    Xapian::Enquire first(db);
    first.set_query(query);
    first.set_weighting_scheme(Xapian::IneB2Weight(pundit::kIneB2C));
    const Xapian::MSet best = first.get_mset(0, pundit::kRerankDepth);
    REQUIRE(best.get_matches_lower_bound() > pundit::kRerankDepth); // the second pass has matches to leave out
    Xapian::Enquire both(db);
    both.set_query(Xapian::Query(Xapian::Query::OP_OR, query, bonus));
    both.set_weighting_scheme(Xapian::IneB2Weight(pundit::kIneB2C));
    const Xapian::MSet all = both.get_mset(0, db.get_doccount());
    std::map<std::string, double> weight;
    for (auto it = all.begin(); it != all.end(); ++it) {
        weight[pundit::deserialise_article(it.get_document().get_data()).id] = it.get_weight();
    }
    std::vector<std::pair<double, std::string>> expected;
    bool lifted = false; // the bonus reorders the best matches
    double previous = 0;
    for (auto it = best.begin(); it != best.end(); ++it) {
        const std::string id = pundit::deserialise_article(it.get_document().get_data()).id;
        expected.emplace_back(-weight.at(id), id);
        if (it != best.begin() && weight.at(id) > previous) lifted = true;
        previous = weight.at(id);
    }
    CHECK(lifted);
    std::sort(expected.begin(), expected.end()); // ties: all share a date, then by id
    std::vector<std::string> top;
    for (std::size_t i = 0; i < 10; ++i) top.push_back(expected[i].second);

    for (const std::string& path : {single, sharded}) {
        CAPTURE(path);
        pundit::Searcher s(path);
        spec.limit = 10;
        const pundit::SearchResults page = s.search(spec);
        CHECK(ids(page) == top);
        for (const pundit::Hit& hit : page.hits) CHECK(hit.score == doctest::Approx(weight.at(hit.article.id)).epsilon(1e-9));
        // A longer page starts with the same hits, in the same order.
        spec.limit = 50;
        const std::vector<std::string> longer = ids(s.search(spec));
        REQUIRE(longer.size() == 50);
        CHECK(std::vector<std::string>(longer.begin(), longer.begin() + 10) == top);
        // The second page follows the first, as the longer page has it.
        spec.limit = 10;
        spec.offset = 10;
        const std::vector<std::string> second = ids(s.search(spec));
        spec.offset = 0;
        CHECK(second == std::vector<std::string>(longer.begin() + 10, longer.begin() + 20));
    }
}

TEST_CASE("search: --any's closeness bonus never matches what the query leaves out") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    {
        pundit::DocumentBuilder builder;
        pundit::IndexWriter writer(path);
        writer.put(builder.build(make_article("vote", "2016-11-01", "Election day", "The election was calm and orderly.")));
        writer.put(builder.build(make_article("trump", "2016-11-08", "Election night", "The election went to Trump.")));
        writer.put(builder.build(make_article("rates-apart", "2016-11-02", "Markets", "Interest in rates of exchange grew.")));
        writer.put(builder.build(make_article("rates", "2016-11-03", "Markets", "Interest rates rose again.")));
        writer.put(builder.build(make_article("prices", "2016-11-04", "Markets", "Inflation rose again.")));
        writer.commit();
    }
    pundit::Searcher s(path);
    pundit::QuerySpec spec;
    spec.match_any = true;
    // One pass ORed the pair "election NEAR trump" with the query, and found Trump.
    spec.query = "election NOT trump";
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"vote"});
    spec.query = "election -trump";
    CHECK(ids(s.search(spec)) == std::vector<std::string>{"vote"});
    // "interest" near "rates" is no phrase: the article that has them apart is no match.
    spec.query = "\"interest rates\" OR inflation";
    std::vector<std::string> found = ids(s.search(spec));
    std::sort(found.begin(), found.end());
    CHECK(found == std::vector<std::string>{"prices", "rates"});
}

TEST_CASE("search: after a removal, a term every article holds finds them all, alone, filtered, counted and faceted") {
    // Xapian 1.4.22 reads such a term through the list of all documents when
    // it need not weigh it, and walking that list across a gap in the
    // document ids (a removed article) past its first chunk failed with
    // "Unexpected end of posting list". 1,500 articles give the list several
    // chunks; every one is English and says "geneva".
    test::TempDir dir;
    const std::string path = dir / "idx";
    {
        pundit::DocumentBuilder builder;
        pundit::IndexWriter writer(path);
        for (int i = 0; i < 1500; ++i) {
            pundit::Article a = test::make_article("g" + std::to_string(i), std::to_string(2000 + i % 10) + "-06-01",
                                                   "Headline " + std::to_string(i),
                                                   "Ministers met in Geneva for talks number " + std::to_string(i) + ".");
            a.language = "en";
            writer.put(builder.build(a));
        }
        writer.commit();
        REQUIRE(writer.remove("g700"));
        writer.commit();
    }
    struct Row {
        std::string query;
        bool english_only;
        std::vector<std::string> facets;
        pundit::SortOrder sort;
        Xapian::doccount limit;
    };
    const Row rows[] = {
        {"geneva", false, {}, pundit::SortOrder::relevance, 0},
        {"geneva", false, {"year"}, pundit::SortOrder::relevance, 0},
        {"geneva", false, {"year"}, pundit::SortOrder::relevance, 10},
        {"geneva", true, {"year"}, pundit::SortOrder::newest, 10},
        {"", true, {}, pundit::SortOrder::relevance, 10},
        {"", true, {"year"}, pundit::SortOrder::newest, 0},
        {"geneva ministers", true, {"year"}, pundit::SortOrder::oldest, 5},
    };
    // Counted by Xapian's spies, then from the facet cache.
    for (const bool cached : {false, true}) {
    CAPTURE(cached);
    if (cached) pundit::write_facet_cache(path);
    pundit::Searcher s(path);
    for (const Row& row : rows) {
        CAPTURE(row.query);
        CAPTURE(row.english_only);
        CAPTURE(row.facets.size());
        pundit::QuerySpec spec;
        spec.query = row.query;
        if (row.english_only) spec.languages = {"en"};
        spec.facets = row.facets;
        spec.sort = row.sort;
        spec.limit = row.limit;
        const pundit::SearchResults r = s.search(spec);
        CHECK(r.total == 1499);
        CHECK(r.total_exact);
        CHECK(r.hits.size() == row.limit);
        if (!row.facets.empty()) {
            REQUIRE(r.facets.size() == 1);
            Xapian::doccount counted = 0;
            for (const auto& value : r.facets[0].values) counted += value.count;
            CHECK(counted == 1499);
        }
    }
    }
}
