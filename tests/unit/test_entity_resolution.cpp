#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "pundit/entity_resolution.hpp"
#include "pundit/error.hpp"
#include "pundit/normaliser.hpp"
#include "pundit/schema.hpp"

#include "error_text.hpp"
#include "gazetteer_fixture.hpp"

namespace {

using pundit::EntityKind;

// Articles tagged with namesakes of the real gazetteer, as many of each as
// the resolution rows below need: two Bushes ten apart and more, two Browns
// exactly ten times apart, Barack Obama alone among the Obamas, two of the
// countries Moscow names, and neither OPEC.
const std::vector<std::pair<std::string, Xapian::doccount>> kTagged{
    {"XLEADER:george-w-bush", 22}, {"XLEADER:george-h-w-bush", 2}, {"XLEADER:gordon-brown", 10},
    {"XLEADER:tony-brown", 1},     {"XLEADER:barack-obama", 1},    {"XCOUNTRY:ru", 13},
    {"XCOUNTRY:su", 3},            {"XCOUNTRY:nl", 4},
};

// The tagged articles in `shards` in-memory databases, dealt round in turn,
// opened as one.
Xapian::Database tagged_index(std::size_t shards) {
    std::vector<Xapian::WritableDatabase> parts;
    for (std::size_t i = 0; i < shards; ++i) parts.emplace_back(std::string(), Xapian::DB_BACKEND_INMEMORY);
    std::size_t next = 0;
    for (const auto& [term, count] : kTagged) {
        for (Xapian::doccount i = 0; i < count; ++i) {
            Xapian::Document doc;
            doc.add_boolean_term(term);
            parts[next++ % shards].add_document(doc);
        }
    }
    Xapian::Database db;
    for (const auto& part : parts) db.add_database(part);
    return db;
}

// What resolving `name` gives: "Entity Name" or "Entity Name | note", else
// "error: message".
std::string resolve(const Xapian::Database& db, EntityKind kind, const std::string& name) {
    pundit::Normaliser normaliser;
    try {
        const pundit::EntityResolution r = pundit::resolve_entity_name(*test::gazetteer(), kind, name, db, normaliser);
        return r.note.empty() ? r.entity->name : r.entity->name + " | " + r.note;
    } catch (const pundit::Error& e) {
        return std::string("error: ") + e.what();
    }
}

struct Row {
    EntityKind kind;
    const char* name;
    const char* expected;
};

const Row kRows[] = {
    // One entity: no counting, no note.
    {EntityKind::leader, "Barack Obama", "Barack Obama"},
    {EntityKind::leader, "tony blair", "Tony Blair"},
    // More than kDominantShare (10) times the next: taken, with a note.
    {EntityKind::leader, "bush",
     "George W. Bush | 'bush' taken as George W. Bush (22 articles); also George H. W. Bush (2), McKeeva Bush (0): "
     "give a full name to choose another"},
    {EntityKind::leader, "George Bush", // an alias of both Bushes
     "George W. Bush | 'George Bush' taken as George W. Bush (22 articles); also George H. W. Bush (2): "
     "give a full name to choose another"},
    // The next has none: one article is enough.
    {EntityKind::leader, "OBAMA",
     "Barack Obama | 'OBAMA' taken as Barack Obama (1 article); also Francisco Pascual Obama Asue (0), "
     "Ricardo Mangue Obama Nfubea (0): give a full name to choose another"},
    // A demonym the gazetteer keeps for the principal country alone.
    {EntityKind::country, "dutch", "Netherlands"},
    // Exactly ten times is not more than ten times: the user chooses.
    {EntityKind::leader, "brown",
     "error: 'brown' could be several leaders: Gordon Brown (10 articles), Tony Brown (1), Ewart Brown (0); "
     "give the full name"},
    {EntityKind::country, "moscow",
     "error: 'moscow' could be several countries: Russia (13 articles), Soviet Union (3); give the full name"},
    // None has an article: listed by name, the first kListedNamesakes (8) of them.
    {EntityKind::organisation, "opec",
     "error: 'opec' could be several organisations: OPEC (0 articles), OPEC+ (0); give the full name"},
    {EntityKind::leader, "lee",
     "error: 'lee' could be several leaders: Lee Hae Chan (0 articles), Lee Han Dong (0), Lee Han Key (0), "
     "Lee Hoi Chang (0), Lee Hong Koo (0), Lee Hsien Loong (0), Lee Huan (0), Lee Hun Jai (0) and 10 more; "
     "give the full name"},
    // Another person with a leader's surname, last or (Xi Mingze) first.
    {EntityKind::leader, "hillary clinton",
     "error: 'hillary clinton' is not in the leader gazetteer (it has Bill Clinton); "
     "search the words instead: searcher 'hillary clinton'"},
    {EntityKind::leader, "Laura Bush",
     "error: 'Laura Bush' is not in the leader gazetteer (it has George H. W. Bush, George W. Bush and McKeeva Bush); "
     "search the words instead: searcher 'Laura Bush'"},
    {EntityKind::leader, "Gordon Smith", // not Pamela Gordon: her family name does not come first
     "error: 'Gordon Smith' is not in the leader gazetteer (it has Jennifer Smith and Orlando Smith); "
     "search the words instead: searcher 'Gordon Smith'"},
    {EntityKind::leader, "xi mingze",
     "error: 'xi mingze' is not in the leader gazetteer (it has Xi Jinping); search the words instead: searcher 'xi mingze'"},
    {EntityKind::leader, "Hillary Rodham Clinton",
     "error: 'Hillary Rodham Clinton' is not in the leader gazetteer (it has Bill Clinton); "
     "search the words instead: searcher 'Hillary Rodham Clinton'"},
    {EntityKind::leader, "Conan O'Brien Bush", // quoted for the shell
     "error: 'Conan O'Brien Bush' is not in the leader gazetteer (it has George H. W. Bush, George W. Bush and "
     "McKeeva Bush); search the words instead: searcher 'Conan O'\\''Brien Bush'"},
    // A typo of a name keeps "did you mean", even with a leader's surname in
    // it (kLettersPerTypo: one edit in 10 or 11 letters, two in 12).
    {EntityKind::leader, "bil clinton",
     "error: unknown leader 'bil clinton'; did you mean Bill Clinton, François Fillon or Guido Bellido?"},
    {EntityKind::leader, "Barak Obama",
     "error: unknown leader 'Barak Obama'; did you mean Barack Obama, Agatha Barbara or Ehud Barak?"},
    {EntityKind::leader, "gordon browne", // Gaston Browne's surname
     "error: unknown leader 'gordon browne'; did you mean Gordon Brown, Gaston Browne or E. Norman Crowe?"},
    {EntityKind::leader, "angela merkle",
     "error: unknown leader 'angela merkle'; did you mean Angela Merkel, Karl Nehammer or Manuel Merino?"},
    {EntityKind::leader, "putn", "error: unknown leader 'putn'; did you mean Vladimir Putin, Hun Manet or Mark Rutte?"},
    // Two letters swapped are one edit: one in 9 letters, not Xi Jinping's
    // family name with another given name.
    {EntityKind::leader, "xi jinpign",
     "error: unknown leader 'xi jinpign'; did you mean Xi Jinping, Li Xiannian or Lionel Jospin?"},
    {EntityKind::country, "frnace",
     "error: unknown country 'frnace'; did you mean France, Greece or Kyrgyzstan?"},
};

} // namespace

