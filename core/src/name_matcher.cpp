#include "name_matcher.hpp"

#include <algorithm>
#include <cctype>

// For is_cjk, which is public and defined here, beside its user.
#include "pundit/entity_extractor.hpp"

namespace pundit {
namespace {

// All-capitals abbreviations up to this many letters must be in capitals in
// the text: "US" is not "us", "WHO" is not "who".
constexpr std::size_t kShortAbbreviation = 3;

bool is_cyrillic(unsigned ch) { return ch >= 0x400 && ch <= 0x52f; }

// Does the original spelling of a word satisfy the case rule?
bool capitalised(std::string_view original) {
    unsigned ch = first_char(std::string(original));
    return !is_lower(ch); // upper case, or a script without case
}

// An alias written in capitals: "US", "U.S.", "WHO".
bool written_in_capitals(const std::string& alias) {
    bool letters = false;
    for (Xapian::Utf8Iterator it(alias), end; it != end; ++it) {
        unsigned ch = *it;
        if (is_lower(ch)) return false;
        if (is_upper(ch)) letters = true;
    }
    return letters;
}

// Between two words of a name: spaces, dots ("George W. Bush"), hyphens
// ("Kim Jong-un", also U+2010 and U+2011) and one line break (wire copy is
// wrapped mid-name: "President Ali\nKhamenei"), never a blank line.
bool gap_is_name_space(std::string_view gap) {
    if (gap.empty() || gap.size() > kMaxNameGap) return gap.empty();
    if (gap == "\xE2\x80\x90" || gap == "\xE2\x80\x91") return true;
    int newlines = 0;
    for (char c : gap) {
        if (c == '\n') ++newlines;
        if (c != ' ' && c != '.' && c != '\t' && c != '-' && c != '\n' && c != '\r') return false;
    }
    return newlines <= 1;
}

// "B.J. Habibie" is also written "B. J. Habibie": initials run together are
// one word to the normaliser, spaced ones several.
std::string space_initials(const std::string& alias) {
    std::string spaced;
    for (std::size_t k = 0; k < alias.size(); ++k) {
        spaced += alias[k];
        if (alias[k] == '.' && k + 1 < alias.size() && std::isupper(static_cast<unsigned char>(alias[k + 1]))) {
            spaced += ' ';
        }
    }
    return spaced;
}

// The bytes of the UTF-8 sequence that starts with `lead`.
std::size_t utf8_sequence_length(char lead) {
    unsigned char byte = static_cast<unsigned char>(lead);
    return byte < 0x80 ? 1 : byte < 0xe0 ? 2 : byte < 0xf0 ? 3 : 4;
}

} // namespace

bool is_cjk(unsigned ch) {
    return (ch >= 0x3040 && ch <= 0x30ff) ||   // Hiragana, Katakana
           (ch >= 0x3400 && ch <= 0x4dbf) ||   // CJK extension A
           (ch >= 0x4e00 && ch <= 0x9fff) ||   // CJK unified ideographs
           (ch >= 0xf900 && ch <= 0xfaff) ||   // compatibility ideographs
           (ch >= 0xac00 && ch <= 0xd7af) ||   // Hangul syllables
           (ch >= 0x20000 && ch <= 0x2ffff);   // supplementary ideographs
}

NameMatcher::NameMatcher(const Gazetteer& gazetteer, Normaliser& normaliser) {
    const auto& entities = gazetteer.entities();
    for (std::uint32_t i = 0; i < entities.size(); ++i) {
        const Entity& e = entities[i];
        for (const std::string& alias : e.aliases) {
            add_pattern(gazetteer, normaliser, alias, AliasClass::full, e.kind, i);
            std::string spaced = space_initials(alias);
            if (spaced != alias) add_pattern(gazetteer, normaliser, spaced, AliasClass::full, e.kind, i);
        }
        for (const std::string& surname : e.surnames) {
            add_pattern(gazetteer, normaliser, surname, AliasClass::surname, e.kind, i);
        }
    }
    for (const std::string& phrase : gazetteer.not_entities()) {
        add_pattern(gazetteer, normaliser, phrase, AliasClass::blocker, EntityKind::leader, 0);
    }
    sort_longest_first();
}

std::string NameMatcher::match_key(const std::string& text) const {
    std::string key = strip_possessive(text);
    // Russian declines names (Путина, Путину, Путиным): compare stems.
    if (is_cyrillic(first_char(key))) key = m_russian(key);
    return key;
}

void NameMatcher::add_pattern(const Gazetteer& gazetteer, Normaliser& normaliser, const std::string& alias,
                              AliasClass cls, EntityKind kind, std::uint32_t entity) {
    std::vector<Token> tokens = normaliser.tokenise(alias);
    if (tokens.empty()) return;
    // Names in Chinese or Japanese script are matched on the character stream.
    if (is_cjk(first_char(tokens.front().text))) {
        if (cls != AliasClass::blocker) add_cjk_pattern(tokens, kind, entity);
        return;
    }
    add_word_pattern(gazetteer, alias, tokens, cls, kind, entity);
}

void NameMatcher::add_cjk_pattern(const std::vector<Token>& tokens, EntityKind kind, std::uint32_t entity) {
    std::string text;
    for (const Token& t : tokens) text += t.text;
    // One ideograph alone (习, 金) is a surname or a common word: never enough.
    if (Xapian::Utf8Iterator(text) != Xapian::Utf8Iterator() &&
        ++Xapian::Utf8Iterator(text) == Xapian::Utf8Iterator()) {
        return;
    }
    std::string signature = "cjk\t" + std::to_string(static_cast<int>(kind)) + "\t" + text;
    auto [it, fresh] = m_pattern_index.emplace(signature, static_cast<std::uint32_t>(m_cjk_patterns.size()));
    if (fresh) {
        m_cjk_patterns.push_back(CjkPattern{text, kind, {}});
        m_cjk_by_first_char[first_char(text)].push_back(it->second);
    }
    auto& candidates = m_cjk_patterns[it->second].candidates;
    if (std::find(candidates.begin(), candidates.end(), entity) == candidates.end()) candidates.push_back(entity);
}

void NameMatcher::add_word_pattern(const Gazetteer& gazetteer, const std::string& alias,
                                   const std::vector<Token>& tokens, AliasClass cls, EntityKind kind,
                                   std::uint32_t entity) {
    Pattern p;
    p.kind = kind;
    for (const Token& t : tokens) p.keys.push_back(match_key(t.text));
    std::string normalised;
    for (const Token& t : tokens) normalised += (normalised.empty() ? "" : " ") + t.text;
    const bool ambiguous = gazetteer.is_ambiguous(normalised);
    // A leader known by one common word ("Johnson") needs context like a surname.
    if (cls == AliasClass::full && kind == EntityKind::leader && tokens.size() == 1 && ambiguous) {
        cls = AliasClass::surname;
    }
    p.cls = cls;
    // A capital is a proper name and is capitalised in the text: "The Bottom", not "the bottom".
    const auto& capitals = gazetteer.entities()[entity].capitals;
    const bool capital = cls != AliasClass::blocker && kind == EntityKind::country &&
                         std::find(capitals.begin(), capitals.end(), alias) != capitals.end();
    if (cls != AliasClass::blocker) p.case_rule = case_rule_for(alias, tokens.size(), ambiguous || capital);
    std::string signature = std::to_string(static_cast<int>(cls)) + "\t" + std::to_string(static_cast<int>(kind)) +
                            "\t" + std::to_string(static_cast<int>(p.case_rule));
    for (const std::string& k : p.keys) signature += "\t" + k;
    auto [it, fresh] = m_pattern_index.emplace(signature, static_cast<std::uint32_t>(m_patterns.size()));
    if (fresh) {
        m_by_first_key[p.keys.front()].push_back(it->second);
        m_patterns.push_back(std::move(p));
    }
    if (cls == AliasClass::blocker) return;
    auto& candidates = m_patterns[it->second].candidates;
    if (std::find(candidates.begin(), candidates.end(), entity) == candidates.end()) candidates.push_back(entity);
}

NameMatcher::CaseRule NameMatcher::case_rule_for(const std::string& alias, std::size_t words, bool ambiguous) {
    bool capitals = written_in_capitals(alias);
    std::size_t letters = 0;
    for (Xapian::Utf8Iterator it(alias), end; it != end; ++it) letters += is_upper(*it) || is_lower(*it);
    if (capitals && letters <= kShortAbbreviation) return CaseRule::upper;
    if (capitals && ambiguous) return CaseRule::upper;
    if (words == 1 || ambiguous) return CaseRule::capitalised;
    return CaseRule::any;
}

void NameMatcher::sort_longest_first() {
    for (auto& [key, list] : m_by_first_key) {
        std::sort(list.begin(), list.end(), [&](std::uint32_t a, std::uint32_t b) {
            return m_patterns[a].keys.size() > m_patterns[b].keys.size();
        });
    }
    for (auto& [ch, list] : m_cjk_by_first_char) {
        std::sort(list.begin(), list.end(), [&](std::uint32_t a, std::uint32_t b) {
            return m_cjk_patterns[a].text.size() > m_cjk_patterns[b].text.size();
        });
    }
}

void NameMatcher::match(Stream& s, std::vector<RawMatch>& out) const {
    s.keys.reserve(s.tokens->size());
    for (const Token& t : *s.tokens) s.keys.push_back(match_key(t.text));
    match_words(s, out);
    match_cjk(s, out);
}

void NameMatcher::match_words(const Stream& s, std::vector<RawMatch>& out) const {
    std::size_t i = 0;
    while (i < s.keys.size()) {
        std::size_t matched = match_words_at(s, i, out);
        i += matched > 0 ? matched : 1;
    }
}

std::size_t NameMatcher::match_words_at(const Stream& s, std::size_t i, std::vector<RawMatch>& out) const {
    auto hit = m_by_first_key.find(s.keys[i]);
    if (hit == m_by_first_key.end()) return 0;
    const std::size_t first_out = out.size();
    std::size_t best = 0;
    for (std::uint32_t index : hit->second) {
        const Pattern& p = m_patterns[index];
        std::size_t len = p.keys.size();
        if (len < best) break; // sorted longest first
        if (!pattern_fits(p, s, i)) continue;
        if (len > best) {
            best = len;
            out.resize(first_out);
        }
        if (p.cls == AliasClass::blocker) {
            // A longest blocker only consumes its words, hiding every match here.
            out.resize(first_out);
            break;
        }
        out.push_back(RawMatch{&s, i, len, p.kind, p.cls, &p.candidates});
    }
    return best;
}

bool NameMatcher::pattern_fits(const Pattern& p, const Stream& s, std::size_t i) const {
    const std::size_t len = p.keys.size();
    if (i + len > s.keys.size()) return false;
    for (std::size_t k = 0; k < len; ++k) {
        if (k > 0 && (s.keys[i + k] != p.keys[k] || !gap_is_name_space(s.gap_before(i + k)))) return false;
        if (p.case_rule == CaseRule::capitalised && !capitalised(s.original(i + k))) return false;
        if (p.case_rule == CaseRule::upper && !all_upper(s.original(i + k))) return false;
    }
    return true;
}

void NameMatcher::match_cjk(const Stream& s, std::vector<RawMatch>& out) const {
    const auto& tokens = *s.tokens;
    std::size_t i = 0;
    while (i < tokens.size()) {
        if (!is_cjk(first_char(tokens[i].text))) {
            ++i;
            continue;
        }
        // A run of CJK words written together; names may carry a middle dot.
        std::string run;
        std::vector<std::size_t> token_at; // byte of `run` -> token index
        std::size_t j = i;
        while (j < tokens.size() && is_cjk(first_char(tokens[j].text))) {
            if (j > i) {
                std::string_view gap = s.gap_before(j);
                if (!gap.empty() && gap != "\xC2\xB7" && gap != "\xE3\x83\xBB") break;
            }
            run += tokens[j].text;
            token_at.resize(run.size(), j);
            ++j;
        }
        match_cjk_run(s, run, token_at, out);
        i = j;
    }
}

void NameMatcher::match_cjk_run(const Stream& s, const std::string& run, const std::vector<std::size_t>& token_at,
                                std::vector<RawMatch>& out) const {
    std::size_t pos = 0;
    while (pos < run.size()) {
        std::size_t matched = 0;
        if (auto hit = m_cjk_by_first_char.find(first_char(run.substr(pos, 4))); hit != m_cjk_by_first_char.end()) {
            for (std::uint32_t index : hit->second) {
                const CjkPattern& p = m_cjk_patterns[index];
                if (run.compare(pos, p.text.size(), p.text) != 0) continue;
                std::size_t last = pos + p.text.size() - 1;
                std::size_t length = token_at[last] - token_at[pos] + 1;
                out.push_back(RawMatch{&s, token_at[pos], length, p.kind, AliasClass::full, &p.candidates});
                matched = p.text.size();
                break; // longest first
            }
        }
        pos += matched > 0 ? matched : utf8_sequence_length(run[pos]);
    }
}

} // namespace pundit
