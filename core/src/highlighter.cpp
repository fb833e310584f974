#include "pundit/highlighter.hpp"

#include <algorithm>
#include <bit>

#include "pundit/schema.hpp"
#include "pundit/stemmer.hpp"

namespace pundit {
namespace {

const std::string kEllipsis = "\xE2\x80\xA6";

// Text is segmented in pieces of about this many bytes (see snippet()).
constexpr std::size_t kSegmentBytes = 256;

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// Copies text[from, to) into `out` with runs of white space collapsed to one
// space, recording the output span of each highlighted input span.
void append_collapsed(const std::string& text, std::size_t from, std::size_t to,
                      const std::vector<std::pair<std::size_t, std::size_t>>& marks, Snippet& out) {
    std::size_t mark = 0;
    while (mark < marks.size() && marks[mark].second <= from) ++mark;
    std::size_t open_at = std::string::npos;
    for (std::size_t i = from; i < to; ++i) {
        if (mark < marks.size() && i == marks[mark].first) open_at = out.text.size();
        if (is_space(text[i])) {
            if (!out.text.empty() && out.text.back() != ' ') out.text.push_back(' ');
        } else {
            out.text.push_back(text[i]);
        }
        if (mark < marks.size() && i + 1 == marks[mark].second) {
            if (open_at != std::string::npos) out.highlights.emplace_back(open_at, out.text.size());
            open_at = std::string::npos;
            ++mark;
        }
    }
}

} // namespace

Highlighter::Highlighter(const std::vector<std::string>& terms, Normaliser& normaliser)
    : m_normaliser(normaliser), m_stemmer(make_stemmer()) {
    const std::string stem_prefix(schema::kStemPrefix);
    std::size_t next_bit = 0;
    // Past 64 terms the last bit is shared: only the passage choice suffers.
    auto bit = [&next_bit] { return TermMask{1} << std::min<std::size_t>(next_bit++, 63); };
    for (const std::string& term : terms) {
        if (term.empty()) continue;
        if (term.starts_with(stem_prefix) && term.size() > stem_prefix.size() &&
            !schema::is_prefixed(std::string_view(term).substr(stem_prefix.size()))) {
            std::string stem = term.substr(stem_prefix.size());
            if (m_stems.count(stem)) continue;
            if (m_stem_initials.find(stem[0]) == std::string::npos) m_stem_initials.push_back(stem[0]);
            m_all |= m_stems.emplace(std::move(stem), bit()).first->second;
        } else if (!schema::is_prefixed(term) && !m_words.count(term)) {
            m_all |= m_words.emplace(term, bit()).first->second;
        }
    }
}

Highlighter::TermMask Highlighter::matches(const std::string& token) {
    TermMask mask = 0;
    if (auto word = m_words.find(token); word != m_words.end()) mask |= word->second;
    // Our stemmers (Snowball) only rewrite the end of a word: a word whose
    // first byte starts no stem cannot stem to one, and need not be stemmed.
    if (m_stems.empty() || m_stem_initials.find(token[0]) == std::string::npos || !should_stem(token)) return mask;
    auto seen = m_stemmed.find(token);
    if (seen == m_stemmed.end()) {
        auto stem = m_stems.find(m_stemmer(token));
        seen = m_stemmed.emplace(token, stem == m_stems.end() ? TermMask{0} : stem->second).first;
    }
    return mask | seen->second;
}

Snippet Highlighter::snippet(const std::string& text, std::size_t max_tokens) {
    // Look for the passage in the first kSnippetScanBytes only: the cost of a
    // result list must not grow with the length of its articles.
    std::size_t cut = std::min(text.size(), kSnippetScanBytes);
    while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0u) == 0x80u) --cut;
    const bool truncated = cut < text.size();
    if (max_tokens == 0) max_tokens = 1;

    // Segment the text a piece at a time, each piece ending after white space
    // (a word boundary for the word break rules), and stop as soon as the
    // passage is decided.
    std::vector<Token> tokens;
    std::vector<TermMask> hit;
    tokens.reserve(2 * max_tokens);
    hit.reserve(2 * max_tokens);
    std::size_t segmented = 0;
    auto segment_more = [&] {
        std::size_t to = std::min(cut, segmented + kSegmentBytes);
        while (to < cut && !is_space(text[to - 1])) ++to;
        const std::size_t first = tokens.size();
        m_normaliser.tokenise(std::string_view(text).substr(segmented, to - segmented), tokens);
        for (std::size_t k = first; k < tokens.size(); ++k) {
            tokens[k].begin += segmented;
            tokens[k].end += segmented;
            hit.push_back(matches(tokens[k].text));
        }
        segmented = to;
    };

    // The window with the most distinct query terms, then the most matches;
    // the earliest wins ties, so an article's opening is preferred.
    std::size_t best_start = 0, best_terms = 0, best_count = 0;
    const std::size_t all_terms = static_cast<std::size_t>(std::popcount(m_all));
    std::size_t start = 0;
    bool decided = false;
    while (!decided) {
        if (segmented < cut) segment_more();
        const bool complete = segmented >= cut;
        // Judge every window whose words are all segmented.
        for (; start < tokens.size() && (complete || start + max_tokens <= tokens.size()); ++start) {
            if (!hit[start]) continue;
            TermMask covered = 0;
            std::size_t count = 0;
            for (std::size_t k = start; k < tokens.size() && k < start + max_tokens; ++k) {
                if (hit[k]) {
                    covered |= hit[k];
                    ++count;
                }
            }
            const auto distinct = static_cast<std::size_t>(std::popcount(covered));
            if (distinct > best_terms || (distinct == best_terms && count > best_count)) {
                best_start = start;
                best_terms = distinct;
                best_count = count;
            }
            if (distinct == all_terms) {
                decided = true;
                break;
            }
        }
        if (complete) decided = true;
    }
    Snippet out;
    if (tokens.empty()) return out;
    // Segment far enough to show the whole passage.
    while (segmented < cut && tokens.size() < best_start + max_tokens + 1) segment_more();

    // Give the first match a little context before it.
    constexpr std::size_t kLeadTokens = 4;
    if (best_terms > 0) best_start = best_start > kLeadTokens ? best_start - kLeadTokens : 0;
    std::size_t last = std::min(tokens.size(), best_start + max_tokens) - 1;
    const bool more_after = last + 1 < tokens.size() || segmented < cut || truncated;

    std::vector<std::pair<std::size_t, std::size_t>> marks;
    for (std::size_t k = best_start; k <= last; ++k) {
        if (hit[k] && (marks.empty() || marks.back().first != tokens[k].begin)) {
            marks.emplace_back(tokens[k].begin, tokens[k].end);
        }
    }
    std::size_t from = best_start == 0 ? 0 : tokens[best_start].begin;
    // Keep the sentence punctuation that follows the last word.
    std::size_t to = more_after ? tokens[last].end : text.size();
    if (best_start > 0) out.text = kEllipsis;
    append_collapsed(text, from, to, marks, out);
    while (!out.text.empty() && out.text.back() == ' ') out.text.pop_back();
    if (more_after) out.text += kEllipsis;
    return out;
}

Snippet Highlighter::mark(const std::string& text) {
    std::size_t cut = std::min(text.size(), kSnippetScanBytes);
    while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0u) == 0x80u) --cut;
    std::vector<std::pair<std::size_t, std::size_t>> marks;
    for (const Token& token : m_normaliser.tokenise(std::string_view(text).substr(0, cut))) {
        if (matches(token.text) && (marks.empty() || marks.back().first != token.begin)) {
            marks.emplace_back(token.begin, token.end);
        }
    }
    Snippet out;
    append_collapsed(text, 0, cut, marks, out);
    while (!out.text.empty() && out.text.back() == ' ') out.text.pop_back();
    if (cut < text.size()) out.text += kEllipsis;
    return out;
}

std::string render_snippet(const Snippet& snippet, const std::string& before, const std::string& after) {
    std::string out;
    std::size_t pos = 0;
    for (auto [begin, end] : snippet.highlights) {
        out.append(snippet.text, pos, begin - pos);
        out += before;
        out.append(snippet.text, begin, end - begin);
        out += after;
        pos = end;
    }
    out.append(snippet.text, pos, std::string::npos);
    return out;
}

} // namespace pundit
