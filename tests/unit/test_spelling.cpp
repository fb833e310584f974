#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>

#include "gazetteer_fixture.hpp"
#include "pundit/index.hpp"
#include "pundit/index_set.hpp"
#include "pundit/ingest.hpp"
#include "pundit/searcher.hpp"
#include "pundit/spelling.hpp"
#include "corpus_fixture.hpp"
#include "temp_dir.hpp"

namespace {


pundit::SearchResults search(pundit::Searcher& searcher, const std::string& query) {
    pundit::QuerySpec spec;
    spec.query = query;
    return searcher.search(spec);
}

} // namespace

TEST_CASE("which words go into the spelling table") {
    const struct {
        const char* word;
        bool kept;
    } rows[] = {
        {"sanctions", true}, {"kilicdaroglu", true}, {"путин", true}, {"ab", true},
        {"a", false},        {"the", false},         {"what", false}, {"g20", false},
        {"2019", false},     {"'s", false},          {"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", false},
    };
    for (const auto& row : rows) {
        CAPTURE(std::string(row.word));
        CHECK(pundit::is_spelling_word(row.word) == row.kept);
    }
}

TEST_CASE("a correction is offered for few matches when it matches more") {
    const struct {
        Xapian::doccount matches, corrected;
        bool offered;
    } rows[] = {
        {0, 1, true},   {0, 0, false}, {3, 30, true}, {3, 29, false}, {9, 500, true},
        {10, 500, false}, {5, 4, false},
    };
    for (const auto& row : rows) {
        CAPTURE(row.matches);
        CAPTURE(row.corrected);
        CHECK(pundit::worth_suggesting(row.matches, row.corrected) == row.offered);
    }
}

TEST_CASE("the gazetteer's names are spelling words, normalised") {
    pundit::SpellingWords words = pundit::gazetteer_spelling_words(*test::gazetteer());
    for (const char* word : {"putin", "zelenskyy", "zelenskiy", "erdogan", "nato", "kazakhstan"}) {
        CAPTURE(std::string(word));
        CHECK(words.count(word) == 1);
    }
    CHECK(words.count("Putin") == 0);
    CHECK(words.count("Erdoğan") == 0);
}

TEST_CASE("did you mean: single and sharded indexes suggest the same, filters and syntax kept") {
    test::TempDir dir;
    pundit::Searcher single(test::index_corpus(dir / "single", 1), [] { return test::gazetteer(); });
    pundit::Searcher sharded(test::index_corpus(dir / "sharded", 3), [] { return test::gazetteer(); });
    // Four shards put "putin" and "put" (one edit from "putn") in different
    // numbers of shards, which changed Xapian's choice when the spelling
    // table was spread over them.
    pundit::Searcher four(test::index_corpus(dir / "four", 4), [] { return test::gazetteer(); });
    const struct {
        const char* query;
        const char* suggestion; // "" = none
    } rows[] = {
        {"putn sanctons", "putin sanctions"},
        {"putn", "putin"},
        {"Pütn SANCTONS", "putin sanctions"},             // normalised like the index
        {"\"prime ministr\"", "\"prime minister\""},      // phrases stay phrases
        {"title:nation mandla", "title:nation mandela"},  // field prefixes stay
        {"title:natoin", ""},                             // field words are not corrected (Xapian 1.4)
        {"sanctons leader:putin", "sanctions leader:putin"}, // boolean filters stay
        {"kilicdarolu", "kilicdaroglu"},                  // a name from the articles and gazetteer
        {"putin", ""},                                    // a correct query
        {"putin sanctions", ""},
        {"qqqqzzzz", ""},                                 // nothing near it
    };
    for (const auto& row : rows) {
        CAPTURE(std::string(row.query));
        pundit::SearchResults a = search(single, row.query), b = search(sharded, row.query),
                              c = search(four, row.query);
        REQUIRE(a.suggestion.has_value() == (*row.suggestion != '\0'));
        REQUIRE(b.suggestion.has_value() == a.suggestion.has_value());
        REQUIRE(c.suggestion.has_value() == a.suggestion.has_value());
        if (!a.suggestion) continue;
        CHECK(a.suggestion->query == row.suggestion);
        for (const pundit::SearchResults* other : {&b, &c}) {
            CHECK(other->suggestion->query == a.suggestion->query);
            CHECK(other->suggestion->total == a.suggestion->total);
        }
        // The count is that of the corrected query, run as given.
        pundit::SearchResults corrected = search(single, a.suggestion->query);
        CHECK(a.suggestion->total == corrected.total);
        CHECK(a.suggestion->total > a.total);
    }
}

TEST_CASE("a word the index holds is corrected only when very rare beside a far more frequent correction") {
    const struct {
        Xapian::doccount articles, correction_articles;
        bool corrected;
    } rows[] = {
        {0, 1, true},     {0, 0, true},      // absent: whatever Xapian offers
        {1, 100, true},   {1, 99, false},    {3, 300, true}, {3, 1000, true},
        {4, 100000, false},                  // in more than kRareWordArticles articles
        {7, 92, false},                      // 'chirac' and 'china' on BBC News
    };
    for (const auto& row : rows) {
        CAPTURE(row.articles);
        CAPTURE(row.correction_articles);
        CHECK(pundit::worth_correcting(row.articles, row.correction_articles) == row.corrected);
    }
}

