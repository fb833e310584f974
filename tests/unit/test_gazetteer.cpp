// The gazetteer's lookup of the names people type: the keys it compares
// (which scripts/gazetteer/build uses too, through `indexer name-keys`), the
// spellings of other transliterations the build adds to the real files, and
// the names it suggests for a typo.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "gazetteer_fixture.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/normaliser.hpp"

namespace {

std::vector<std::string> resolved_ids(const std::string& text) {
    pundit::Normaliser normaliser;
    std::vector<std::string> ids;
    for (const pundit::Entity* e : test::gazetteer()->resolve(pundit::EntityKind::leader, text, normaliser)) {
        ids.push_back(e->id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

} // namespace

TEST_CASE("gazetteer keys: the normalised form and lookup key of names that fold unlike ASCII") {
    // tests/cli/expected/gazetteer_build_keys.out holds the same keys as the
    // gazetteer build computes them.
    struct Row {
        const char* name;
        const char* normalised;
        const char* lookup;
    };
    const Row rows[] = {
        {"O'Neill", "o'neill", "oneill"},               // apostrophe kept inside a word, dropped in a key
        {"O\xE2\x80\x99Neill", "o'neill", "oneill"},    // typographic apostrophe
        {"Путин", "путин", "путин"},                    // Cyrillic keeps its letters
        {"习近平", "习 近平", "习近平"},                 // CJK is segmented into words
        {"Kılıçdaroğlu", "kilicdaroglu", "kilicdaroglu"}, // Turkish dotless i
        {"İsmet İnönü", "ismet inonu", "ismetinonu"},   // Turkish dotted capital I
        {"Kim Jong-un", "kim jong un", "kimjongun"},    // hyphen
        {"Tørnæs", "tornaes", "tornaes"},               // letters that are not a letter plus a mark
        {"B.J. Habibie", "bj habibie", "bjhabibie"},    // initials run together
        {"Ahmadinejad's", "ahmadinejad's", "ahmadinejads"},
        {"Al_Sisi 2nd", "al_sisi 2nd", "alsisi2nd"},    // an underscore is a word character, not a letter
        {"  (Xi, JINPING)!", "xi jinping", "xijinping"}, // ASCII punctuation, spaces and case
    };
    pundit::Normaliser normaliser;
    for (const Row& row : rows) {
        CAPTURE(row.name);
        CHECK(normaliser.normalise(row.name) == row.normalised);
        CHECK(pundit::lookup_key(normaliser, row.name) == row.lookup);
    }
}

TEST_CASE("gazetteer spellings: names written in another transliteration find the leader") {
    struct Row {
        const char* typed;
        const char* id;
    };
    const Row rows[] = {
        // German ue/oe/ae for umlauts, also guessed where the source lost them
        {"Poul Schlueter", "poul-schluter"},
        {"Abdullah Guel", "abdullah-gul"},
        {"Richard von Weizsaecker", "richard-von-weizsacker"},
        {"Korutuerk", "fahri-koruturk"},
        // doubled consonants written single
        {"Mir-Hossein Mousavi", "mir-hossein-moussavi"},
        {"Francois Mitterand", "francois-mitterrand"},
        // y/i and ay/ai endings
        {"Nikolai Ryzhkov", "nikolay-ryzhkov"},
        {"Arseni Yatsenyuk", "arseniy-yatsenyuk"},
        // kh/q/g/gh and dh
        {"Moammar Khadafy", "muammar-gaddafi"},
        {"Qadafi", "muammar-gaddafi"},
        // ou/u
        {"Abdelaziz Buteflika", "abdelaziz-bouteflika"},
        // j/dzh
        {"Akylbek Dzhaparov", "akylbek-japarov"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.typed);
        CHECK(resolved_ids(row.typed) == std::vector<std::string>{row.id});
    }
}

TEST_CASE("gazetteer spellings: a variant that names someone else is not added") {
    struct Row {
        const char* typed;
        std::vector<std::string> ids;
    };
    const Row rows[] = {
        {"Kan", {"naoto-kan"}},                           // not Imran Khan
        {"Ruhani", {"hasan-fereidun-ruhani"}},            // not Hassan Rouhani
        {"Maktoum", {"mohammed-bin-rashid-al-maktoum"}},  // not his father Rashid al-Maktum
        {"Hillary Clinton", {}},                          // a given name that is not his
    };
    for (const Row& row : rows) {
        CAPTURE(row.typed);
        CHECK(resolved_ids(row.typed) == row.ids);
    }
}

TEST_CASE("gazetteer names: load_names reads the entities load reads, and finds the same ones by name") {
    const std::string dir = pundit::Gazetteer::locate(std::nullopt);
    const auto full = pundit::Gazetteer::load(dir);
    const auto names = pundit::Gazetteer::load_names(dir);
    REQUIRE(names->entities().size() == full->entities().size());
    CHECK(names->version() == full->version());
    std::size_t namesakes = 0;
    for (std::size_t i = 0; i < full->entities().size(); ++i) {
        const pundit::Entity& a = full->entities()[i];
        const pundit::Entity& b = names->entities()[i];
        CAPTURE(a.id);
        CHECK(b.id == a.id);
        CHECK(b.name == a.name);
        CHECK(b.aliases == a.aliases);
        CHECK(b.surnames == a.surnames);
        CHECK(b.surname_first == a.surname_first);
        // Terms only where they tell namesakes apart, which the names above
        // show they did as load's.
        if (!b.terms.empty()) CHECK(b.terms.size() == a.terms.size());
        if (a.kind == pundit::EntityKind::leader && a.name.ends_with(")")) {
            CHECK(b.terms.size() == a.terms.size());
            ++namesakes;
        }
    }
    CHECK(namesakes > 0);
    // Neither the rules (titles, word lists) nor their effects.
    CHECK(names->titles().empty());
    CHECK(!full->titles().empty());
    pundit::Normaliser normaliser;
    for (const char* text : {"putin", "Vladimir Putin", "bush", "Moammar Khadafy", "путин", "xi", "clinton", "blair"}) {
        CAPTURE(text);
        auto ids = [&](const pundit::Gazetteer& g) {
            std::vector<std::string> out;
            for (const pundit::Entity* e : g.resolve(pundit::EntityKind::leader, text, normaliser)) out.push_back(e->id);
            return out;
        };
        CHECK(ids(*names) == ids(*full));
        CHECK(!ids(*names).empty());
        const auto near_full = full->suggest(pundit::EntityKind::leader, std::string(text) + "x", 5, normaliser);
        const auto near_names = names->suggest(pundit::EntityKind::leader, std::string(text) + "x", 5, normaliser);
        REQUIRE(near_full.size() == near_names.size());
        for (std::size_t i = 0; i < near_full.size(); ++i) CHECK(near_full[i].name == near_names[i].name);
    }
}

TEST_CASE("gazetteer suggestions: two neighbouring letters swapped are one edit from the name") {
    // Counted as two edits (a replacement each), "NTAO" was as far from
    // NATO as from ETA and fourth in line, and "xi jinpign" too far from Xi
    // Jinping to be taken for a typo of it (entity_resolution.hpp).
    struct Row {
        pundit::EntityKind kind;
        const char* typed;
        const char* nearest;
    };
    const Row rows[] = {
        {pundit::EntityKind::leader, "Ptuin", "Vladimir Putin"},
        {pundit::EntityKind::leader, "Vladimir Ptuin", "Vladimir Putin"},
        {pundit::EntityKind::leader, "Mekrel", "Angela Merkel"},
        {pundit::EntityKind::leader, "Erodgan", "Recep Tayyip Erdoğan"},
        {pundit::EntityKind::leader, "xi jinpign", "Xi Jinping"},
        {pundit::EntityKind::country, "Germnay", "Germany"},
        {pundit::EntityKind::organisation, "NTAO", "NATO"},
    };
    pundit::Normaliser normaliser;
    for (const Row& row : rows) {
        const std::string typed = row.typed;
        CAPTURE(typed);
        CHECK(test::gazetteer()->resolve(row.kind, row.typed, normaliser).empty());
        const auto near = test::gazetteer()->suggest(row.kind, row.typed, 2, normaliser);
        REQUIRE(near.size() == 2);
        CHECK(near[0].name == row.nearest);
        CHECK(near[0].edits == 1);
        CHECK(near[1].edits > 1); // the only name that close
    }
}

TEST_CASE("gazetteer names: each id, alias and surname finds its entity, as typed and in capitals") {
    // A sample of every kind: resolve keys each name as it compares it, and
    // must find what the lookup tables of names and surnames would.
    pundit::Normaliser normaliser;
    const auto& entities = test::gazetteer()->entities();
    std::size_t tried = 0;
    for (std::size_t i = 0; i < entities.size(); i += 61) {
        const pundit::Entity& e = entities[i];
        std::vector<std::string> forms{e.id};
        forms.insert(forms.end(), e.aliases.begin(), e.aliases.end());
        for (const std::string& form : forms) {
            std::string capitals = form;
            std::transform(capitals.begin(), capitals.end(), capitals.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            for (const std::string& typed : {form, capitals}) {
                CAPTURE(typed);
                const auto found = test::gazetteer()->resolve(e.kind, typed, normaliser);
                CHECK(std::find(found.begin(), found.end(), &e) != found.end());
                ++tried;
            }
        }
        // A surname finds its leader unless a name or alias takes it first.
        for (const std::string& surname : e.surnames) {
            CAPTURE(surname);
            const auto found = test::gazetteer()->resolve(e.kind, surname, normaliser);
            const auto holders = test::gazetteer()->with_surname(e.kind, surname, normaliser);
            REQUIRE(!found.empty());
            CHECK(std::find(holders.begin(), holders.end(), &e) != holders.end());
            bool by_name = false;
            for (const pundit::Entity* other : found) {
                const std::string key = pundit::lookup_key(normaliser, surname);
                for (const std::string& alias : other->aliases) by_name = by_name || pundit::lookup_key(normaliser, alias) == key;
            }
            if (!by_name) CHECK(found == holders);
        }
    }
    CHECK(tried > 100);
}
