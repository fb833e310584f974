#include "pundit/entity_extractor.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "name_matcher.hpp"

namespace pundit {
namespace {

// A special "entity" in the surname state: the surname was last used for
// somebody who is not a leader.
constexpr std::int64_t kOtherPerson = -1;
constexpr std::int64_t kNoEntity = -2;

// A surname alone speaks for itself only in articles dated from this many
// years before the leader's first term to this many years after the last.
constexpr std::uint32_t kPlausibleYearsBefore = 2;
constexpr std::uint32_t kPlausibleYearsAfter = 10;
// Full names of at most this many words are taken for somebody else's when
// another given name precedes them.
constexpr std::size_t kShortFullName = 2;

// Given names this long or longer may differ from the gazetteer's spelling by
// one letter and still be the leader's own (Nikolai / Nikolay).
constexpr std::size_t kMinFuzzyNameBytes = 5;

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

// Lower-case words that open a surname: "Henri de Villiers", "Dries van Agt".
bool is_name_particle(const std::string& word) {
    static const std::set<std::string> kParticles{"de", "da", "das", "di", "do", "dos", "du", "del", "della",
                                                  "van", "von", "der", "den", "ter", "la", "le", "bin", "ibn",
                                                  "al", "el", "ben", "mac", "st"};
    return kParticles.count(word) > 0;
}

} // namespace

EntityExtractor::EntityExtractor(std::shared_ptr<const Gazetteer> gazetteer)
    : m_gazetteer(std::move(gazetteer)), m_matcher(std::make_unique<NameMatcher>(*m_gazetteer, m_normaliser)) {
    const auto& entities = m_gazetteer->entities();
    m_given_names.resize(entities.size());
    m_surname_keys.resize(entities.size());
    for (std::uint32_t i = 0; i < entities.size(); ++i) {
        const Entity& e = entities[i];
        if (e.kind == EntityKind::leader) {
            std::set<std::string> surname_words;
            for (const std::string& surname : e.surnames) {
                std::string key;
                for (const Token& t : m_normaliser.tokenise(surname)) {
                    surname_words.insert(m_matcher->match_key(t.text));
                    key += m_matcher->match_key(t.text) + " ";
                }
                m_surname_keys[i].push_back(std::move(key));
            }
            for (const std::string& alias : e.aliases) {
                for (const Token& t : m_normaliser.tokenise(alias)) {
                    std::string key = m_matcher->match_key(t.text);
                    if (!surname_words.count(key)) m_given_names[i].push_back(key);
                }
            }
        } else {
            for (const std::string& alias : e.aliases) {
                auto tokens = m_normaliser.tokenise(alias);
                std::string key;
                for (const Token& t : tokens) key += m_matcher->match_key(t.text) + " ";
                m_other_kind_keys.insert(key);
                // Country names and demonyms before a surname are no given
                // names ("Russian Putin"); capitals may be ("Lee Hamilton").
                bool capital = std::find(e.capitals.begin(), e.capitals.end(), alias) != e.capitals.end();
                if (e.kind == EntityKind::country && tokens.size() == 1 && !capital) {
                    m_country_words[m_matcher->match_key(tokens[0].text)] = 1;
                }
            }
        }
    }
}

EntityExtractor::~EntityExtractor() = default;

const std::string* EntityExtractor::title_family(const Stream& s, std::size_t token) const {
    const auto& titles = m_gazetteer->titles();
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

std::int64_t EntityExtractor::disambiguate(const std::vector<std::uint32_t>& candidates, const std::string* family,
                                           std::uint32_t date) const {
    const auto& entities = m_gazetteer->entities();
    std::vector<std::uint32_t> pool = candidates;
    if (family && !family->empty()) {
        std::vector<std::uint32_t> titled;
        for (std::uint32_t c : pool) {
            for (const LeaderTerm& t : entities[c].terms) {
                if (t.title.find(*family) != std::string::npos) {
                    titled.push_back(c);
                    break;
                }
            }
        }
        if (!titled.empty()) pool = std::move(titled);
    }
    if (pool.size() == 1) return pool.front();
    if (date == 0 || pool.empty()) return kNoEntity;
    std::vector<std::uint32_t> in_office;
    for (std::uint32_t c : pool) {
        for (const LeaderTerm& t : entities[c].terms) {
            if (t.start <= date && date <= t.end) {
                in_office.push_back(c);
                break;
            }
        }
    }
    if (in_office.size() == 1) return in_office.front();
    if (!in_office.empty()) return kNoEntity;
    // Nobody in office then: the one whose time in office was nearest.
    auto days = [](std::uint32_t ymd) {
        return static_cast<std::int64_t>(ymd / 10000) * 372 + (ymd / 100 % 100) * 31 + ymd % 100;
    };
    std::int64_t best = -1, best_distance = 0;
    bool tie = false;
    for (std::uint32_t c : pool) {
        std::int64_t distance = INT64_MAX;
        for (const LeaderTerm& t : entities[c].terms) {
            std::int64_t d = date < t.start ? days(t.start) - days(date) : days(date) - days(std::min(t.end, date));
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

bool EntityExtractor::looks_like_given_name(const Stream& s, std::size_t token) const {
    // A word in title case ("Juan", not "MP", "York's" or "the"), not a title,
    // a common word, or a country or demonym.
    std::string_view original = s.original(token);
    const std::string& text = (*s.tokens)[token].text;
    if (text.size() < 2 || text.ends_with("'s") || text.ends_with("'")) return false;
    // The first word of a sentence has a capital anyway. Other scripts write
    // capitals differently (Russian: "в зале Кремля Владимир Путин"): this
    // English-language heuristic is for Latin script only.
    if (token == 0 || first_char(text) >= 0x250) return false;
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
    return !m_gazetteer->is_not_a_name(text) && !m_gazetteer->titles().count(text) &&
           !m_country_words.count(s.keys[token]);
}

bool EntityExtractor::speaks_for_itself(std::uint32_t leader, const Stream& s, const RawMatch& m, std::uint32_t date,
                                        const std::set<std::string>& countries_named) const {
    std::string normalised;
    for (std::size_t k = 0; k < m.length; ++k) {
        normalised += (k ? " " : "") + strip_possessive((*s.tokens)[m.token + k].text);
    }
    if (m_gazetteer->is_ambiguous(normalised)) return false;
    // "Muscat", "Sweden": also the name of a place or organisation.
    std::string key;
    for (std::size_t k = 0; k < m.length; ++k) key += s.keys[m.token + k] + " ";
    if (m_other_kind_keys.count(key)) return false;
    const Entity& e = m_gazetteer->entities()[leader];
    return near_in_time(e, date) && (e.widely_covered || names_country_of(e, countries_named));
}

bool EntityExtractor::near_in_time(const Entity& e, std::uint32_t date) const {
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

bool EntityExtractor::names_country_of(const Entity& e, const std::set<std::string>& countries_named) const {
    for (const LeaderTerm& t : e.terms) {
        std::string country = t.country;
        std::transform(country.begin(), country.end(), country.begin(), [](unsigned char c) { return std::tolower(c); });
        if (countries_named.count(country)) return true;
    }
    return false;
}

std::int64_t EntityExtractor::pick_country(const std::vector<std::uint32_t>& candidates, std::uint32_t date) const {
    const auto& entities = m_gazetteer->entities();
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

std::vector<EntityTag> EntityExtractor::extract(const Article& article) {
    std::vector<Token> title_tokens = m_normaliser.tokenise(article.title);
    std::vector<Token> body_tokens = m_normaliser.tokenise(article.body);
    return extract(article.title, title_tokens, article.body, body_tokens, article.date);
}

std::vector<EntityTag> EntityExtractor::extract(const std::string& title, const std::vector<Token>& title_tokens,
                                                const std::string& body, const std::vector<Token>& body_tokens,
                                                const std::string& date_text) {
    const auto& entities = m_gazetteer->entities();
    Stream streams[2] = {Stream{&title, &title_tokens, {}, true, title.size(), 0},
                         Stream{&body, &body_tokens, {}, false, body.find("\n\n"), title_tokens.size()}};
    std::vector<RawMatch> matches;
    for (Stream& s : streams) m_matcher->match(s, matches);
    std::stable_sort(matches.begin(), matches.end(), [](const RawMatch& a, const RawMatch& b) {
        return a.stream->offset + a.token < b.stream->offset + b.token;
    });
    std::uint32_t date = date_text.empty() ? 0 : parse_term_date(date_text, false);

    // Leaders named in full anywhere: they license surname mentions in the headline.
    std::set<std::int64_t> named_in_full;
    for (const RawMatch& m : matches) {
        if (m.kind == EntityKind::leader && m.cls == AliasClass::full) {
            std::int64_t e = disambiguate(*m.candidates, title_family(*m.stream, m.token), date);
            if (e >= 0) named_in_full.insert(e);
        }
    }

    // Countries first: a leader's surname alone is more credible in an
    // article that names the leader's country.
    std::set<std::string> countries_named;
    for (const RawMatch& m : matches) {
        if (m.kind != EntityKind::country || m.cls != AliasClass::full) continue;
        std::int64_t e = m.candidates->size() == 1 ? (*m.candidates)[0] : pick_country(*m.candidates, date);
        if (e >= 0) countries_named.insert(entities[static_cast<std::size_t>(e)].id);
    }

    std::map<std::int64_t, EntityTag> tags;
    std::unordered_map<std::string, std::int64_t> surname_refers_to;
    auto count = [&](std::int64_t e, const RawMatch& m) {
        EntityTag& tag = tags[e];
        const Entity& entity = entities[static_cast<std::size_t>(e)];
        tag.kind = entity.kind;
        tag.id = entity.id;
        tag.name = entity.name;
        ++tag.count;
        const Token& t = (*m.stream->tokens)[m.token];
        if (m.stream->headline || t.begin < m.stream->first_paragraph_end) tag.main = true;
    };
    auto remember_surnames = [&](std::int64_t e) {
        for (const std::string& key : m_surname_keys[static_cast<std::size_t>(e)]) surname_refers_to[key] = e;
    };
    // One of the leader's given names, allowing one letter of transliteration
    // difference in longer ones (Nikolai / Nikolay Ryzhkov). Surname words do
    // not count: "David Davis" is not Philip Davis, "Sulman Bin Khalifa Al
    // Khalifa" is not Salman bin Hamad Al Khalifa.
    auto is_name_word = [&](std::uint32_t entity, const std::string& key) {
        for (const std::string& word : m_given_names[entity]) {
            if (word == key || (key.size() >= kMinFuzzyNameBytes && one_edit_apart(word, key))) return true;
        }
        return false;
    };

    // Keys of surnames used for somebody else anywhere in the article.
    std::set<std::string> ever_other;
    auto handle = [&](const RawMatch& m) {
        const Stream& s = *m.stream;
        const std::string* family = m.kind == EntityKind::leader ? title_family(s, m.token) : nullptr;
        if (m.cls == AliasClass::full) {
            std::int64_t e = m.candidates->size() == 1          ? (*m.candidates)[0]
                             : m.kind == EntityKind::leader     ? disambiguate(*m.candidates, family, date)
                             : m.kind == EntityKind::country    ? pick_country(*m.candidates, date)
                                                                : kNoEntity;
            if (e < 0) return;
            if (m.kind == EntityKind::leader && m.length <= kShortFullName && m.token > 0 && !s.headline &&
                !all_upper(s.original(m.token)) && gap_is_single_space(s.gap_before(m.token)) &&
                looks_like_given_name(s, m.token - 1) && !is_name_word(static_cast<std::uint32_t>(e), s.keys[m.token - 1])) {
                // "Juan Carlos Ferrero" is not Carlos Ferrero: a given name
                // before a short full name makes it somebody else's. (Longer
                // names are distinctive, and alias lists do not hold every
                // given name: "Ali Akbar Hashemi Rafsanjani".)
                for (const std::string& k : m_surname_keys[static_cast<std::size_t>(e)]) {
                    surname_refers_to[k] = kOtherPerson;
                    ever_other.insert(k);
                }
                return;
            }
            count(e, m);
            if (m.kind == EntityKind::leader) remember_surnames(e);
            return;
        }

        // A surname alone. Joined by a hyphen to the word before, it is part of
        // another name ("Premier Yu Kuo-Hua" is not Hua Guofeng).
        std::string_view joined_before = s.gap_before(m.token);
        if (m.token > 0 && (joined_before == "-" || joined_before == "\xE2\x80\x90")) return;
        std::string key;
        for (std::size_t k = 0; k < m.length; ++k) key += s.keys[m.token + k] + " ";
        // In a headline or in text set in capitals every word has a capital:
        // neighbouring capitals prove nothing there.
        if (!s.headline && !all_upper(s.original(m.token + m.length - 1))) {
            // Another capitalised name right before or right after the
            // surname makes it a different person: "Sadiq Khan", "Kim
            // Yo-jong", and the leader's surname used as a given name ("Dan
            // Glickman", "company president Klaus Jacobs", "James C. Smith").
            std::int64_t person = kNoEntity;
            bool other = false;
            auto check_neighbour = [&](std::size_t at, std::string_view gap) {
                // "Jean-Luc Lagardère": a hyphen after the name joins another given name.
                bool joined = at > m.token && (gap == "-" || gap == "\xE2\x80\x90");
                if (!gap_is_single_space(gap) && !joined) return;
                const std::string& neighbour = s.keys[at];
                // Only a word written with a capital can be a name; "de
                // Villiers", "van Agt": a particle introduces one. Latin
                // script only (see looks_like_given_name).
                unsigned ch = first_char(std::string(s.original(at)));
                if (ch >= 0x250) return;
                if (!is_upper(ch)) {
                    std::string_view particle_gap = at + 1 < s.keys.size() ? s.gap_before(at + 1) : std::string_view();
                    bool particle = is_name_particle((*s.tokens)[at].text) && at + 1 < s.keys.size() &&
                                    (gap_is_single_space(particle_gap) || particle_gap == "-") &&
                                    is_upper(first_char(std::string(s.original(at + 1))));
                    if (particle && at > m.token) other = true;
                    return;
                }
                // "Labour's Blair", "Britain's Brown": a possessive is no given name.
                const std::string& word = (*s.tokens)[at].text;
                if (at < m.token && (word.ends_with("'s") || word.ends_with("'"))) return;
                if (m_gazetteer->is_not_a_name(strip_possessive(word)) ||
                    m_gazetteer->titles().count(strip_possessive(word)) || m_country_words.count(neighbour)) {
                    return;
                }
                std::vector<std::uint32_t> named;
                for (std::uint32_t c : *m.candidates) {
                    if (is_name_word(c, neighbour)) named.push_back(c);
                }
                // "Juan Carlos Ferrero": a name word, but preceded by yet another
                // given name.
                if (!named.empty() && at < m.token && at > 0 && gap_is_single_space(s.gap_before(at)) &&
                    looks_like_given_name(s, at - 1)) {
                    bool all_named = true;
                    for (std::uint32_t c : named) all_named = all_named && is_name_word(c, s.keys[at - 1]);
                    if (!all_named) named.clear();
                }
                if (named.empty()) {
                    other = true;
                } else {
                    person = named.size() == 1 ? named.front() : disambiguate(named, family, date);
                }
            };
            if (m.token > 0 && !family) check_neighbour(m.token - 1, s.gap_before(m.token));
            // After a possessive ("Mr Kibaki's National Rainbow Coalition")
            // the next word is what the leader has, not a name.
            const std::string& last = (*s.tokens)[m.token + m.length - 1].text;
            bool possessive = last.ends_with("'s") || last.ends_with("'");
            std::size_t after = m.token + m.length;
            if (person == kNoEntity && !other && !possessive && after < s.keys.size()) {
                check_neighbour(after, s.gap_before(after));
            }
            // A given name and surname that are not one of the leader's own
            // forms are weaker evidence than a full name: for a lesser-known
            // leader, in an article from another era (or undated) that never
            // names the leader's country, they are a namesake ("Michael
            // Moore's documentary" in 2005 is not New Zealand's 1990 premier).
            if (person >= 0) {
                const Entity& leader = entities[static_cast<std::size_t>(person)];
                bool in_time = date != 0 && near_in_time(leader, date);
                if (!leader.widely_covered && !in_time && !names_country_of(leader, countries_named)) {
                    other = true;
                    person = kNoEntity;
                }
            }
            if (person >= 0) {
                count(person, m);
                remember_surnames(person);
                return;
            }
            if (other) {
                surname_refers_to[key] = kOtherPerson;
                ever_other.insert(key);
                return;
            }
        }
        if (auto it = surname_refers_to.find(key); it != surname_refers_to.end()) {
            if (it->second >= 0) count(it->second, m);
            return;
        }
        bool unambiguous = m.candidates->size() == 1 &&
                           speaks_for_itself((*m.candidates)[0], s, m, date, countries_named);
        bool headline_licensed = false;
        if (s.headline) {
            for (std::uint32_t c : *m.candidates) headline_licensed = headline_licensed || named_in_full.count(c);
        }
        if (!family && !unambiguous && !headline_licensed) return;
        std::int64_t e = disambiguate(*m.candidates, family, date);
        if (s.headline && e < 0) {
            // The headline's surname is the leader the article names in full.
            std::vector<std::uint32_t> named;
            for (std::uint32_t c : *m.candidates) {
                if (named_in_full.count(c)) named.push_back(c);
            }
            if (named.size() == 1) e = named.front();
        }
        if (e < 0) return;
        count(e, m);
        if (!s.headline) surname_refers_to[key] = e;
        };

    // A surname in the headline is resolved after the body has been read:
    // "Howard Unveils Plans" over an article about Michael Howard is not
    // John Howard, even if the article also names John Howard.
    std::vector<const RawMatch*> headline_surnames;
    for (const RawMatch& m : matches) {
        if (m.stream->headline && m.cls == AliasClass::surname) {
            headline_surnames.push_back(&m);
        } else {
            handle(m);
        }
    }
    for (const RawMatch* m : headline_surnames) {
        std::string key;
        for (std::size_t k = 0; k < m->length; ++k) key += m->stream->keys[m->token + k] + " ";
        if (!ever_other.count(key)) handle(*m);
    }

    std::vector<EntityTag> out;
    for (auto& [index, tag] : tags) out.push_back(std::move(tag));
    std::sort(out.begin(), out.end(), [](const EntityTag& a, const EntityTag& b) {
        if (a.kind != b.kind) return a.kind < b.kind;
        if (a.count != b.count) return a.count > b.count;
        return a.name < b.name;
    });
    return out;
}

} // namespace pundit