// The reference lists entities are recognised from: leaders with their terms
// in office, countries and international organisations (corpus/gazetteer/,
// format in its README), plus the hand-kept matching rules in rules/.
// Loading parses the files and checks them; finding entities in text is the
// job of entity_extractor.hpp, looking up a user's filter value that of
// resolve() below (entity_resolution.hpp settles namesakes with the index).
// Not for building the files (scripts/gazetteer/build).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <unordered_map>
#include <vector>

#include "pundit/entity.hpp"
#include "pundit/normaliser.hpp"

namespace pundit {

struct LeaderTerm {
    std::string country; // ISO 3166 alpha-2
    std::string role;    // head_of_state | head_of_government
    std::string title;   // President, Prime Minister, ...
    std::uint32_t start = 0; // YYYYMMDD; a month or year alone starts at its first day
    std::uint32_t end = 0;   // YYYYMMDD; a month or year alone ends at its last day; kInOffice when open
};

inline constexpr std::uint32_t kInOffice = 99991231;

// A leader's sex, as far as the gazetteer's rules tell it (rules/given_names.tsv,
// monarchs' titles); unknown when they do not.
enum class Sex : std::uint8_t { unknown, female, male };

struct Entity {
    EntityKind kind = EntityKind::leader;
    std::string id;   // stable: leader slug, lower-case ISO code, organisation slug
    std::string name; // canonical display name, unique within its kind
    std::vector<std::string> aliases;  // forms that name the entity on their own (the name included)
    std::vector<std::string> surnames; // leaders: forms that need context (licensing) when alone
    std::vector<LeaderTerm> terms;     // leaders only
    std::vector<std::string> capitals; // countries: capitals (also among the aliases)
    std::vector<std::string> demonyms; // countries: "Algerian", "Algerians" (also among the aliases)
    bool surname_first = false;        // leaders: the family name comes first (Xi Jinping, Moon Jae-in)
    bool widely_covered = false;       // leaders: the gazetteer gives native-script spellings
    Sex sex = Sex::unknown;            // leaders
    std::uint32_t ended = 0;           // countries that no longer exist: their last day (YYYYMMDD)
    std::string successor;             // ... and the id of the state that followed
    std::uint32_t since = 0;           // organisations: the day from which the name means them (YYYYMMDD)
};

// A title that licenses a surname mention, with the office family it implies
// (may be empty): words of the term titles that fit it, separated by '|'
// ("Prime Minister|Premier"; see held_office).
struct TitleRule {
    std::string family;
};

// True when one of the leader's terms has a title containing one of the
// '|'-separated words of `family` ("President|Head of State").
bool held_office(const Entity& leader, const std::string& family);

// A country's canonical name and its demonyms ("Algeria": "Algerian",
// "Algerians"), as countries.tsv lists them.
struct CountryForms {
    std::string name;
    std::vector<std::string> demonyms;
};

// A canonical name close to what the user typed, and how far: the edit
// distance (edit_distance.hpp: bytes inserted, deleted or replaced, and
// neighbours swapped) between their lookup keys.
struct NameSuggestion {
    std::string name;
    std::size_t edits = 0;
};

class Gazetteer {
public:
    // Loads every file in `dir`. Throws Error(input) naming the file and line
    // of the first malformed row.
    static std::shared_ptr<const Gazetteer> load(const std::string& dir);
    // The entities alone, for looking names up (resolve, suggest,
    // with_surname): leaders, countries and organisations with their names,
    // aliases and surnames, and the terms only of the leaders whose names
    // others share (read for every leader, they were a fifth of the
    // time); none of the rules the
    // extractor needs (titles, sexes, word lists, when countries ended and
    // organisations began). What a searcher with an entity filter loads:
    // the rules were a third of load()'s time.
    static std::shared_ptr<const Gazetteer> load_names(const std::string& dir);
    // Reads countries.tsv in `dir` alone, for the names and demonyms of the
    // countries: what a query needs to let a demonym match its country,
    // without parsing the whole gazetteer (under a millisecond, against
    // about 7 for load()). Throws as load() does.
    static std::vector<CountryForms> load_country_forms(const std::string& dir);

