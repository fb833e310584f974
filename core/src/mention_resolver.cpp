#include "mention_resolver.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <string_view>
#include <unordered_map>

namespace pundit {
namespace {

// A special "entity" in the surname state: the surname was last used for
// somebody who is not a leader.
constexpr std::int64_t kOtherPerson = -1;
constexpr std::int64_t kNoEntity = -2;

// A surname alone speaks for itself only in articles dated from this many
// years before the leader's first term to this many years after the last.
// Leaders are in the news for years before they lead, as ministers, party
// leaders or vice-presidents (Kiichi Miyazawa as Japan's finance minister in
// 1987, four years before he was prime minister; Joe Biden as vice-president).
constexpr std::uint32_t kPlausibleYearsBefore = 6;
constexpr std::uint32_t kPlausibleYearsAfter = 10;
// Full names of at most this many words are taken for somebody else's when
// another given name precedes them.
constexpr std::size_t kShortFullName = 2;
// Given names this long or longer may differ from the gazetteer's spelling by
// one letter and still be the leader's own (Nikolai / Nikolay).
constexpr std::size_t kMinFuzzyNameBytes = 5;
// Abbreviations of fewer letters than this (EC, UN, IS) are not taken for
// words among capitals: in wire headlines they are the organisations.
constexpr std::size_t kMinWordAbbreviation = 3;
// Letters from this code point on are not Latin: the capital-letter
// heuristics about given names are for Latin script only.
constexpr unsigned kFirstNonLatin = 0x250;
// At most this many capitalised words between a leader's name and a word
// that names something after the person: "Reagan National Airport",
// "Kennedy Space Center".
constexpr std::size_t kMaxWordsBeforeNamedThing = 2;
// Regnal numbers are Roman numerals of at most this many letters ("XVIII").
constexpr std::size_t kMaxRegnalNumeralLetters = 6;
// A team sheet: at least this many names in a row, separated by commas,
// semicolons or a colon, each of at most this many words ("Subs: Marshall,
// Henchoz, Juninho Paulista"). Two names are a pair, not a list, unless
// they are all the paragraph holds ("Morrison, Wilson.": substitutes not
// used): prose never lists names alone.
constexpr std::size_t kMinTeamSheetNames = 3;
constexpr std::size_t kMinTeamSheetParagraphNames = 2;
constexpr std::size_t kMaxTeamSheetNameWords = 3;

// True when one substitution, insertion or deletion turns a into b.
bool one_edit_apart(const std::string& a, const std::string& b) {
    if (a.size() > b.size() + 1 || b.size() > a.size() + 1 || a == b) return false;
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    if (a.size() == b.size()) return a.compare(i + 1, std::string::npos, b, i + 1, std::string::npos) == 0;
    const std::string& longer = a.size() > b.size() ? a : b;
    const std::string& shorter = a.size() > b.size() ? b : a;
    return longer.compare(i + 1, std::string::npos, shorter, i, std::string::npos) == 0;
}

// Two spellings of one word of an organisation's name: "Organisation" and
// "Organization", "Agricultural" and "Agriculture", "Corp" and "Corporation".
bool same_name_word(const std::string& a, const std::string& b) {
    constexpr std::size_t kMinPrefix = 4;       // "corp" for "corporation"
    constexpr std::size_t kMinSharedStart = 6;  // "agricultur" for both forms
    const std::string& shorter = a.size() < b.size() ? a : b;
    const std::string& longer = a.size() < b.size() ? b : a;
    std::size_t common = 0;
    while (common < shorter.size() && shorter[common] == longer[common]) ++common;
    return a == b || one_edit_apart(a, b) || (shorter.size() >= kMinPrefix && common == shorter.size()) ||
           common >= kMinSharedStart;
}

// Lower-case words that open a surname: "Henri de Villiers", "Dries van Agt".
bool is_name_particle(const std::string& word) {
    static const std::set<std::string> kParticles{"de", "da", "das", "di", "do", "dos", "du", "del", "della",
                                                  "van", "von", "der", "den", "ter", "la", "le", "bin", "ibn",
                                                  "al", "el", "ben", "mac", "st"};
    return kParticles.count(word) > 0;
}

// Between a title and a name: a space, or a full stop after an abbreviation
// ("Dr. Reddy").
bool gap_is_name_gap(std::string_view gap) {
    return gap_is_single_space(gap) || (gap.size() > 1 && gap[0] == '.' && gap_is_single_space(gap.substr(1)));
}

// A hyphen between two words (also U+2010).
bool is_hyphen(std::string_view gap) { return gap == "-" || gap == "\xE2\x80\x90"; }

bool is_possessive(const std::string& word) { return word.ends_with("'s") || word.ends_with("'"); }

// "I", "II", "XIV": a word of the letters of Roman numerals, in capitals.
bool is_roman_numeral(std::string_view word) {
    return !word.empty() && word.size() <= kMaxRegnalNumeralLetters &&
           word.find_first_not_of("IVXL") == std::string_view::npos;
}

// Titles after which "I" is a regnal number, not the pronoun: "Queen
// Elizabeth I was crowned".
bool is_royal_title(const std::string& word) {
    static const std::set<std::string> kRoyal{"king",   "queen", "emperor", "empress", "pope",   "tsar",
                                              "czar",   "shah",  "sultan",  "emir",    "prince", "princess"};
    return kRoyal.count(word) > 0;
}

// Notes a team sheet writes beside a name: "Keane 90 pen", "Noon og", "Robinson (capt)".
bool is_team_sheet_note(const std::string& word) { return word == "pen" || word == "og" || word == "capt"; }

// One entry of a list as a team sheet writes it: at most
// kMaxTeamSheetNameWords words, each capitalised, an initial or a name
// particle; shirt numbers, minutes and notes in brackets ("(capt)",
// "(Johnson 81)") left out.
bool is_team_sheet_name(std::string_view item) {
    std::size_t words = 0;
    int depth = 0;
    std::size_t i = 0;
    while (i < item.size()) {
        char c = item[i];
        if (c == '(') ++depth;
        if (c == ')' && depth > 0) --depth;
        if (depth > 0 || c == ' ' || c == ')' || c == '\t' || c == '\r') {
            ++i;
            continue;
        }
        std::size_t end = item.find_first_of(" ()\t\r", i);
        if (end == std::string_view::npos) end = item.size();
        std::string word(item.substr(i, end - i));
        i = end;
        while (!word.empty() && (word.back() == '.' || word.back() == '\'')) word.pop_back();
        if (word.empty() || word.find_first_not_of("0123456789+'") == std::string::npos || is_team_sheet_note(word)) {
            continue;
        }
        if (!is_upper(first_char(word)) && !is_name_particle(word)) return false;
        ++words;
    }
    return words >= 1 && words <= kMaxTeamSheetNameWords;
}

// The match keys of a surname match, each followed by a space: the key the
// article's surname state is kept under.
std::string surname_key(const RawMatch& m) {
    std::string key;
    for (std::size_t k = 0; k < m.length; ++k) key += m.stream->keys[m.token + k] + " ";
    return key;
}

// Wire copy marks a company's stock ticker with angle brackets, with or
// without the exchange: "Rockwell International Corp <ROK>" is no mention of
// South Korea, "<ITO.TO>" none of Masayoshi Ito.
bool is_ticker(const RawMatch& m) {
    const Stream& s = *m.stream;
    const std::string& text = *s.text;
    std::size_t begin = (*s.tokens)[m.token].begin, end = (*s.tokens)[m.token + m.length - 1].end;
    if (begin == 0 || text[begin - 1] != '<' || end >= text.size()) return false;
    if (text[end] == '>') return true;
    if (text[end] != '.') return false;
    std::size_t at = end + 1;
    while (at < text.size() && std::isupper(static_cast<unsigned char>(text[at]))) ++at;
    return at > end + 1 && at < text.size() && text[at] == '>';
}

// Words that make the capital after them qualify a noun ("the Tokyo summit",
// "a London hotel", "its Paris office").
bool is_determiner(const std::string& word) {
    static const std::set<std::string> kDeterminers{"the", "a", "an", "this", "these", "those",
                                                    "its", "their", "his", "her", "our", "your", "my"};
    return kDeterminers.count(word) > 0;
}

// Words that end a company's name: "Esso Singapore Pte Ltd" is the company's
// business in Singapore, where "Morgan Stanley" names no place.
bool is_company_designator(const std::string& word) {
    static const std::set<std::string> kDesignators{"inc", "ltd", "corp", "co", "plc", "pte", "pty", "sa",
                                                    "ag", "nv", "bv", "gmbh", "spa", "llc", "bhd"};
    return kDesignators.count(word) > 0;
}

// A lower-case particle at `at` that opens a capitalised name: "de
// Villiers", "van Agt".
bool particle_opens_name(const Stream& s, std::size_t at) {
    if (!is_name_particle((*s.tokens)[at].text) || at + 1 >= s.keys.size()) return false;
    std::string_view gap = s.gap_before(at + 1);
    return (gap_is_single_space(gap) || gap == "-") && is_upper(first_char(std::string(s.original(at + 1))));
}

bool near_in_time(const Entity& e, std::uint32_t date) {
    if (date == 0 || e.terms.empty()) return true;
    std::uint32_t first = kInOffice, last = 0;
    for (const LeaderTerm& t : e.terms) {
        first = std::min(first, t.start);
        last = std::max(last, t.end);
    }
    std::uint32_t from = first > kPlausibleYearsBefore * 10000 ? first - kPlausibleYearsBefore * 10000 : 0;
    std::uint32_t to = last == kInOffice ? kInOffice : last + kPlausibleYearsAfter * 10000;
    return from <= date && date <= to;
}

bool names_country_of(const Entity& e, const std::set<std::string>& countries_named) {
    for (const LeaderTerm& t : e.terms) {
        std::string country = t.country;
        std::transform(country.begin(), country.end(), country.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        if (countries_named.count(country)) return true;
    }
    return false;
}

// The candidates who held an office of `family` ("president"), or all of
// them when none did.
std::vector<std::uint32_t> holders_of_title(const std::vector<Entity>& entities,
                                            const std::vector<std::uint32_t>& candidates, const std::string* family) {
    if (!family || family->empty()) return candidates;
    std::vector<std::uint32_t> titled;
    for (std::uint32_t c : candidates) {
        if (held_office(entities[c], *family)) titled.push_back(c);
    }
    return titled.empty() ? candidates : titled;
}

std::vector<std::uint32_t> in_office_on(const std::vector<Entity>& entities, const std::vector<std::uint32_t>& pool,
                                        std::uint32_t date) {
    std::vector<std::uint32_t> in_office;
    for (std::uint32_t c : pool) {
        for (const LeaderTerm& t : entities[c].terms) {
            if (t.start <= date && date <= t.end) {
                in_office.push_back(c);
                break;
            }
        }
    }
    return in_office;
}

// A YYYYMMDD date as a day number, for distances (months of 31 days).
std::int64_t day_number(std::uint32_t ymd) {
    return static_cast<std::int64_t>(ymd / 10000) * 372 + (ymd / 100 % 100) * 31 + ymd % 100;
}

// The one of `pool` whose time in office was nearest `date`; kNoEntity on a tie.
std::int64_t nearest_in_time(const std::vector<Entity>& entities, const std::vector<std::uint32_t>& pool,
                             std::uint32_t date) {
    std::int64_t best = -1, best_distance = 0;
    bool tie = false;
    for (std::uint32_t c : pool) {
        std::int64_t distance = INT64_MAX;
        for (const LeaderTerm& t : entities[c].terms) {
            std::int64_t d = date < t.start ? day_number(t.start) - day_number(date)
                                            : day_number(date) - day_number(std::min(t.end, date));
            distance = std::min(distance, d);
        }
        if (best < 0 || distance < best_distance) {
            best = c;
            best_distance = distance;
            tie = false;
        } else if (distance == best_distance) {
            tie = true;
        }
    }
    return tie ? kNoEntity : best;
}

std::vector<EntityTag> sorted_tags(std::map<std::int64_t, EntityTag>& tags) {
    std::vector<EntityTag> out;
    for (auto& [index, tag] : tags) out.push_back(std::move(tag));
    std::sort(out.begin(), out.end(), [](const EntityTag& a, const EntityTag& b) {
        if (a.kind != b.kind) return a.kind < b.kind;
        if (a.count != b.count) return a.count > b.count;
        return a.name < b.name;
    });
    return out;
}

} // namespace

// Somebody the article names with a given name: a leader (whose sex is the
// gazetteer's) or kOtherPerson (whose sex is the given name's, if known).
struct MentionResolver::Claimant {
    std::int64_t person = kOtherPerson;
    Sex sex = Sex::unknown;
    bool operator==(const Claimant&) const = default;
};

// What the article has said so far, as its matches are read in order.
struct MentionResolver::ArticleState {
    std::uint32_t date = 0; // YYYYMMDD or 0
    // Leaders named in full anywhere: they license surname mentions in the headline.
    std::set<std::int64_t> named_in_full;
    // Ids of the countries named: a leader's surname alone is more credible
    // in an article that names the leader's country.
    std::set<std::string> countries_named;
    std::map<std::int64_t, EntityTag> tags; // by entity index
    // Surname key (surname_key) -> the entity its bare mentions refer to, or kOtherPerson.
    std::unordered_map<std::string, std::int64_t> surname_refers_to;
    // Keys of surnames used for somebody else anywhere in the article.
    std::set<std::string> ever_other;
    // The match keys of the words of each writer's name.
    std::vector<std::vector<std::string>> writers;
    // Surname key -> everybody the article names with a given name and that
    // surname, anywhere in it (note_surnames_claimed).
    std::map<std::string, std::vector<Claimant>> claimed;
    // Keys of abbreviations the article spells out as something else.
    std::set<std::string> other_expansions;
};

// What the words right before and after a surname say about whose it is.
struct MentionResolver::Neighbours {
    std::int64_t person = kNoEntity; // the leader a given name beside the surname names
    bool other = false;              // a name beside the surname makes it somebody else's
    Sex sex = Sex::unknown;          // ... whose given name says this sex
};

MentionResolver::MentionResolver(const Gazetteer& gazetteer, Normaliser& normaliser, const NameMatcher& matcher)
    : m_gazetteer(gazetteer) {
    const auto& entities = gazetteer.entities();
    m_given_names.resize(entities.size());
    m_first_given_name.resize(entities.size());
    m_surname_keys.resize(entities.size());
    for (std::uint32_t i = 0; i < entities.size(); ++i) {
        if (entities[i].kind == EntityKind::leader) {
            add_leader_keys(i, entities[i], normaliser, matcher);
        } else {
            add_other_kind_keys(i, entities[i], normaliser, matcher);
        }
    }
    note_widely_covered_countries();
}

void MentionResolver::add_leader_keys(std::uint32_t index, const Entity& leader, Normaliser& normaliser,
                                      const NameMatcher& matcher) {
    std::set<std::string> surname_words;
    for (const std::string& surname : leader.surnames) {
        std::string key;
        for (const Token& t : normaliser.tokenise(surname)) {
            surname_words.insert(matcher.match_key(t.text));
            key += matcher.match_key(t.text) + " ";
        }
        m_surname_keys[index].push_back(std::move(key));
    }
    if (std::vector<Token> own = normaliser.tokenise(leader.name); own.size() > 1) {
        std::string key = matcher.match_key(own.front().text);
        if (!surname_words.count(key)) m_first_given_name[index] = std::move(key);
    }
    for (const std::string& alias : leader.aliases) {
        std::vector<Token> tokens = normaliser.tokenise(alias);
        // "GMA", "AMLO": one word of capitals is the leader's initials.
        if (tokens.size() == 1 && all_upper(alias)) m_initials_keys.insert(matcher.match_key(tokens[0].text));
        for (const Token& t : tokens) {
            std::string key = matcher.match_key(t.text);
            if (!surname_words.count(key)) m_given_names[index].push_back(std::move(key));
        }
    }
}

void MentionResolver::add_other_kind_keys(std::uint32_t index, const Entity& entity, Normaliser& normaliser,
                                          const NameMatcher& matcher) {
    std::set<std::string> name_keys, capital_keys;
    for (const std::string& alias : entity.aliases) {
        auto tokens = normaliser.tokenise(alias);
        std::string key;
        for (const Token& t : tokens) key += matcher.match_key(t.text) + " ";
        m_other_kind_keys.insert(key);
        bool is_capital = alias != entity.name &&
                          std::find(entity.capitals.begin(), entity.capitals.end(), alias) != entity.capitals.end();
        (is_capital ? capital_keys : name_keys).insert(key);
        if (entity.kind == EntityKind::country && alias == entity.name) m_common_name_keys.emplace(index, key);
        if (std::find(entity.demonyms.begin(), entity.demonyms.end(), alias) != entity.demonyms.end()) {
            m_demonym_keys.emplace(index, key);
        }
        if (entity.kind == EntityKind::organisation) {
            for (const Token& t : tokens) m_organisation_words[index].insert(matcher.match_key(t.text));
            if (tokens.size() == 1 && all_upper(alias)) m_abbreviation_keys.emplace(index, key);
        }
        // Country names and demonyms before a surname are no given names
        // ("Russian Putin"); capitals may be ("Lee Hamilton").
        bool capital = std::find(entity.capitals.begin(), entity.capitals.end(), alias) != entity.capitals.end();
        if (entity.kind == EntityKind::country && tokens.size() == 1 && !capital) {
            m_country_words.insert(matcher.match_key(tokens[0].text));
        }
    }
    // "Luxembourg", "Singapore": a capital that is also the country's name is a name.
    for (const std::string& key : capital_keys) {
        if (!name_keys.count(key)) m_capital_keys.emplace(index, key);
    }
}

// A country whose own leader is widely covered (the gazetteer gives native
// spellings) is one whose capital news uses for its government ("Moscow
// replied"). Leaders of several countries (a monarch of the Commonwealth
// realms, the co-prince of Andorra) say nothing about the others.
void MentionResolver::note_widely_covered_countries() {
    for (const Entity& e : m_gazetteer.entities()) {
        if (e.kind != EntityKind::leader || !e.widely_covered || e.terms.empty()) continue;
        bool one_country = std::all_of(e.terms.begin(), e.terms.end(),
                                       [&](const LeaderTerm& t) { return t.country == e.terms.front().country; });
        if (!one_country) continue;
        std::string id = e.terms.front().country;
        std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return std::tolower(c); });
        m_widely_covered_countries.insert(id);
    }
}

