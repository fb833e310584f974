// Snippets for result lists: picks the passage of an article's original text
// that holds the most query words and marks where they are. The text is
// segmented only as far as needed: the first passage that holds every query
// word wins at once, so a result list costs little however long its articles. Matching is on
// normalised tokens, so the accented "Erdoğan" is marked for the query
// "erdogan", and on stems, so "sanctions" is marked for "sanction".
// Xapian's MSet::snippet cannot do this: it HTML-escapes and does not know
// our folding. Not for choosing what matched (the matcher does that).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "pundit/normaliser.hpp"

namespace pundit {

struct Snippet {
    std::string text; // whitespace collapsed; "…" marks text left out
    std::vector<std::pair<std::size_t, std::size_t>> highlights; // byte spans in `text`
};

// Words around the best passage, in tokens.
inline constexpr std::size_t kSnippetTokens = 32;
// The passage is looked for in this many bytes at the start of the text.
inline constexpr std::size_t kSnippetScanBytes = 32 * 1024;

class Highlighter {
public:
    // `terms` are index terms (a query's terms, or Enquire::get_matching_terms
    // for one hit): unprefixed words and "Z"-prefixed stems are highlighted;
    // field-prefixed terms are ignored. One highlighter serves every hit of a
    // search. `normaliser` must outlive it.
    Highlighter(const std::vector<std::string>& terms, Normaliser& normaliser);

    // The passage of at most `max_tokens` words that holds the most distinct
    // query terms (then the most matches; the earliest on a tie), found in
    // the first kSnippetScanBytes of `text`. The first passage that holds
    // every term wins without reading further.
    Snippet snippet(const std::string& text, std::size_t max_tokens = kSnippetTokens);

    // Marks every match in a short text (a headline) without cutting it.
    Snippet mark(const std::string& text);

private:
    // The query terms a token matches, one bit per term (0: none).
    using TermMask = std::uint64_t;
    TermMask matches(const std::string& token);

    Normaliser& m_normaliser;
    Xapian::Stem m_stemmer;
    std::map<std::string, TermMask> m_words; // unstemmed term -> its bit
    std::map<std::string, TermMask> m_stems; // stem -> its bit
    std::string m_stem_initials;             // first bytes of the stems
    TermMask m_all = 0;                      // every term's bit
    // Words repeat across the hits of a search: stem each once.
    std::unordered_map<std::string, TermMask> m_stemmed;
};

// Renders a snippet with `before`/`after` around each highlight
// ("\x1b[1;31m"/"\x1b[0m" on a terminal, "[" and "]" in tests).
std::string render_snippet(const Snippet& snippet, const std::string& before, const std::string& after);

} // namespace pundit