    // The directory to load from: `explicit_dir`, else $PUNDIT_GAZETTEER, else
    // the copy in the source tree it was built from, else the installed copy. Throws Error(input)
    // when none exists.
    static std::string locate(const std::optional<std::string>& explicit_dir);

    const std::string& version() const { return m_version; }
    const std::vector<Entity>& entities() const { return m_entities; }

    // The matching rules, keyed by normalised text (Normaliser::normalise).
    const std::unordered_map<std::string, TitleRule>& titles() const { return m_titles; }
    bool is_not_a_name(const std::string& key) const { return m_not_names.count(key) > 0; }
    bool is_ambiguous(const std::string& alias_key) const { return m_ambiguous.count(alias_key) > 0; }
    // The sex an honorific ("mrs") or a given name ("hillary") says, by
    // normalised word (rules/honorifics.tsv, rules/given_names.tsv).
    Sex honorific_sex(const std::string& key) const;
    Sex given_name_sex(const std::string& key) const;
    const std::vector<std::string>& not_entities() const { return m_not_entities; }
    // A word that, after a person's name, makes the name part of the name of
    // a place, institution, company or work named after the person ("Road",
    // "Airport", "Foundation", "Motor": rules/named_after.txt).
    bool names_after_a_person(const std::string& key) const { return m_named_after.count(key) > 0; }
    // A lower-case noun that, right before a name, makes it a company's
    // ("drugmaker Dr Reddy's", "carmaker Suzuki": rules/company_nouns.txt).
    bool is_company_noun(const std::string& key) const { return m_company_nouns.count(key) > 0; }

    // The entities of `kind` that the user's `text` names: by id, canonical
    // name or alias, else by surname, else (leaders) by a given name and a
    // surname the gazetteer lists apart ("Moammar Khadafy": the alias
    // "Moammar Gadhafi", the surname "Khadafy"), ignoring case, diacritics and
    // width. Several when the text is ambiguous ("Bush"); empty when unknown.
    std::vector<const Entity*> resolve(EntityKind kind, const std::string& text,
                                       Normaliser& normaliser) const;

    // The entities of `kind` that have `text` among their surnames
    // ("Clinton" -> Bill Clinton), ignoring case, diacritics and width, even
    // when a name or alias also matches (unlike resolve()). Empty for
    // countries and organisations, which have no surnames.
    std::vector<const Entity*> with_surname(EntityKind kind, const std::string& text,
                                            Normaliser& normaliser) const;