std::vector<EntityTag> MentionResolver::resolve(const std::vector<RawMatch>& matches, std::uint32_t date,
                                                const std::vector<std::vector<std::string>>& writers) const {
    ArticleState article;
    article.date = date;
    article.writers = writers;
    note_leaders_named_in_full(matches, article);
    note_countries_named(matches, article);
    note_surnames_claimed(matches, article);
    note_other_expansions(matches, article);
    std::vector<const RawMatch*> headline_surnames;
    for (const RawMatch& m : matches) {
        if (m.kind == EntityKind::leader &&
            (is_ticker(m) || part_of_named_thing(m, article) || named_as_company(m, article) || another_monarch(m, article) ||
             is_writers_name(m, article))) {
            continue;
        }
        if (m.stream->headline && m.cls == AliasClass::surname) {
            headline_surnames.push_back(&m);
        } else if (m.cls == AliasClass::full) {
            resolve_full_name(m, article);
        } else {
            resolve_surname(m, article);
        }
    }
    resolve_headline_surnames(headline_surnames, article);
    return sorted_tags(article.tags);
}

void MentionResolver::note_leaders_named_in_full(const std::vector<RawMatch>& matches, ArticleState& article) const {
    for (const RawMatch& m : matches) {
        if (m.kind != EntityKind::leader || m.cls != AliasClass::full || is_initials(m)) continue;
        std::int64_t e = disambiguate(*m.candidates, title_family(*m.stream, m.token), article.date);
        if (e >= 0) article.named_in_full.insert(e);
    }
}

