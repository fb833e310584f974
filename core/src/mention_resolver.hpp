// Decides which entity each name found by name_matcher.hpp stands for, and
// whether it counts at all: the second half of the entity extractor, where
// the rules listed in entity_extractor.hpp live, one method each. It reads
// one article's matches in order, keeping what the article has said so far
// in an ArticleState, and counts the mentions into tags.
// Internal to the core library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "name_matcher.hpp"
#include "pundit/entity.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/normaliser.hpp"

namespace pundit {

class MentionResolver {
public:
    // Takes the match keys (matcher.match_key) of the names the rules look
    // up: leaders' given names and surnames, one-word country names and
    // demonyms, every country and organisation alias. `gazetteer` must
    // outlive the resolver.
    MentionResolver(const Gazetteer& gazetteer, Normaliser& normaliser, const NameMatcher& matcher);

    // The tags of one article, from its matches in reading order (headline
    // first). `date` is YYYYMMDD, or 0 when unknown. `writers`: the match
    // keys of the words of each name the article gives for its writers
    // (writer_text.hpp). Sorted by kind, then mentions (most first), then name.
    std::vector<EntityTag> resolve(const std::vector<RawMatch>& matches, std::uint32_t date,
                                   const std::vector<std::vector<std::string>>& writers = {}) const;

private:
    struct ArticleState;
    struct Neighbours;
    struct Claimant;

    void add_leader_keys(std::uint32_t index, const Entity& leader, Normaliser& normaliser,
                         const NameMatcher& matcher);
    void add_other_kind_keys(std::uint32_t index, const Entity& entity, Normaliser& normaliser,
                             const NameMatcher& matcher);
    void note_widely_covered_countries();

    // Before any mention is resolved: what the whole article names.
    void note_leaders_named_in_full(const std::vector<RawMatch>& matches, ArticleState& article) const;
    void note_countries_named(const std::vector<RawMatch>& matches, ArticleState& article) const;
    void note_surnames_claimed(const std::vector<RawMatch>& matches, ArticleState& article) const;
    void claim(const std::string& key, std::int64_t person, Sex sex, ArticleState& article) const;

    // The rules, in the order they apply. Names that are part of something
    // else's name:
    bool part_of_named_thing(const RawMatch& m, ArticleState& article) const;
    bool named_as_company(const RawMatch& m, ArticleState& article) const;
    static bool is_writers_name(const RawMatch& m, const ArticleState& article);
    bool another_monarch(const RawMatch& m, ArticleState& article) const;
    // Full names, and a given name before a short full name:
    // Countries: a place name that is part of a longer name, a capital and a
    // name other places share need more than themselves.
    enum class PlaceForm : std::uint8_t { name, demonym, capital, shared_name };
    PlaceForm place_form(const RawMatch& m, std::uint32_t country) const;
    bool country_mention_counts(const RawMatch& m, std::uint32_t country, const ArticleState& article) const;
    bool part_of_longer_name(const RawMatch& m, PlaceForm form) const;
    bool names_another_thing(const RawMatch& m, PlaceForm form) const;
    bool in_lead(const RawMatch& m) const;
    bool is_country_common_name(const RawMatch& m) const;
    bool is_name_word(const Stream& s, std::size_t token) const;

    // Organisations: a name from before the organisation existed, an
    // abbreviation glued to another name, spelt out as something else in the
    // article or lost among capitals, is not the organisation's.
    void note_other_expansions(const std::vector<RawMatch>& matches, ArticleState& article) const;
    bool organisation_mention_counts(const RawMatch& m, std::uint32_t organisation,
                                     const ArticleState& article) const;
    bool abbreviation_glued(const RawMatch& m) const;