    // Up to `count` canonical names of `kind` closest to `text` (edit
    // distance over names, aliases and surnames), closest first, for "did
    // you mean" messages.
    std::vector<NameSuggestion> suggest(EntityKind kind, const std::string& text, std::size_t count,
                                        Normaliser& normaliser) const;

private:
    Gazetteer() = default;
    // Builds the lookup tables of one kind on first use (with_surname,
    // suggest and resolve's last resort): a searcher resolves a leader
    // filter without keying every country and organisation.
    void index_lookup_keys(EntityKind kind, Normaliser& normaliser) const;
    // resolve()'s entities of `kind` with an id or alias (or, with
    // `surnames`, a surname) whose key is `text` or `key`: those of `text`
    // first, each in the gazetteer's order. Each key is made as it is
    // compared: a searcher resolves a name or two, and sorting the keys of
    // every leader into a table first (index_lookup_keys) took three times
    // as long as this scan (some 8 ms against 2.4 on the benchmark machine).
    std::vector<const Entity*> scan_keys(EntityKind kind, const std::string& text, const std::string& key,
                                         bool surnames, Normaliser& normaliser) const;
    // The entities, which load() and load_names() share: the steps below up
    // to make_names_unique. Without `all_terms` (load_names), only the
    // leaders whose names others share get their terms, which tell them
    // apart: nothing else a search does reads a term.
    static std::shared_ptr<Gazetteer> read_entities(const std::string& dir, bool all_terms);
    // The steps of load(), in the order it takes them: the entities, then
    // the rules, which refer to them. Each throws as load() does.
    // leaders.tsv (whose '# version:' line is the gazetteer's version) and
    // leader_terms.tsv. The entity files come as their contents, which
    // read_entities reads first to make room for every entity.
    static void read_leaders(const std::string& dir, const std::string& leaders, Gazetteer& g, bool all_terms);
    static void read_countries(const std::string& dir, const std::string& countries, Gazetteer& g);
    static void read_organisations(const std::string& dir, const std::string& organisations, Gazetteer& g);
    // Canonical names must be unique within a kind, as they are facet
    // values: a leader whose name an earlier entity of its kind has gets
    // the country of its first term ("Name (Country)").
    static void make_names_unique(Gazetteer& g);
    // rules/titles.tsv; the words of titles are not given names.
    static void read_titles(const std::string& dir, Gazetteer& g, Normaliser& normaliser);
    // rules/historical_countries.tsv: when a country ended, and its successor.
    static void read_historical_countries(const std::string& dir, Gazetteer& g);
    // Reads rules/honorifics.tsv and rules/given_names.tsv, and sets each
    // leader's sex; after the leaders' terms are read.
    static void read_sex_rules(const std::string& dir, Gazetteer& g, Normaliser& normaliser);
    // rules/organisation_dates.tsv: since when an organisation exists.
    static void read_organisation_dates(const std::string& dir, Gazetteer& g);
    // The word lists: rules/not_names.txt, ambiguous.txt,
    // rules/not_entities.txt, rules/named_after.txt, rules/company_nouns.txt.
    static void read_word_lists(const std::string& dir, Gazetteer& g, Normaliser& normaliser);

    std::string m_version;
    std::vector<Entity> m_entities;
    std::unordered_map<std::string, TitleRule> m_titles;
    std::unordered_map<std::string, int> m_not_names;
    std::unordered_map<std::string, int> m_ambiguous;
    std::unordered_map<std::string, Sex> m_honorific_sex;
    std::unordered_map<std::string, Sex> m_given_name_sex;
    std::vector<std::string> m_not_entities;
    std::unordered_map<std::string, int> m_named_after;
    std::unordered_map<std::string, int> m_company_nouns;
public:
    // Lookup keys and the indexes of the entities they name, sorted by key
    // (then index): one array rather than a hash node and a vector for each
    // of some 15,000 keys, whose allocations were a third of what a
    // searcher's entity filter cost.
    class KeyTable {
    public:
        using Entry = std::pair<std::string, std::size_t>;
        void add(std::string key, std::size_t entity) { m_entries.emplace_back(std::move(key), entity); }
        // Sorts; each (key, entity) once.
        void finish();
        // The entries of `key`, in the order of their entities.
        std::span<const Entry> find(std::string_view key) const;
        const std::vector<Entry>& entries() const { return m_entries; }

    private:
        std::vector<Entry> m_entries;
    };

private:
    // Per kind, for resolve(): ids, names and aliases; surnames apart, as a
    // fallback. Filled by index_lookup_keys.
    struct Lookup {
        bool indexed = false;
        KeyTable names;
        KeyTable surnames;
    };
    mutable std::array<Lookup, 3> m_lookup;
    mutable std::mutex m_lookup_mutex;
};

// The comparison key of a name or filter value: the text folded as words
// are (case, width, Latin diacritics) with everything but letters and
// digits left out, so "Kim Jong-un", "kim jong un" and "KIM JONG UN" agree.
std::string lookup_key(Normaliser& normaliser, const std::string& text);

// Parses a term date ("2019-06-29", "2019-06", "2019"); `end` picks the last
// day of an incomplete date. Returns 0 when malformed.
std::uint32_t parse_term_date(const std::string& text, bool end);

} // namespace pundit