// The countries the article names, by the mentions that count: names and
// demonyms first, then capitals (which a name supports), then names other
// places share (which a name or a capital supports).
void MentionResolver::note_countries_named(const std::vector<RawMatch>& matches, ArticleState& article) const {
    const PlaceForm passes[][2] = {
        {PlaceForm::name, PlaceForm::demonym}, {PlaceForm::capital, PlaceForm::capital},
        {PlaceForm::shared_name, PlaceForm::shared_name}};
    for (const auto& pass : passes) {
        for (const RawMatch& m : matches) {
            if (m.kind != EntityKind::country || m.cls != AliasClass::full) continue;
            std::int64_t e = m.candidates->size() == 1 ? (*m.candidates)[0] : pick_country(*m.candidates, article.date);
            if (e < 0) continue;
            auto country = static_cast<std::uint32_t>(e);
            PlaceForm form = place_form(m, country);
            if ((form == pass[0] || form == pass[1]) && country_mention_counts(m, country, article)) {
                article.countries_named.insert(m_gazetteer.entities()[country].id);
            }
        }
    }
}

// Rule: a leader's name followed by a capitalised word of
// rules/named_after.txt, with at most kMaxWordsBeforeNamedThing capitalised
// words between, is part of the name of a place, institution, company or
// work named after the person ("Nelson Mandela Road", "Reagan National
// Airport", "Suzuki Motor"), not a mention of the person. Later bare mentions
// of a surname so used in the body refer to the thing ("Suzuki Motor ...
// Suzuki said"). A possessive name owns what follows ("Reagan's highway
// bill"): it is the person's.
bool MentionResolver::part_of_named_thing(const RawMatch& m, ArticleState& article) const {
    const Stream& s = *m.stream;
    if (is_possessive((*s.tokens)[m.token + m.length - 1].text)) return false;
    // In a headline, or in text set in capitals, every word has a capital:
    // there only the word right after the name counts.
    const std::size_t first = m.token + m.length;
    const bool capitals_prove_nothing = s.headline || all_upper(s.original(first - 1));
    const std::size_t last = first + (capitals_prove_nothing ? 0 : kMaxWordsBeforeNamedThing);
    for (std::size_t at = first; at <= last && at < s.keys.size(); ++at) {
        const std::string& word = (*s.tokens)[at].text;
        if (!gap_is_single_space(s.gap_before(at)) || !is_upper(first_char(std::string(s.original(at))))) return false;
        if (m_gazetteer.names_after_a_person(strip_possessive(word))) {
            if (m.cls == AliasClass::surname && !s.headline) mark_other_person(surname_key(m), article);
            return true;
        }
        if (is_possessive(word)) return false;
    }
    return false;
}

// Rule: a name right after a lower-case noun of rules/company_nouns.txt (a
// title may come between: "drugmaker Dr Reddy's", "carmaker Suzuki") is a
// company's. Later bare mentions of its surname refer to the company.
bool MentionResolver::named_as_company(const RawMatch& m, ArticleState& article) const {
    const Stream& s = *m.stream;
    std::size_t at = m.token;
    if (at > 0 && m_gazetteer.titles().count((*s.tokens)[at - 1].text) && gap_is_name_gap(s.gap_before(at))) --at;
    if (at == 0 || !gap_is_single_space(s.gap_before(at))) return false;
    const std::string& noun = (*s.tokens)[at - 1].text;
    if (!is_lower(first_char(std::string(s.original(at - 1)))) || !m_gazetteer.is_company_noun(noun)) return false;
    if (m.cls == AliasClass::surname) mark_other_person(surname_key(m), article);
    return true;
}

// Rule: a Roman numeral after a name that is not the leader's own number
// names another monarch or pope: "Queen Elizabeth I", "Henry VIII", "Louis
// XIV" (Elizabeth II's own "II" is part of the longest match). "I" is the
// pronoun when a lower-case word follows it ("as Blair I think said"), unless
// a royal title opens or precedes the name. Later bare mentions of that
// surname refer to the monarch.
bool MentionResolver::another_monarch(const RawMatch& m, ArticleState& article) const {
    const Stream& s = *m.stream;
    const std::size_t at = m.token + m.length;
    if (at >= s.keys.size() || !gap_is_single_space(s.gap_before(at))) return false;
    const std::string numeral = strip_possessive(std::string(s.original(at)));
    if (!is_roman_numeral(numeral)) return false;
    if (numeral == "I" && !is_possessive((*s.tokens)[at].text) && at + 1 < s.keys.size() &&
        gap_is_single_space(s.gap_before(at + 1)) && is_lower(first_char(std::string(s.original(at + 1))))) {
        bool royal = is_royal_title((*s.tokens)[m.token].text) ||
                     (m.token > 0 && is_royal_title((*s.tokens)[m.token - 1].text));
        if (!royal) return false;
    }
    for (std::uint32_t c : *m.candidates) {
        if (has_name_word(c, s.keys[at])) return false;
    }
    if (m.cls == AliasClass::surname) mark_other_person(surname_key(m), article);
    return true;
}

// Rule: a writer of the article named in full ("Jennifer Smith", or "David
// L. Phillips" as "David Phillips": the first and the last word agree) is not
// a mention of a leader of that name.
bool MentionResolver::is_writers_name(const RawMatch& m, const ArticleState& article) {
    if (m.length < 2) return false;
    const std::string& first = m.stream->keys[m.token];
    const std::string& last = m.stream->keys[m.token + m.length - 1];
    for (const auto& writer : article.writers) {
        if (writer.size() >= 2 && writer.front() == first && writer.back() == last) return true;
    }
    return false;
}

// Before any surname is resolved: whom the article names with a given name
// and a surname, anywhere in it ("Mr Howard said ... Michael Howard, the Tory
// leader": Mr Howard is Michael Howard, not John Howard). Surnames in a
// headline prove nothing about given names (every word has a capital).
void MentionResolver::note_surnames_claimed(const std::vector<RawMatch>& matches, ArticleState& article) const {
    const auto& entities = m_gazetteer.entities();
    for (const RawMatch& m : matches) {
        if (m.kind != EntityKind::leader) continue;
        if (m.cls == AliasClass::full) {
            std::int64_t e = full_name_entity(m, article.date);
            if (e < 0) continue;
            const bool other = given_name_precedes(m, static_cast<std::uint32_t>(e));
            Sex sex = other ? m_gazetteer.given_name_sex((*m.stream->tokens)[m.token - 1].text)
                            : entities[static_cast<std::size_t>(e)].sex;
            for (const std::string& key : m_surname_keys[static_cast<std::size_t>(e)]) {
                claim(key, other ? kOtherPerson : e, sex, article);
            }
        } else if (m.cls == AliasClass::surname && !m.stream->headline && !joined_by_hyphen(m)) {
            // Only the given name's side (before, but after a family name
            // that comes first): a capital on the other side may be a noun
            // ("the Obama White House") as well as another name.
            Neighbours n = person_beside(m, title_family(*m.stream, m.token), article, true);
            if (n.person >= 0) claim(surname_key(m), n.person, entities[static_cast<std::size_t>(n.person)].sex, article);
            if (n.other) claim(surname_key(m), kOtherPerson, n.sex, article);
            // "Mrs Clinton" beside Bill Clinton: an honorific no candidate's
            // sex fits is somebody else too.
            const Sex sex = honorific_sex(*m.stream, m.token);
            bool nobody = sex != Sex::unknown && std::all_of(m.candidates->begin(), m.candidates->end(), [&](std::uint32_t c) {
                              return entities[c].sex != Sex::unknown && entities[c].sex != sex;
                          });
            if (nobody) claim(surname_key(m), kOtherPerson, sex, article);
        }
    }
}

