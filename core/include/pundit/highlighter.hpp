// Snippets for result lists: picks the passage of an article's original text
// that holds the most query words and marks where they are. Matching is on
// normalised tokens, so the accented "Erdoğan" is marked for the query
// "erdogan", and on stems, so "sanctions" is marked for "sanction".
// Xapian's MSet::snippet cannot do this: it HTML-escapes and does not know
// our folding. Not for choosing what matched (the matcher does that).
#pragma once

#include <set>
#include <string>
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
    // `matching_terms` are index terms (as Enquire::get_matching_terms gives
    // them): unprefixed words and "Z"-prefixed stems are highlighted; field-
    // prefixed terms are ignored.
    // `normaliser` must outlive the highlighter (one per thread, shared by
    // the highlighters of a search).
    Highlighter(const std::vector<std::string>& matching_terms, Normaliser& normaliser);

    Snippet snippet(const std::string& text, std::size_t max_tokens = kSnippetTokens);

    // Marks every match in a short text (a headline) without cutting it.
    Snippet mark(const std::string& text);

private:
    bool matches(const std::string& token);

    Normaliser& m_normaliser;
    Xapian::Stem m_stemmer;
    std::set<std::string> m_words;
    std::set<std::string> m_stems;
};

// Renders a snippet with `before`/`after` around each highlight
// ("\x1b[1;31m"/"\x1b[0m" on a terminal, "[" and "]" in tests).
std::string render_snippet(const Snippet& snippet, const std::string& before, const std::string& after);

} // namespace pundit
