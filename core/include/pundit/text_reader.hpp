// Reads one plain-text article in the layout of an op-ed page saved as text:
//
//   [Title: / Date: / Author: / Source: / URL: / ID: / Language: header lines, then a blank line]
//   headline
//   [the headline again]
//   body paragraphs, one per line (blank lines between them are optional)
//   [a pull quote: a body sentence repeated on its own line near the end]
//   [the author's name alone on a line, optionally "By NAME"]
//   [a bio line starting with a bullet: "  • NAME is a fellow at ..."]
//   [Disclaimer: Views expressed by writers ...]
//
// Title = the headline; author = the byline, else the NAME of "• NAME is/was
// ..." in the bio lines (pages saved from news sites often have no byline of
// their own); body = the paragraphs without the
// repeated headline, pull quote, byline, bio and disclaimer. Header lines
// override what the layout gives. A file with just a headline and paragraphs
// reads as such. Not for JSON Lines (jsonl_reader.hpp) or for decoding bytes
// (text_decoder.hpp): the input here is already UTF-8.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pundit/article.hpp"
#include "pundit/diagnostic.hpp"

namespace pundit {

struct TextArticle {
    std::optional<Article> article; // nullopt when the file cannot be an article
    std::vector<Diagnostic> diagnostics;
    // Which layout elements were recognised (for tests and --verbose).
    bool repeated_headline = false;
    bool pull_quote = false;
    bool byline = false;
    bool bio = false;
    bool bio_byline = false; // no byline: the author was taken from the bio
    bool disclaimer = false;
};

// `path` is used for diagnostics and Article::origin_path only; the id is
// left empty unless an "ID:" header gives one (the caller derives it).
TextArticle read_text_article(std::string_view text, const std::string& path);

// A pull quote or byline is only looked for among this many paragraphs at the
// end of the body: it sits near the end of the page.
inline constexpr std::size_t kPullQuoteWindow = 3;
// A pull quote shorter than this is too likely to be a coincidental repeat
// ("Thank you.") to be removed from the body.
inline constexpr std::size_t kMinPullQuoteBytes = 24;
// A byline is a short line: at most this many words and bytes.
inline constexpr std::size_t kMaxBylineWords = 6;
inline constexpr std::size_t kMaxBylineBytes = 60;

} // namespace pundit