void MentionResolver::claim(const std::string& key, std::int64_t person, Sex sex, ArticleState& article) const {
    std::vector<Claimant>& claimants = article.claimed[key];
    Claimant c{person, sex};
    if (std::find(claimants.begin(), claimants.end(), c) == claimants.end()) claimants.push_back(c);
}

// How a country match names its country: by a name, a demonym, a capital, or
// a name that is also another well-known place's (ambiguous.txt: Georgia, the
// US state).
MentionResolver::PlaceForm MentionResolver::place_form(const RawMatch& m, std::uint32_t country) const {
    const std::string key = surname_key(m);
    if (m_demonym_keys.count({country, key})) return PlaceForm::demonym;
    if (m_capital_keys.count({country, key})) return PlaceForm::capital;
    std::string normalised;
    for (std::size_t k = 0; k < m.length; ++k) {
        normalised += (k ? " " : "") + strip_possessive((*m.stream->tokens)[m.token + k].text);
    }
    return m_gazetteer.is_ambiguous(normalised) ? PlaceForm::shared_name : PlaceForm::name;
}

// Rule: a country's name or demonym counts on its own, unless it is part of
// a longer name; a capital counts when the article names its country
// otherwise or the country is widely covered ("Moscow replied", but not
// "Stanley" for the Falkland Islands); a name other places share counts only
// when the article names the country otherwise.
bool MentionResolver::country_mention_counts(const RawMatch& m, std::uint32_t country,
                                             const ArticleState& article) const {
    const PlaceForm form = place_form(m, country);
    if (is_ticker(m) || part_of_longer_name(m, form)) return false;
    if (names_another_thing(m, form) && !in_lead(m)) return false;
    if (form == PlaceForm::name || form == PlaceForm::demonym) return true;
    const std::string& id = m_gazetteer.entities()[country].id;
    if (article.countries_named.count(id)) return true;
    return form == PlaceForm::capital && m_widely_covered_countries.count(id) > 0;
}

// Rule: a place name right after a capitalised name word is part of a longer
// name ("Morgan Stanley", "New Jersey", "Rhode Island", "Credit Suisse",
// "Latin America"); a capital right before one, or before an initial, is too
// ("Stanley Fischer", "Douglas J. Band", "the Paris Club"). A company named
// for the country it does business in names it ("Esso Singapore Ltd"). Demonyms are
// adjectives and stay ("Royal Dutch"). In a headline or in text set in
// capitals every word has a capital: neighbouring capitals prove nothing there.
bool MentionResolver::part_of_longer_name(const RawMatch& m, PlaceForm form) const {
    const Stream& s = *m.stream;
    if (form == PlaceForm::demonym || s.headline || all_upper(s.original(m.token + m.length - 1))) return false;
    const std::size_t after = m.token + m.length;
    bool company_of_country = form == PlaceForm::name && after < s.keys.size() &&
                              is_company_designator((*s.tokens)[after].text);
    if (m.token > 0 && gap_is_single_space(s.gap_before(m.token)) && is_name_word(s, m.token - 1)) {
        return !company_of_country;
    }
    if (form != PlaceForm::capital || after >= s.keys.size() || !gap_is_single_space(s.gap_before(after)) ||
        is_possessive((*s.tokens)[after - 1].text)) {
        return false;
    }
    std::string_view next = s.original(after);
    bool initial = next.size() == 1 && is_upper(first_char(std::string(next)));
    return initial || is_name_word(s, after);
}

// Rule: a country's name or demonym inside the name of an organisation or
// work ("Swiss Bank Corp", "American University", "Union Bank of
// Switzerland", "Bank of America"; the words of rules/named_after.txt), and a
// capital that qualifies another noun ("the Tokyo summit", "last year's
// Tokyo summit", "a London hotel", "London-based", "the London to Sydney
// Marathon") name that other thing. They name the country only where the
// article says what it is about: the headline and the opening paragraph.
bool MentionResolver::names_another_thing(const RawMatch& m, PlaceForm form) const {
    const Stream& s = *m.stream;
    const std::size_t after = m.token + m.length;
    // "Bank of America", "Union Bank of Switzerland"; but a company's unit in
    // the country ("TDK Corp of America") and the country's own central bank
    // ("the Bank of Canada": its common name right after "Bank of", nothing
    // capitalised before) name the country.
    if (m.token >= 2 && (*s.tokens)[m.token - 1].text == "of" && is_lower(first_char(std::string(s.original(m.token - 1)))) &&
        gap_is_single_space(s.gap_before(m.token)) && gap_is_single_space(s.gap_before(m.token - 1)) &&
        is_upper(first_char(std::string(s.original(m.token - 2)))) &&
        m_gazetteer.names_after_a_person((*s.tokens)[m.token - 2].text)) {
        const std::string& institution = (*s.tokens)[m.token - 2].text;
        if (is_company_designator(institution)) return false;
        const bool central_bank =
            institution == "bank" && form == PlaceForm::name && is_country_common_name(m) &&
            (m.token < 3 || !gap_is_single_space(s.gap_before(m.token - 2)) ||
             !is_upper(first_char(std::string(s.original(m.token - 3)))) || is_determiner((*s.tokens)[m.token - 3].text));
        return !central_bank;
    }
    // "American University", "Pan American World Airways": a word of the
    // list after at most kMaxWordsBeforeNamedThing capitalised words. A
    // company whose name ends in a designator is the country's own, and names
    // it: "American Motors Corp", "Swiss Bank Corp", "Merrill Lynch Canada
    // Inc" (Reuters' own annotators tag the country too). Not in a headline
    // or in capitals, where every word has a capital.
    if (!s.headline && !all_upper(s.original(after - 1)) && !is_possessive((*s.tokens)[after - 1].text)) {
        bool named_thing = false;
        for (std::size_t at = after; at <= after + kMaxWordsBeforeNamedThing + 2 && at < s.keys.size(); ++at) {
            const std::string& word = (*s.tokens)[at].text;
            if (!gap_is_single_space(s.gap_before(at)) || !is_upper(first_char(std::string(s.original(at))))) break;
            if (is_company_designator(strip_possessive(word))) return false;
            if (at <= after + kMaxWordsBeforeNamedThing && m_gazetteer.names_after_a_person(strip_possessive(word))) {
                named_thing = true;
            }
            if (is_possessive(word)) break;
        }
        if (named_thing) return true;
    }
    if (form != PlaceForm::capital) return false;
    // "London-based", "Tokyo-listed".
    if (after < s.keys.size() && is_hyphen(s.gap_before(after)) && is_lower(first_char(std::string(s.original(after))))) {
        return true;
    }
    // "the Tokyo summit", "last year's Tokyo summit": a city's name takes no
    // determiner of its own.
    if (m.token == 0 || !gap_is_single_space(s.gap_before(m.token))) return false;
    const std::string& before = (*s.tokens)[m.token - 1].text;
    return is_determiner(before) || (is_possessive(before) && is_lower(first_char(std::string(s.original(m.token - 1)))));
}

// Whether a country match is the country's common name ("Canada", not
// "America" for the United States).
bool MentionResolver::is_country_common_name(const RawMatch& m) const {
    const std::string key = surname_key(m);
    for (std::uint32_t c : *m.candidates) {
        if (m_common_name_keys.count({c, key})) return true;
    }
    return false;
}

// Whether a match is where an article says what it is about: the headline or
// the opening paragraph.
bool MentionResolver::in_lead(const RawMatch& m) const {
    return m.stream->headline || (*m.stream->tokens)[m.token].begin < m.stream->first_paragraph_end;
}

// A word that can be part of a proper name: Latin, capitalised with lower-case
// letters after ("McDonnell", not "EC"), not possessive, and not a common
// word, a title or a country's name or demonym ("Soviet Georgia").
bool MentionResolver::is_name_word(const Stream& s, std::size_t token) const {
    std::string_view original = s.original(token);
    const std::string& text = (*s.tokens)[token].text;
    unsigned ch = first_char(std::string(original));
    if (ch >= kFirstNonLatin || !is_upper(ch) || all_upper(original) || is_possessive(text)) return false;
    return !cannot_be_given_name(text, s.keys[token]);
}