TEST_CASE("resolve_entity_name: namesakes are settled by their articles in the index") {
    const Xapian::Database db = tagged_index(1);
    for (const Row& row : kRows) {
        const std::string name = row.name;
        CAPTURE(name);
        CHECK(resolve(db, row.kind, name) == std::string(row.expected));
    }
}

TEST_CASE("resolve_entity_name: a sharded index counts the articles of every shard") {
    const Xapian::Database db = tagged_index(3);
    REQUIRE(db.size() == 3);
    for (const Row& row : kRows) {
        const std::string name = row.name;
        CAPTURE(name);
        CHECK(resolve(db, row.kind, name) == std::string(row.expected));
    }
}

TEST_CASE("dominates: more than kDominantShare times the next, counted without overflow") {
    struct Counts {
        std::vector<Xapian::doccount> articles; // most first
        bool expected;
    };
    const Counts rows[] = {
        {{}, false},
        {{0}, true}, // a single entity needs no articles
        {{0, 0}, false},
        {{1, 0}, true},
        {{10, 1}, false},
        {{11, 1}, true},
        {{11, 1, 1}, true},
        {{100, 10, 0}, false},
        // Ten times 500,000,000 wraps round in 32 bits to less than the first.
        {{4000000000u, 500000000u}, false},
        {{4000000000u, 300000000u}, true},
    };
    for (const Counts& row : rows) {
        std::vector<pundit::Namesake> namesakes;
        for (Xapian::doccount n : row.articles) namesakes.push_back(pundit::Namesake{nullptr, n});
        CAPTURE(row.articles.size());
        CAPTURE(row.articles.empty() ? 0 : row.articles.front());
        CHECK(pundit::dominates(namesakes) == row.expected);
    }
}

TEST_CASE("count_articles: most articles first, then by name") {
    const Xapian::Database db = tagged_index(2);
    pundit::Normaliser normaliser;
    std::vector<const pundit::Entity*> browns = test::gazetteer()->resolve(EntityKind::leader, "brown", normaliser);
    std::string listed;
    for (const pundit::Namesake& n : pundit::count_articles(browns, db)) {
        listed += n.entity->name + "=" + std::to_string(n.articles) + " ";
    }
    CHECK(listed == "Gordon Brown=10 Tony Brown=1 Ewart Brown=0 ");
}