    // The rules, in the order they apply. Full names, and a given name before
    // a short full name:
    void resolve_full_name(const RawMatch& m, ArticleState& article) const;
    std::int64_t full_name_entity(const RawMatch& m, std::uint32_t date) const;
    bool given_name_precedes(const RawMatch& m, std::uint32_t leader) const;
    bool is_initials(const RawMatch& m) const;
    bool initials_stand_for(std::uint32_t leader, const RawMatch& m, const ArticleState& article) const;
    // A surname alone, rule after rule until one decides: joined by a hyphen,
    void resolve_surname(const RawMatch& m, ArticleState& article) const;
    static bool joined_by_hyphen(const RawMatch& m);
    // another capitalised name next to it,
    bool resolve_by_neighbours(const RawMatch& m, const std::string& key, const std::string* family,
                               ArticleState& article) const;
    Neighbours person_beside(const RawMatch& m, const std::string* family, const ArticleState& article,
                             bool before_only = false) const;
    Neighbours read_neighbours(const RawMatch& m, const std::string* family, std::uint32_t date,
                               bool before_only = false) const;
    Neighbours read_neighbour(const RawMatch& m, std::size_t at, const std::string* family, std::uint32_t date) const;
    Neighbours read_initial_before(const RawMatch& m, std::uint32_t date) const;
    bool initial_fits(std::uint32_t leader, const std::string& initial) const;
    Neighbours named_by_given_name(const RawMatch& m, std::size_t at, const std::string* family,
                                   std::uint32_t date) const;
    std::vector<std::uint32_t> leaders_with_given_name(const RawMatch& m, std::size_t at) const;
    bool is_namesake(std::int64_t leader, const ArticleState& article) const;
    // an office title, which must fit the leader,
    void resolve_by_office(const RawMatch& m, const std::string& key, const std::string& family,
                           ArticleState& article) const;
    // somebody the article names in full, or named before,
    bool resolve_by_article(const RawMatch& m, const std::string& key, ArticleState& article) const;
    bool resolve_by_earlier_mention(const RawMatch& m, const std::string& key, ArticleState& article) const;
    // a licence: a title, a surname that speaks for itself, a headline's
    // leader named in full.
    void resolve_licensed_surname(const RawMatch& m, const std::string& key, const std::string* family,
                                  ArticleState& article) const;
    bool speaks_for_itself(std::uint32_t leader, const RawMatch& m, const ArticleState& article) const;
    static bool in_team_sheet(const RawMatch& m);
    static bool is_writers_surname(const std::string& key, const ArticleState& article);
    std::vector<std::uint32_t> fitting_honorific(const RawMatch& m, const ArticleState& article) const;
    // Headline surnames, resolved after the body.
    void resolve_headline_surnames(const std::vector<const RawMatch*>& surnames, ArticleState& article) const;
    // Counting and the main-subject flag, and whom later bare surnames mean.
    void count(std::int64_t entity, const RawMatch& m, ArticleState& article) const;
    void remember_surnames(std::int64_t leader, ArticleState& article) const;
    static void mark_other_person(const std::string& key, ArticleState& article);

    // Facts about names and words, the same for every article.
    const std::string* title_family(const Stream& s, std::size_t token) const;
    Sex honorific_sex(const Stream& s, std::size_t token) const;
    std::int64_t disambiguate(const std::vector<std::uint32_t>& candidates, const std::string* family,
                              std::uint32_t date) const;
    std::int64_t pick_country(const std::vector<std::uint32_t>& candidates, std::uint32_t date) const;
    bool looks_like_given_name(const Stream& s, std::size_t token) const;
    bool cannot_be_given_name(const std::string& word, const std::string& key) const;
    bool is_given_name_of(std::uint32_t leader, const std::string& key) const;
    bool has_name_word(std::uint32_t leader, const std::string& key) const;

    const Gazetteer& m_gazetteer;
    // Per leader: the match keys of its name words that are not surnames.
    std::vector<std::vector<std::string>> m_given_names;
    // Per leader: the match key of the first word of the leader's own name,
    // when it is a given name (empty otherwise).
    std::vector<std::string> m_first_given_name;
    // Per leader: each surname's match keys, each followed by a space.
    std::vector<std::vector<std::string>> m_surname_keys;
    std::unordered_set<std::string> m_country_words; // keys of one-word country names and demonyms, not capitals
    std::set<std::string> m_other_kind_keys;         // keys of every country and organisation alias
    std::set<std::string> m_initials_keys;           // keys of leaders' one-word aliases in capitals ("GMA")
    // (country index, key) of its demonyms, and of its capitals that are not also its name.
    std::set<std::pair<std::uint32_t, std::string>> m_demonym_keys;
    std::set<std::pair<std::uint32_t, std::string>> m_capital_keys;
    std::set<std::pair<std::uint32_t, std::string>> m_common_name_keys; // a country's common name
    // Per organisation index: the match keys of the words of its names; and
    // (organisation index, key) of its one-word names written in capitals.
    std::map<std::uint32_t, std::set<std::string>> m_organisation_words;
    std::set<std::pair<std::uint32_t, std::string>> m_abbreviation_keys;
    // Ids of the countries one of whose own leaders (who led no other) is widely covered.
    std::set<std::string> m_widely_covered_countries;
};

} // namespace pundit