// Rule: a full name names its entity, told apart from namesakes by title and
// date, unless a given name before a short full name makes it somebody
// else's, or it is the leader's initials without support.
void MentionResolver::resolve_full_name(const RawMatch& m, ArticleState& article) const {
    std::int64_t e = full_name_entity(m, article.date);
    if (e < 0) return;
    if (m.kind == EntityKind::leader && is_initials(m) &&
        !initials_stand_for(static_cast<std::uint32_t>(e), m, article)) {
        return;
    }
    if (m.kind == EntityKind::country && !country_mention_counts(m, static_cast<std::uint32_t>(e), article)) return;
    if (m.kind == EntityKind::organisation &&
        !organisation_mention_counts(m, static_cast<std::uint32_t>(e), article)) {
        return;
    }
    if (m.kind == EntityKind::leader && given_name_precedes(m, static_cast<std::uint32_t>(e))) {
        for (const std::string& key : m_surname_keys[static_cast<std::size_t>(e)]) mark_other_person(key, article);
        return;
    }
    count(e, m, article);
    if (m.kind == EntityKind::leader) remember_surnames(e, article);
}

// The one candidate of a full name; else, for a leader, the one its title
// and the date pick; for a country, the one of the date.
std::int64_t MentionResolver::full_name_entity(const RawMatch& m, std::uint32_t date) const {
    const std::vector<std::uint32_t>& candidates = *m.candidates;
    if (candidates.size() == 1) return candidates[0];
    if (m.kind == EntityKind::leader) return disambiguate(candidates, title_family(*m.stream, m.token), date);
    if (m.kind == EntityKind::country) return pick_country(candidates, date);
    return kNoEntity;
}

// Rule: an abbreviation the article spells out as something else ("the
// Harbour Safety Act (HSA)": initials of the capitalised words before the
// bracket, small words skipped) means that throughout the article, unless
// the words are the organisation's own name.
void MentionResolver::note_other_expansions(const std::vector<RawMatch>& matches, ArticleState& article) const {
    for (std::size_t i = 0; i < matches.size(); ++i) {
        const RawMatch& m = matches[i];
        const Stream& s = *m.stream;
        if (m.kind != EntityKind::organisation || m.length != 1 || m.token == 0) continue;
        if (s.gap_before(m.token).find('(') == std::string_view::npos) continue;
        std::string letters;
        const std::string word(s.original(m.token));
        for (Xapian::Utf8Iterator it(word), end; it != end; ++it) {
            if (is_upper(*it) && *it < 0x80) letters += static_cast<char>(*it);
        }
        if (letters.empty() || letters.size() != word.size()) continue; // "ISA", not "U.N." nor "Fed"
        std::string initials;
        std::vector<std::string> words;
        for (std::size_t at = m.token; at-- > 0 && initials.size() < letters.size();) {
            if (at + 1 < m.token && !gap_is_single_space(s.gap_before(at + 1))) break;
            unsigned ch = first_char(std::string(s.original(at)));
            if (is_upper(ch) && ch < 0x80) {
                initials.insert(initials.begin(), static_cast<char>(ch));
                words.push_back(s.keys[at]);
            } else if (!is_name_particle((*s.tokens)[at].text) && (*s.tokens)[at].text != "of" &&
                       (*s.tokens)[at].text != "and" && (*s.tokens)[at].text != "for" &&
                       (*s.tokens)[at].text != "on") {
                break;
            }
        }
        if (initials != letters) continue;
        // The organisation's own name, perhaps spelt another way: at least
        // half its words are the organisation's ("Organisation for Economic
        // Cooperation and Development (OECD)", "Food and Agricultural
        // Organisation (FAO)", "International Finance Corp (IFC)").
        bool own = false;
        for (std::uint32_t c : *m.candidates) {
            auto it = m_organisation_words.find(c);
            std::size_t shared = 0;
            for (const std::string& w : words) {
                if (it == m_organisation_words.end()) break;
                shared += std::any_of(it->second.begin(), it->second.end(),
                                      [&](const std::string& own_word) { return same_name_word(w, own_word); });
            }
            own = own || shared * 2 >= words.size();
        }
        if (!own) article.other_expansions.insert(s.keys[m.token]);
    }
}

// Rule: an organisation counts from the day it existed under its name
// (rules/organisation_dates.tsv); an abbreviation spelt out as something else
// or glued to another name is not its; an abbreviation that is also a word
// (ambiguous.txt: "CAN", "CITES") proves nothing in text set in capitals.
bool MentionResolver::organisation_mention_counts(const RawMatch& m, std::uint32_t organisation,
                                                  const ArticleState& article) const {
    const Entity& e = m_gazetteer.entities()[organisation];
    if ((article.date != 0 && article.date < e.since) || is_ticker(m)) return false;
    if (m.length != 1) return true;
    const Stream& s = *m.stream;
    if (article.other_expansions.count(s.keys[m.token])) return false;
    // EC, UN and "Fed" among capitals are still the organisations: only an
    // abbreviation of several letters that is also a word (CAN, CITES, WHO).
    if (m_abbreviation_keys.count({organisation, s.keys[m.token] + " "}) &&
        s.keys[m.token].size() >= kMinWordAbbreviation &&
        m_gazetteer.is_ambiguous(strip_possessive((*s.tokens)[m.token].text))) {
        for (std::size_t at : {m.token + 1, m.token - 1}) {
            if (at >= s.keys.size()) continue; // past either end (m.token - 1 wraps round at 0)
            std::string_view word = s.original(at);
            if (word.size() > 1 && all_upper(word) && is_upper(first_char(std::string(word)))) return false;
        }
    }
    return !abbreviation_glued(m);
}

// An organisation's one-word name glued to another name is part of that
// name: joined by a hyphen to a capitalised word that names no place or
// organisation ("Fed-Ex", "(D-PA)", but "NATO-Russia talks"), or, for an abbreviation,
// right after a capitalised name word that does not open the sentence (a
// product: "Lumix G4"). Headlines are exempt, as for places.
bool MentionResolver::abbreviation_glued(const RawMatch& m) const {
    const Stream& s = *m.stream;
    if (s.headline) return false;
    const std::size_t after = m.token + 1;
    for (std::size_t at : {after, m.token - 1}) {
        // The other word, when a hyphen joins it to the name (m.token - 1 wraps round at 0).
        if (at >= s.keys.size() || !is_hyphen(s.gap_before(std::max(at, m.token)))) continue;
        unsigned ch = first_char(std::string(s.original(at)));
        if (ch < kFirstNonLatin && is_upper(ch) && !m_other_kind_keys.count(s.keys[at] + " ")) return true;
    }
    std::string_view original = s.original(m.token);
    bool abbreviation = all_upper(original) || original.find_first_of("0123456789") != std::string_view::npos;
    if (!abbreviation || m.token == 0 || !gap_is_single_space(s.gap_before(m.token))) return false;
    const std::size_t before = m.token - 1;
    std::string_view opening = s.gap_before(before);
    bool opens_sentence = before == 0 || opening.find_first_of(".!?:;\"(") != std::string_view::npos ||
                          opening.find("\n\n") != std::string_view::npos;
    return !opens_sentence && is_name_word(s, before) && !m_other_kind_keys.count(s.keys[before] + " ");
}

// "Juan Carlos Ferrero" is not Carlos Ferrero: a given name that is not the
// leader's own before a short full name. (Longer names are distinctive, and
// alias lists do not hold every given name: "Ali Akbar Hashemi Rafsanjani".)
bool MentionResolver::given_name_precedes(const RawMatch& m, std::uint32_t leader) const {
    const Stream& s = *m.stream;
    return m.length <= kShortFullName && m.token > 0 && !s.headline && !all_upper(s.original(m.token)) &&
           gap_is_single_space(s.gap_before(m.token)) && looks_like_given_name(s, m.token - 1) &&
           !is_given_name_of(leader, s.keys[m.token - 1]);
}

// One word in capitals that is a leader's alias: the leader's initials.
bool MentionResolver::is_initials(const RawMatch& m) const {
    return m.length == 1 && m_initials_keys.count(m.stream->keys[m.token]) && all_upper(m.stream->original(m.token));
}

// Rule: a leader's initials ("GMA", "MBS", "AMLO") are a company's, a
// network's or a term of finance as often as the leader's: they name the
// leader only in an article that also names the leader in full or names the
// leader's country, and never when they open a longer name ("GMA News",
// "MBS Capital").
bool MentionResolver::initials_stand_for(std::uint32_t leader, const RawMatch& m, const ArticleState& article) const {
    const Stream& s = *m.stream;
    const std::size_t after = m.token + 1;
    if (!s.headline && after < s.keys.size() && gap_is_single_space(s.gap_before(after)) &&
        is_upper(first_char(std::string(s.original(after)))) && !all_upper(s.original(after))) {
        return false;
    }
    return article.named_in_full.count(leader) > 0 ||
           names_country_of(m_gazetteer.entities()[leader], article.countries_named);
}

// A surname alone: the rules below, in this order, until one decides.
void MentionResolver::resolve_surname(const RawMatch& m, ArticleState& article) const {
    if (joined_by_hyphen(m)) return;
    const std::string key = surname_key(m);
    const std::string* family = m.kind == EntityKind::leader ? title_family(*m.stream, m.token) : nullptr;
    if (resolve_by_neighbours(m, key, family, article)) return;
    if (family && !family->empty()) return resolve_by_office(m, key, *family, article);
    if (resolve_by_article(m, key, article)) return;
    if (!family && !m.stream->headline && in_team_sheet(m)) return;
    if (is_writers_surname(key, article)) { // bare, or after an honorific (no office)
        mark_other_person(key, article);
        return;
    }
    resolve_licensed_surname(m, key, family, article);
}

