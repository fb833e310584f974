// Finds where the gazetteer's names occur in an article: the first half of
// the entity extractor (entity_extractor.hpp lists the rules). Names match on
// whole words compared by their match keys, longest first and under each
// name's case rule; names in Chinese or Japanese script match on the
// character stream. Which entity a match names, and whether a surname alone
// counts at all, is decided afterwards (mention_resolver.hpp).
// Internal to the core library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "pundit/gazetteer.hpp"
#include "pundit/normaliser.hpp"

namespace pundit {

// How a name found in the text may be used: a full name tags on its own, a
// surname needs a licence, a blocker ("Trump Tower") only hides the names
// inside it.
enum class AliasClass : std::uint8_t { full, surname, blocker };

// One field of an article (headline or body) with its tokens and their match
// keys (NameMatcher::match_key).
struct Stream {
    const std::string* text;
    const std::vector<Token>* tokens;
    std::vector<std::string> keys;
    bool headline = false;
    std::size_t first_paragraph_end = 0; // byte offset; tokens before it are in the first paragraph
    std::size_t offset = 0;              // position of token 0 in the article's order of tokens
    std::string_view gap_before(std::size_t i) const {
        std::size_t from = i == 0 ? 0 : (*tokens)[i - 1].end;
        std::size_t to = (*tokens)[i].begin;
        return to > from ? std::string_view(*text).substr(from, to - from) : std::string_view();
    }
    std::string_view original(std::size_t i) const {
        const Token& t = (*tokens)[i];
        return std::string_view(*text).substr(t.begin, t.end - t.begin);
    }
};

// A name found in a stream: the tokens it covers and the entities it may
// name (gazetteer indexes), before any rule has chosen among them.
struct RawMatch {
    const Stream* stream;
    std::size_t token;  // first token
    std::size_t length; // tokens covered
    EntityKind kind;
    AliasClass cls;
    const std::vector<std::uint32_t>* candidates;
};

class NameMatcher {
public:
    // Builds the patterns of every alias, surname and not-entity phrase of
    // `gazetteer`, tokenised by `normaliser`.
    NameMatcher(const Gazetteer& gazetteer, Normaliser& normaliser);

    // The form in which a normalised word is compared with the names:
    // without a possessive, and stemmed when Russian.
    std::string match_key(const std::string& token_text) const;

    // Fills `stream.keys` and appends the stream's matches to `out`, in the
    // order words are read (those in CJK runs after the others).
    void match(Stream& stream, std::vector<RawMatch>& out) const;

private:
    enum class CaseRule : std::uint8_t { any, capitalised, upper };

    struct Pattern {
        std::vector<std::string> keys; // match keys of its words
        AliasClass cls = AliasClass::full;
        CaseRule case_rule = CaseRule::any;
        EntityKind kind = EntityKind::leader;
        std::vector<std::uint32_t> candidates; // entity indexes
    };
    struct CjkPattern {
        std::string text; // normalised, no separators
        EntityKind kind = EntityKind::leader;
        std::vector<std::uint32_t> candidates;
    };

    void add_pattern(const Gazetteer& gazetteer, Normaliser& normaliser, const std::string& alias, AliasClass cls,
                     EntityKind kind, std::uint32_t entity);
    void add_cjk_pattern(const std::vector<Token>& tokens, EntityKind kind, std::uint32_t entity);
    void add_word_pattern(const Gazetteer& gazetteer, const std::string& alias, const std::vector<Token>& tokens,
                          AliasClass cls, EntityKind kind, std::uint32_t entity);
    // The case rule of a name of `words` words; `ambiguous`: also a common word.
    static CaseRule case_rule_for(const std::string& alias, std::size_t words, bool ambiguous);
    void sort_longest_first();

    void match_words(const Stream& stream, std::vector<RawMatch>& out) const;
    std::size_t match_words_at(const Stream& stream, std::size_t i, std::vector<RawMatch>& out) const;
    bool pattern_fits(const Pattern& pattern, const Stream& stream, std::size_t i) const;
    void match_cjk(const Stream& stream, std::vector<RawMatch>& out) const;
    void match_cjk_run(const Stream& stream, const std::string& run, const std::vector<std::size_t>& token_at,
                       std::vector<RawMatch>& out) const;

    Xapian::Stem m_russian{"russian"};
    std::vector<Pattern> m_patterns;
    std::unordered_map<std::string, std::vector<std::uint32_t>> m_by_first_key; // longest first
    std::unordered_map<std::string, std::uint32_t> m_pattern_index; // dedup: signature -> pattern
    std::vector<CjkPattern> m_cjk_patterns;
    std::unordered_map<unsigned, std::vector<std::uint32_t>> m_cjk_by_first_char; // longest first
};

// Facts about the words of a text, for matching and resolution alike.

// Two gazetteer words that follow each other in a name may be separated by
// at most this many bytes of spaces and dots ("George W. Bush").
inline constexpr std::size_t kMaxNameGap = 8;

inline unsigned first_char(const std::string& s) {
    Xapian::Utf8Iterator it(s);
    return it == Xapian::Utf8Iterator() ? 0 : *it;
}

inline bool is_upper(unsigned ch) {
    auto cat = Xapian::Unicode::get_category(ch);
    return cat == Xapian::Unicode::UPPERCASE_LETTER || cat == Xapian::Unicode::TITLECASE_LETTER;
}

inline bool is_lower(unsigned ch) {
    return Xapian::Unicode::get_category(ch) == Xapian::Unicode::LOWERCASE_LETTER;
}

// True when the original spelling of a word has no lower-case letter.
inline bool all_upper(std::string_view original) {
    for (Xapian::Utf8Iterator it(original.data(), original.size()), end; it != end; ++it) {
        if (is_lower(*it)) return false;
    }
    return true;
}

// Words next to each other in a sentence: white space with at most one line
// break.
inline bool gap_is_single_space(std::string_view gap) {
    if (gap.empty() || gap.size() > kMaxNameGap) return false;
    int newlines = 0;
    for (char c : gap) {
        if (c == '\n') ++newlines;
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
    }
    return newlines <= 1;
}

// Possessives: "Putin's", "Moon's", "Jones'" name the same person.
inline std::string strip_possessive(std::string key) {
    if (key.size() > 2 && key.ends_with("'s")) {
        key.resize(key.size() - 2);
    } else if (key.size() > 1 && key.back() == '\'') {
        key.pop_back();
    }
    return key;
}

} // namespace pundit
