#include "pundit/highlighter.hpp"

#include "pundit/schema.hpp"
#include "pundit/stemmer.hpp"

namespace pundit {
namespace {

const std::string kEllipsis = "\xE2\x80\xA6";

bool is_prefix_char(char c) { return c >= 'A' && c <= 'Z'; }

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

Highlighter::Highlighter(const std::vector<std::string>& matching_terms, Normaliser& normaliser)
    : m_normaliser(normaliser), m_stemmer(make_stemmer()) {
    const std::string stem_prefix(schema::kStemPrefix);
    for (const std::string& term : matching_terms) {
        if (term.empty()) continue;
        if (term.starts_with(stem_prefix) && term.size() > stem_prefix.size() &&
            !is_prefix_char(term[stem_prefix.size()])) {
            m_stems.insert(term.substr(stem_prefix.size()));
        } else if (!is_prefix_char(term[0])) {
            m_words.insert(term);
        }
    }
}

bool Highlighter::matches(const std::string& token) {
    if (m_words.count(token)) return true;
    if (m_stems.empty() || !should_stem(token)) return false;
    return m_stems.count(m_stemmer(token)) > 0;
}

Snippet Highlighter::snippet(const std::string& text, std::size_t max_tokens) {
    // Look for the passage in the first kSnippetScanBytes only: the cost of a
    // result list must not grow with the length of its articles.
    std::size_t cut = std::min(text.size(), kSnippetScanBytes);
    while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0u) == 0x80u) --cut;
    const bool truncated = cut < text.size();
    std::vector<Token> tokens = m_normaliser.tokenise(std::string_view(text).substr(0, cut));
    Snippet out;
    if (tokens.empty()) return out;
    std::vector<bool> hit(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) hit[i] = matches(tokens[i].text);

    // The window with the most distinct matched words, then the most matches;
    // the earliest wins ties, so an article's opening is preferred.
    std::size_t best_start = 0, best_distinct = 0, best_count = 0;
    for (std::size_t start = 0; start < tokens.size(); ++start) {
        if (!hit[start]) continue;
        std::set<std::string> distinct;
        std::size_t count = 0;
        for (std::size_t k = start; k < tokens.size() && k < start + max_tokens; ++k) {
            if (hit[k]) {
                distinct.insert(tokens[k].text);
                ++count;
            }
        }
        if (distinct.size() > best_distinct || (distinct.size() == best_distinct && count > best_count)) {
            best_start = start;
            best_distinct = distinct.size();
            best_count = count;
        }
    }
    // Give the first match a little context before it.
    constexpr std::size_t kLeadTokens = 4;
    if (best_distinct > 0) best_start = best_start > kLeadTokens ? best_start - kLeadTokens : 0;
    std::size_t last = std::min(tokens.size(), best_start + max_tokens) - 1;

    std::vector<std::pair<std::size_t, std::size_t>> marks;
    for (std::size_t k = best_start; k <= last; ++k) {
        if (hit[k] && (marks.empty() || marks.back().first != tokens[k].begin)) {
            marks.emplace_back(tokens[k].begin, tokens[k].end);
        }
    }
    std::size_t from = best_start == 0 ? 0 : tokens[best_start].begin;
    // Keep the sentence punctuation that follows the last word.
    std::size_t to = last + 1 == tokens.size() && !truncated ? text.size() : tokens[last].end;
    if (best_start > 0) out.text = kEllipsis;
    append_collapsed(text, from, to, marks, out);
    while (!out.text.empty() && out.text.back() == ' ') out.text.pop_back();
    if (last + 1 < tokens.size() || truncated) out.text += kEllipsis;
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