// Rule: a surname joined by a hyphen to the word before is part of another
// name ("Premier Yu Kuo-Hua" is not Hua Guofeng).
bool MentionResolver::joined_by_hyphen(const RawMatch& m) {
    return m.token > 0 && is_hyphen(m.stream->gap_before(m.token));
}

// Rule: another capitalised name right before or right after the surname
// makes it a different person ("Sadiq Khan", "Kim Yo-jong", the leader's
// surname used as a given name: "Dan Glickman", "company president Klaus
// Jacobs", "James C. Smith"), unless it is one of the leader's own given
// names. True when the neighbours decided.
bool MentionResolver::resolve_by_neighbours(const RawMatch& m, const std::string& key, const std::string* family,
                                            ArticleState& article) const {
    Neighbours n = person_beside(m, family, article);
    if (n.person >= 0) {
        count(n.person, m, article);
        remember_surnames(n.person, article);
        return true;
    }
    if (n.other) mark_other_person(key, article);
    return n.other;
}

// Whom the words right beside a surname make it: a leader (unless a
// namesake), somebody else, or nobody can tell.
MentionResolver::Neighbours MentionResolver::person_beside(const RawMatch& m, const std::string* family,
                                                           const ArticleState& article, bool before_only) const {
    const Stream& s = *m.stream;
    // In a headline or in text set in capitals every word has a capital:
    // neighbouring capitals prove nothing there.
    if (s.headline || all_upper(s.original(m.token + m.length - 1))) return {};
    Neighbours n = read_neighbours(m, family, article.date, before_only);
    if (n.person >= 0 && is_namesake(n.person, article)) n = Neighbours{kNoEntity, true, Sex::unknown};
    return n;
}

MentionResolver::Neighbours MentionResolver::read_neighbours(const RawMatch& m, const std::string* family,
                                                             std::uint32_t date, bool before_only) const {
    const Stream& s = *m.stream;
    Neighbours n;
    if (m.token > 0 && !family) n = read_neighbour(m, m.token - 1, family, date);
    if (n.person == kNoEntity && !n.other && !family) n = read_initial_before(m, date);
    // After a possessive ("Mr Kibaki's National Rainbow Coalition") the next
    // word is what the leader has, not a name.
    bool possessive = is_possessive((*s.tokens)[m.token + m.length - 1].text);
    std::size_t after = m.token + m.length;
    bool family_name_first = std::all_of(m.candidates->begin(), m.candidates->end(), [&](std::uint32_t c) {
        return m_gazetteer.entities()[c].surname_first;
    });
    if (n.person == kNoEntity && !n.other && !possessive && (!before_only || family_name_first) &&
        after < s.keys.size()) {
        n = read_neighbour(m, after, family, date);
    }
    return n;
}

MentionResolver::Neighbours MentionResolver::read_neighbour(const RawMatch& m, std::size_t at,
                                                            const std::string* family, std::uint32_t date) const {
    const Stream& s = *m.stream;
    // The gap between the neighbour and the surname.
    std::string_view gap = s.gap_before(at < m.token ? m.token : at);
    // "Jean-Luc Lagardère": a hyphen after the name joins another given name.
    bool joined = at > m.token && is_hyphen(gap);
    if (!gap_is_single_space(gap) && !joined) return {};
    // "Anthony D. Weiner": an initial after the surname makes it a given name.
    if (at > m.token && s.original(at).size() == 1 && at + 1 < s.keys.size() && s.gap_before(at + 1).starts_with(".")) {
        return Neighbours{kNoEntity, is_upper(first_char(std::string(s.original(at)))), Sex::unknown};
    }
    // Only a word written with a capital can be a name; "de Villiers", "van
    // Agt": a particle introduces one. Latin script only (see
    // looks_like_given_name).
    unsigned ch = first_char(std::string(s.original(at)));
    if (ch >= kFirstNonLatin) return {};
    if (!is_upper(ch)) return Neighbours{kNoEntity, at > m.token && particle_opens_name(s, at), Sex::unknown};
    // "Labour's Blair", "Britain's Brown": a possessive is no given name.
    const std::string& word = (*s.tokens)[at].text;
    if (at < m.token && is_possessive(word)) return {};
    if (cannot_be_given_name(word, s.keys[at])) return {};
    return named_by_given_name(m, at, family, date);
}

// Rule: a given name and a middle initial before the surname ("Peter T.
// King", "George J. Mitchell") make it somebody else's, unless the given
// name is the leader's and the initial is not another than the leader's
// names give: "Viktor F. Yanukovych" (a patronymic) is the leader, "George
// P. Bush" is not George W. Bush. A full name with its initials ("George W.
// Bush") matches whole and never comes here.
MentionResolver::Neighbours MentionResolver::read_initial_before(const RawMatch& m, std::uint32_t date) const {
    const Stream& s = *m.stream;
    if (m.token < 2) return {};
    std::string_view initial = s.original(m.token - 1);
    std::string_view gap = s.gap_before(m.token);
    bool dotted = gap.size() > 1 && gap[0] == '.' && gap_is_single_space(gap.substr(1));
    if (initial.size() != 1 || !is_upper(static_cast<unsigned char>(initial[0])) || !dotted) return {};
    if (!gap_is_single_space(s.gap_before(m.token - 1))) return {};
    const std::size_t at = m.token - 2;
    const std::string& word = (*s.tokens)[at].text;
    // "F. W. de Klerk": initials alone name nobody else.
    if (s.original(at).size() == 1) return {};
    unsigned ch = first_char(std::string(s.original(at)));
    if (ch >= kFirstNonLatin || !is_upper(ch) || is_possessive(word) || cannot_be_given_name(word, s.keys[at])) {
        return {};
    }
    std::vector<std::uint32_t> named;
    for (std::uint32_t c : leaders_with_given_name(m, at)) {
        if (initial_fits(c, s.keys[m.token - 1])) named.push_back(c);
    }
    if (named.empty()) return Neighbours{kNoEntity, true, m_gazetteer.given_name_sex(word)};
    return Neighbours{named.size() == 1 ? named.front() : disambiguate(named, nullptr, date), false, Sex::unknown};
}

// True unless the leader's names have initials and `initial` is none of them.
// (Latin letters only: Chinese names are split into one-character words.)
bool MentionResolver::initial_fits(std::uint32_t leader, const std::string& initial) const {
    bool has_initials = false;
    for (const std::string& word : m_given_names[leader]) {
        if (word.size() != 1 || first_char(word) >= kFirstNonLatin) continue; // not one Latin letter
        has_initials = true;
        if (word == initial) return true;
    }
    return !has_initials;
}

// The leader whose given name is the word at `at`, else somebody else (of
// the sex the given name says).
MentionResolver::Neighbours MentionResolver::named_by_given_name(const RawMatch& m, std::size_t at,
                                                                 const std::string* family, std::uint32_t date) const {
    std::vector<std::uint32_t> named = leaders_with_given_name(m, at);
    if (named.empty()) return Neighbours{kNoEntity, true, m_gazetteer.given_name_sex((*m.stream->tokens)[at].text)};
    // Of several, the ones whose own name opens with that given name:
    // "Ferdinand Marcos" is Ferdinand E. Marcos, not his son Bongbong Marcos,
    // whom only an alias ("Ferdinand Marcos Jr.") gives the name.
    std::vector<std::uint32_t> own;
    for (std::uint32_t c : named) {
        if (m_first_given_name[c] == m.stream->keys[at]) own.push_back(c);
    }
    if (!own.empty()) named = std::move(own);
    return Neighbours{named.size() == 1 ? named.front() : disambiguate(named, family, date), false, Sex::unknown};
}

// The candidates of `m` whose given name is the word at `at`.
std::vector<std::uint32_t> MentionResolver::leaders_with_given_name(const RawMatch& m, std::size_t at) const {
    const Stream& s = *m.stream;
    std::vector<std::uint32_t> named;
    for (std::uint32_t c : *m.candidates) {
        if (is_given_name_of(c, s.keys[at])) named.push_back(c);
    }
    // "Juan Carlos Ferrero": a name word, but preceded by yet another given name.
    if (!named.empty() && at < m.token && at > 0 && gap_is_single_space(s.gap_before(at)) &&
        looks_like_given_name(s, at - 1)) {
        bool all_named = true;
        for (std::uint32_t c : named) all_named = all_named && is_given_name_of(c, s.keys[at - 1]);
        if (!all_named) named.clear();
    }
    return named;
}

// A given name and surname that are not one of the leader's own forms are
// weaker evidence than a full name: for a lesser-known leader, in an article
// from another era (or undated) that never names the leader's country, they
// are a namesake ("Michael Moore's documentary" in 2005 is not New Zealand's
// 1990 premier).
bool MentionResolver::is_namesake(std::int64_t leader, const ArticleState& article) const {
    const Entity& e = m_gazetteer.entities()[static_cast<std::size_t>(leader)];
    bool in_time = article.date != 0 && near_in_time(e, article.date);
    return !e.widely_covered && !in_time && !names_country_of(e, article.countries_named);
}