TEST_CASE("did you mean: never a replacement for a word the index holds or a name in the gazetteer") {
    test::TempDir dir;
    pundit::Searcher searcher(test::index_corpus(dir / "idx", 1), [] { return test::gazetteer(); });
    const struct {
        const char* query;
        const char* suggestion; // "" = none
    } rows[] = {
        // Words of one to three sample articles, each within two edits of a
        // word in ten times as many: Xapian offered "called", "presidents",
        // "power", "plan".
        {"pulled", ""}, {"residents", ""}, {"tower", ""}, {"plane", ""},
        // Names in the gazetteer that no sample article holds (Abdurrahman
        // Wahid, Jean Castex): Xapian offered "said" and "caste".
        {"wahid", ""}, {"castex", ""},
        // With a misspelt word beside them, only that word is corrected.
        {"presidnet", "president"}, {"tower presidnet", "tower president"}, {"presidnet OR tower", "president OR tower"},
    };
    for (const auto& row : rows) {
        CAPTURE(std::string(row.query));
        const pundit::SearchResults results = search(searcher, row.query);
        CHECK(results.suggestion.has_value() == (*row.suggestion != '\0'));
        if (results.suggestion) CHECK(results.suggestion->query == row.suggestion);
    }
}

TEST_CASE("did you mean: the option filters count in the corrected total") {
    test::TempDir dir;
    pundit::Searcher searcher(test::index_corpus(dir / "idx", 1), [] { return test::gazetteer(); });
    pundit::QuerySpec spec;
    spec.query = "sanctons";
    pundit::SearchResults all = searcher.search(spec);
    REQUIRE(all.suggestion);
    spec.since = "2010-01-01";
    pundit::SearchResults recent = searcher.search(spec);
    REQUIRE(recent.suggestion);
    CHECK(recent.suggestion->query == "sanctions");
    pundit::QuerySpec corrected = spec;
    corrected.query = "sanctions";
    CHECK(recent.suggestion->total == searcher.search(corrected).total);
    CHECK(recent.suggestion->total < all.suggestion->total);
}

TEST_CASE("did you mean: a partly remote index gives no suggestion and no error") {
    test::TempDir dir;
    const std::string local = test::index_corpus(dir / "local", 1);
    pundit::Searcher plain(local);
    REQUIRE(search(plain, "putn").suggestion);
    // The same database behind a stub, with a remote shard nobody serves:
    // the local shard's spelling data alone would suggest.
    dir.write("partial/XAPIANDB", "auto " + local + "\nremote 127.0.0.1:1\n");
    pundit::OpenOptions options;
    options.allow_partial = true;
    pundit::Searcher partial(dir / "partial", {}, options);
    pundit::SearchResults results = search(partial, "putn");
    CHECK(results.missing_shards.size() == 1);
    CHECK_FALSE(results.suggestion);
}

TEST_CASE("spelling table: a first import reads its words from the index, and counts them as later runs do") {
    // Word -> frequency, as the index's spelling table holds them.
    auto table = [](const std::string& path) {
        std::map<std::string, Xapian::doccount> out;
        Xapian::Database db = pundit::open_index_for_reading(path);
        for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) out[*w] = w.get_termfreq();
        return out;
    };
    test::TempDir dir;
    // A first import: words read from the term lists at the end of the run.
    const auto first = table(test::index_corpus(dir / "first", 3));
    CHECK(first.at("sanctions") >= 2);
    CHECK(first.count("the") == 0);

    // The same articles added to an index that already holds one: counted
    // article by article as they are built.
    const std::string later = dir / "later";
    {
        pundit::IndexSet index(later, 3);
        pundit::IngestOptions options;
        options.gazetteer = test::gazetteer();
        std::istringstream in("{\"id\":\"seed\",\"title\":\"Quokkas\",\"body\":\"Quokkas and sanctions.\"}\n");
        std::ostringstream diagnostics;
        pundit::ingest(index, {"-"}, options, in, diagnostics);
    }
    test::index_corpus(later, 3);
    auto counted = table(later);
    // Each article counts once for each word it uses, however often.
    CHECK(counted.at("quokkas") == 1);
    CHECK(counted.at("sanctions") == first.at("sanctions") + 1);
    counted.erase("quokkas");
    --counted.at("sanctions");
    CHECK(counted == first);
}

TEST_CASE("spelling: the words of gazetteer names are known without segmenting every name") {
    const auto gazetteer = test::gazetteer();
    const pundit::SpellingWords all = pundit::gazetteer_spelling_words(*gazetteer);
    pundit::GazetteerNameWords names(*gazetteer);
    // Every 20th word of the names, in every script the gazetteer has, and
    // words that are in no name, nor are a name's key run together.
    std::size_t n = 0, checked = 0;
    for (const auto& [word, count] : all) {
        if (n++ % 20 != 0) continue;
        CAPTURE(word);
        CHECK(names.contains(word));
        ++checked;
    }
    CHECK(checked > 100);
    for (std::string word : {"putin", "jinping", "\xE4\xB9\xA0", "\xD0\xBF\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD", "erdogan"}) {
        CAPTURE(word);
        CHECK(all.count(word) == 1);
        CHECK(names.contains(word));
    }
    for (std::string word : {"goverment", "vladimirputin", "xijinping", "oil", "zzqx", "budget"}) {
        CAPTURE(word);
        CHECK(all.count(word) == 0);
        CHECK(!names.contains(word));
    }
}