// Rule: an office title before a surname ("President Bush", "Senator Cruz")
// means a leader who held a fitting office: the one the article names so,
// else the one the date picks, unless the surname was last somebody else's. A title that fits no candidate's office is
// somebody else's ("King Abdullah" is not Abdullah Abdullah, an Afghan chief
// executive; "Governor Christie" is no prime minister), and so are later bare
// mentions, unless the article names the leader in full and nobody else of
// that surname.
void MentionResolver::resolve_by_office(const RawMatch& m, const std::string& key, const std::string& family,
                                        ArticleState& article) const {
    std::vector<std::uint32_t> fitting;
    for (std::uint32_t c : *m.candidates) {
        if (held_office(m_gazetteer.entities()[c], family)) fitting.push_back(c);
    }
    if (fitting.empty()) {
        // An office held outside the leader's terms in the gazetteer: the
        // leader only when the article names no one else of that surname
        // but the leader, in full ("Chancellor Brown" beside "Gordon Brown").
        auto claims = article.claimed.find(key);
        if (claims != article.claimed.end() && claims->second.size() == 1 && claims->second.front().person >= 0) {
            count(claims->second.front().person, m, article);
            if (!m.stream->headline) article.surname_refers_to[key] = claims->second.front().person;
            return;
        }
        return mark_other_person(key, article);
    }
    auto fits = [&](std::int64_t p) { return p >= 0 && std::find(fitting.begin(), fitting.end(), p) != fitting.end(); };
    std::int64_t e = kNoEntity;
    auto it = article.surname_refers_to.find(key);
    // "Jim Yong Kim ... President Kim": the person just named, not a leader.
    if (it != article.surname_refers_to.end() && it->second == kOtherPerson) return;
    if (it != article.surname_refers_to.end() && fits(it->second)) {
        e = it->second;
    } else if (auto claims = article.claimed.find(key); claims != article.claimed.end()) {
        std::vector<std::uint32_t> named;
        for (const Claimant& c : claims->second) {
            if (fits(c.person)) named.push_back(static_cast<std::uint32_t>(c.person));
        }
        if (named.size() == 1) e = named.front();
    }
    if (e < 0) e = disambiguate(fitting, &family, article.date);
    if (e < 0) return;
    count(e, m, article);
    if (!m.stream->headline) article.surname_refers_to[key] = e;
}

// Rule: a surname the article also gives with a given name, anywhere in it,
// refers to that person: to nobody we tag when it is somebody else's ("Mr
// Howard said ... Michael Howard, the Tory leader"). When several people
// share it ("Bill Clinton" and "Hillary Clinton"), an honorific may tell them
// apart ("Mrs Clinton" is not Bill); else a bare surname is the leader's only
// while the leader was the last of them named. Without a claim the surname
// refers to whom it did when last used. True when the article decided.
bool MentionResolver::resolve_by_article(const RawMatch& m, const std::string& key, ArticleState& article) const {
    auto claims = article.claimed.find(key);
    if (claims == article.claimed.end()) return resolve_by_earlier_mention(m, key, article);
    const Sex sex = honorific_sex(*m.stream, m.token);
    std::vector<Claimant> fitting;
    for (const Claimant& c : claims->second) {
        if (sex == Sex::unknown || c.sex == Sex::unknown || c.sex == sex) fitting.push_back(c);
    }
    bool leader = std::any_of(fitting.begin(), fitting.end(), [](const Claimant& c) { return c.person >= 0; });
    if (!leader) {
        mark_other_person(key, article);
    } else if (fitting.size() == 1) {
        count(fitting.front().person, m, article);
        if (!m.stream->headline) article.surname_refers_to[key] = fitting.front().person;
    } else if (auto it = article.surname_refers_to.find(key); it != article.surname_refers_to.end() && it->second >= 0) {
        // Several people: the one last named, if the honorific fits them.
        bool last_named = std::any_of(fitting.begin(), fitting.end(),
                                      [&](const Claimant& c) { return c.person == it->second; });
        if (last_named) count(it->second, m, article);
    }
    return true;
}

// Rule: a surname used before in the article refers to the same person
// (or to nobody we tag), unless an honorific says the other sex. True when
// it was used before.
bool MentionResolver::resolve_by_earlier_mention(const RawMatch& m, const std::string& key,
                                                 ArticleState& article) const {
    auto it = article.surname_refers_to.find(key);
    if (it == article.surname_refers_to.end()) return false;
    if (it->second < 0) return true;
    const Sex sex = honorific_sex(*m.stream, m.token);
    const Sex leader_sex = m_gazetteer.entities()[static_cast<std::size_t>(it->second)].sex;
    if (sex != Sex::unknown && leader_sex != Sex::unknown && sex != leader_sex) {
        mark_other_person(key, article);
    } else {
        count(it->second, m, article);
    }
    return true;
}

// Rule: a surname met for the first time counts when licensed: by a title
// before it, by speaking for itself, or in a headline by the leader's full
// name anywhere in the article.
void MentionResolver::resolve_licensed_surname(const RawMatch& m, const std::string& key,
                                               const std::string* family, ArticleState& article) const {
    const bool headline = m.stream->headline;
    // After an honorific: only the candidates it may name.
    const std::vector<std::uint32_t> candidates = family ? fitting_honorific(m, article) : *m.candidates;
    if (candidates.empty()) return mark_other_person(key, article);
    std::vector<std::uint32_t> named_in_full;
    if (headline) {
        for (std::uint32_t c : candidates) {
            if (article.named_in_full.count(c)) named_in_full.push_back(c);
        }
    }
    bool licensed = family || !named_in_full.empty() ||
                    (candidates.size() == 1 && speaks_for_itself(candidates[0], m, article));
    if (!licensed) return;
    std::int64_t e = disambiguate(candidates, family, article.date);
    // The headline's surname is the leader the article names in full.
    if (headline && e < 0 && named_in_full.size() == 1) e = named_in_full.front();
    if (e < 0) return;
    count(e, m, article);
    if (!headline) article.surname_refers_to[key] = e;
}

// Rule: a surname that belongs to one leader speaks for itself when it is
// not a common word nor a place or organisation name, the article's date is
// near the leader's time in office, and the leader is widely covered or the
// article names the leader's country.
bool MentionResolver::speaks_for_itself(std::uint32_t leader, const RawMatch& m, const ArticleState& article) const {
    std::string normalised;
    for (std::size_t k = 0; k < m.length; ++k) {
        normalised += (k ? " " : "") + strip_possessive((*m.stream->tokens)[m.token + k].text);
    }
    if (m_gazetteer.is_ambiguous(normalised)) return false;
    // "Muscat", "Sweden": also the name of a place or organisation.
    if (m_other_kind_keys.count(surname_key(m))) return false;
    // Undated, a bare surname could be anybody's of any era.
    const Entity& e = m_gazetteer.entities()[leader];
    return article.date != 0 && near_in_time(e, article.date) &&
           (e.widely_covered || names_country_of(e, article.countries_named));
}

// Rule: an honorific ("Mr", "Mrs", "Dr") names none of the candidates of the
// other sex ("Mrs Clinton" is not Bill Clinton; unknown sex does not rule a
// candidate out), nor a lesser-known leader in an article that does not name
// the leader's country ("Mr Howard" in a British article is not Australia's
// John Howard), and of several namesakes the widely covered ones ("Mr Brown"
// in 2005 is Gordon Brown, not Bermuda's Ewart Brown).
std::vector<std::uint32_t> MentionResolver::fitting_honorific(const RawMatch& m, const ArticleState& article) const {
    const Sex sex = honorific_sex(*m.stream, m.token);
    std::vector<std::uint32_t> fitting, covered;
    for (std::uint32_t c : *m.candidates) {
        const Entity& e = m_gazetteer.entities()[c];
        if (sex != Sex::unknown && e.sex != Sex::unknown && e.sex != sex) continue;
        if (!e.widely_covered && !names_country_of(e, article.countries_named)) continue;
        fitting.push_back(c);
        if (e.widely_covered) covered.push_back(c);
    }
    return covered.empty() ? fitting : covered;
}

// Rule: a writer's surname, bare or after an honorific ("Mr. Phillips is
// Director of ..."), is the writer's unless the article has used it for a
// leader before; an office title ("President Phillips") still licenses it.
bool MentionResolver::is_writers_surname(const std::string& key, const ArticleState& article) {
    for (const auto& writer : article.writers) {
        if (!writer.empty() && writer.back() + " " == key) return true;
    }
    return false;
}

// Rule: a bare surname in a list of names separated by commas or semicolons
// (a team sheet: "Subs: Marshall, Henchoz, Juninho Paulista, Lambert") is a
// player's, not a cabinet minister's: nothing in the list licenses it. A
// list entry is a line's text between commas, semicolons and colons; at
// least kMinTeamSheetNames entries in a row around the surname must read as
// names, or every entry of the paragraph, if there are at least
// kMinTeamSheetParagraphNames. Not in a headline: "Putin, Xi Meet" is
// licensed by the article.
bool MentionResolver::in_team_sheet(const RawMatch& m) {
    const Stream& s = *m.stream;
    const std::string_view text(*s.text);
    const std::size_t begin = (*s.tokens)[m.token].begin;
    const std::size_t line_break = text.rfind('\n', begin);
    const std::size_t line_start = line_break == std::string_view::npos ? 0 : line_break + 1;
    const std::size_t line_end = std::min(text.find('\n', begin), text.size());
    std::vector<std::string_view> entries;
    std::size_t current = 0; // the entry holding the surname
    std::size_t from = line_start;
    int depth = 0;
    for (std::size_t i = line_start; i <= line_end; ++i) {
        // The line's end closes the last entry, even inside an unclosed bracket.
        const bool at_end = i == line_end;
        const char c = at_end ? ',' : text[i];
        if (c == '(') ++depth;
        if (c == ')' && depth > 0) --depth;
        if (!at_end && (depth > 0 || (c != ',' && c != ';' && c != ':'))) continue;
        if (begin >= from && begin < i) current = entries.size();
        entries.push_back(text.substr(from, i - from));
        from = i + 1;
    }
    if (!is_team_sheet_name(entries[current])) return false;
    std::size_t names = 1;
    for (std::size_t k = current; k-- > 0 && is_team_sheet_name(entries[k]);) ++names;
    for (std::size_t k = current + 1; k < entries.size() && is_team_sheet_name(entries[k]); ++k) ++names;
    // A colon makes a heading, not a list: "Trump: MOVE PAST Iowa."
    const bool whole_paragraph = names == entries.size() && names >= kMinTeamSheetParagraphNames &&
                                 text.substr(line_start, line_end - line_start).find(':') == std::string_view::npos;
    return names >= kMinTeamSheetNames || whole_paragraph;
}

// Rule: a surname in the headline is resolved after the body has been read:
// "Howard Unveils Plans" over an article about Michael Howard is not John
// Howard, even if the article also names John Howard.
void MentionResolver::resolve_headline_surnames(const std::vector<const RawMatch*>& surnames,
                                                ArticleState& article) const {
    for (const RawMatch* m : surnames) {
        if (!article.ever_other.count(surname_key(*m))) resolve_surname(*m, article);
    }
}

// Rule: every mention counts once; a mention in the headline or the first
// paragraph makes the entity a main subject.
void MentionResolver::count(std::int64_t entity, const RawMatch& m, ArticleState& article) const {
    EntityTag& tag = article.tags[entity];
    const Entity& e = m_gazetteer.entities()[static_cast<std::size_t>(entity)];
    tag.kind = e.kind;
    tag.id = e.id;
    tag.name = e.name;
    ++tag.count;
    const Token& t = (*m.stream->tokens)[m.token];
    if (m.stream->headline || t.begin < m.stream->first_paragraph_end) tag.main = true;
}

// Later bare mentions of a leader's surnames refer to that leader.
void MentionResolver::remember_surnames(std::int64_t leader, ArticleState& article) const {
    for (const std::string& key : m_surname_keys[static_cast<std::size_t>(leader)]) {
        article.surname_refers_to[key] = leader;
    }
}

// Later bare mentions of this surname refer to somebody we do not tag.
void MentionResolver::mark_other_person(const std::string& key, ArticleState& article) {
    article.surname_refers_to[key] = kOtherPerson;
    article.ever_other.insert(key);
}

// The office family ("president") of a title right before `token`, or null.
const std::string* MentionResolver::title_family(const Stream& s, std::size_t token) const {
    const auto& titles = m_gazetteer.titles();
    // Two-word titles first ("prime minister", "vice president"), then one word.
    if (token >= 2 && gap_is_single_space(s.gap_before(token)) && gap_is_single_space(s.gap_before(token - 1))) {
        auto it = titles.find((*s.tokens)[token - 2].text + " " + (*s.tokens)[token - 1].text);
        if (it != titles.end()) return &it->second.family;
    }
    if (token >= 1) {
        std::string_view gap = s.gap_before(token);
        if (gap_is_single_space(gap) || (gap.size() > 1 && gap[0] == '.' && gap_is_single_space(gap.substr(1)))) {
            auto it = titles.find((*s.tokens)[token - 1].text);
            if (it != titles.end()) return &it->second.family;
        }
    }
    return nullptr;
}

// The sex an honorific right before `token` says ("Mrs"), or unknown.
Sex MentionResolver::honorific_sex(const Stream& s, std::size_t token) const {
    if (token == 0) return Sex::unknown;
    std::string_view gap = s.gap_before(token);
    if (!gap_is_single_space(gap) && !(gap.size() > 1 && gap[0] == '.' && gap_is_single_space(gap.substr(1)))) {
        return Sex::unknown;
    }
    return m_gazetteer.honorific_sex((*s.tokens)[token - 1].text);
}

// Namesakes told apart: by the office of the title before the name, then by
// who was in office on the article's date, then by whose time in office was
// nearest it. kNoEntity when that leaves no single leader.
std::int64_t MentionResolver::disambiguate(const std::vector<std::uint32_t>& candidates, const std::string* family,
                                           std::uint32_t date) const {
    const auto& entities = m_gazetteer.entities();
    std::vector<std::uint32_t> pool = holders_of_title(entities, candidates, family);
    if (pool.size() == 1) return pool.front();
    if (date == 0 || pool.empty()) return kNoEntity;
    std::vector<std::uint32_t> in_office = in_office_on(entities, pool, date);
    if (in_office.size() == 1) return in_office.front();
    if (!in_office.empty()) return kNoEntity;
    // Nobody in office then: the one whose time in office was nearest.
    return nearest_in_time(entities, pool, date);
}

// The country a name means on `date`: not a state that had ceased by then
// (or at all, when the date is unknown), nor a successor state while its
// predecessor among the candidates still existed. kNoEntity unless one remains.
std::int64_t MentionResolver::pick_country(const std::vector<std::uint32_t>& candidates, std::uint32_t date) const {
    const auto& entities = m_gazetteer.entities();
    std::vector<std::uint32_t> pool;
    for (std::uint32_t c : candidates) {
        const Entity& e = entities[c];
        if (e.ended != 0 && (date == 0 || date > e.ended)) continue; // gone by then
        bool superseded = false;
        for (std::uint32_t h : candidates) {
            const Entity& old = entities[h];
            superseded = superseded || (old.successor == e.id && date != 0 && date <= old.ended);
        }
        if (!superseded) pool.push_back(c);
    }
    return pool.size() == 1 ? pool.front() : kNoEntity;
}

bool MentionResolver::looks_like_given_name(const Stream& s, std::size_t token) const {
    // A word in title case ("Juan", not "MP", "York's" or "the"), not a title,
    // a common word, or a country or demonym.
    std::string_view original = s.original(token);
    const std::string& text = (*s.tokens)[token].text;
    if (text.size() < 2 || is_possessive(text)) return false;
    // The first word of a sentence has a capital anyway. Other scripts write
    // capitals differently (Russian: "в зале Кремля Владимир Путин"): this
    // English-language heuristic is for Latin script only.
    if (token == 0 || first_char(text) >= kFirstNonLatin) return false;
    std::string_view before = s.gap_before(token);
    if (before.find_first_of(".!?:;\"") != std::string_view::npos || before.find("\n\n") != std::string_view::npos ||
        before.find("\xE2\x80\x9C") != std::string_view::npos || before.find("\xC2\xAB") != std::string_view::npos) {
        return false;
    }
    Xapian::Utf8Iterator it(original.data(), original.size()), end;
    if (!is_upper(*it)) return false;
    for (++it; it != end; ++it) {
        if (!is_lower(*it)) return false;
    }
    return !m_gazetteer.is_not_a_name(text) && !m_gazetteer.titles().count(text) &&
           !m_country_words.count(s.keys[token]);
}

// A common word, a title or a country's name or demonym: never a given name.
bool MentionResolver::cannot_be_given_name(const std::string& word, const std::string& key) const {
    return m_gazetteer.is_not_a_name(strip_possessive(word)) || m_gazetteer.titles().count(strip_possessive(word)) ||
           m_country_words.count(key);
}

// One of the leader's given names, allowing one letter of transliteration
// difference in longer ones (Nikolai / Nikolay Ryzhkov). Surname words do
// not count: "David Davis" is not Philip Davis, "Sulman Bin Khalifa Al
// Khalifa" is not Salman bin Hamad Al Khalifa.
// One of the words of the leader's names other than surnames, exactly.
bool MentionResolver::has_name_word(std::uint32_t leader, const std::string& key) const {
    const auto& words = m_given_names[leader];
    return std::find(words.begin(), words.end(), key) != words.end();
}

bool MentionResolver::is_given_name_of(std::uint32_t leader, const std::string& key) const {
    for (const std::string& word : m_given_names[leader]) {
        if (word == key || (key.size() >= kMinFuzzyNameBytes && one_edit_apart(word, key))) return true;
    }
    return false;
}

} // namespace pundit
