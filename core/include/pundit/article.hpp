// The plain record that flows from the readers to the document builder, and
// back out of the index for display. Fields hold the original text as read
// (after decoding to UTF-8), except that one-line fields are folded to one
// line when they are read (fold_to_one_line); normalisation happens later, in
// one place.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pundit/entity.hpp"

namespace pundit {

struct Article {
    std::string id;       // stable identifier, unique within an index
    std::string title;
    std::string body;     // paragraphs separated by blank lines
    std::string author;   // may be empty
    std::string date;     // "YYYY-MM-DD", or empty when unknown
    std::string source;   // publication name; may be empty
    std::string url;      // may be empty
    std::string language; // BCP 47 tag such as "en", "ru", "zh"; may be empty
    // The input gave no headline: `title` is made from the opening words of
    // the body (derive_headline) and stands in for one in lists, but is not
    // indexed as a headline.
    bool title_derived = false;

    // Leaders, countries and organisations found in the article, most
    // mentioned first within each kind. Filled by the document builder, not
    // by the readers.
    std::vector<EntityTag> entities;

    // Where the record came from, for diagnostics: the file and the line at
    // which the record starts (1-based).
    std::string origin_path;
    std::size_t origin_line = 0;
};

// The stored fields, by the names JSON input, stored data and --json output
// use, in a fixed order. Code that handles "every field" iterates this table.
struct ArticleField {
    const char* name;
    std::string Article::*member;
    // A line of text, printed as one (a header line when an article is shown
    // as text): every field but the body.
    bool one_line;
};

inline constexpr std::array<ArticleField, 8> kArticleFields{{
    {"id", &Article::id, true},
    {"title", &Article::title, true},
    {"body", &Article::body, false},
    {"author", &Article::author, true},
    {"date", &Article::date, true},
    {"source", &Article::source, true},
    {"url", &Article::url, true},
    {"language", &Article::language, true},
}};

// `text` (UTF-8) on one line: every run of line or paragraph separators and
// control characters (\n, \r, \t, \v, \f, U+0085, U+2028, U+2029, any other
// C0 or C1 control), with the white space around it, becomes one space, and
// white space and controls are trimmed from both ends. Other runs of white
// space are kept as they are.
std::string fold_to_one_line(std::string_view text);

// The first line break or control character in `text` (one that
// fold_to_one_line would fold), if any.
std::optional<char32_t> first_line_break_or_control(std::string_view text);

// False when `text` shows nothing: it holds only white space, control and
// format characters and default-ignorable code points (zero-width spaces and
// joiners, soft hyphens, byte order marks, fillers). Such a title or body is
// an empty one.
bool has_visible_text(std::string_view text);

// A headline for an article that has none: the opening words of `body`
// (UTF-8), on one line, up to the end of its first paragraph or sentence or
// kDerivedHeadlineWords words or kDerivedHeadlineBytes bytes, whichever
// comes first, with "…" when the sentence goes on. Empty when the body shows
// nothing.
std::string derive_headline(std::string_view body);

inline constexpr std::size_t kDerivedHeadlineWords = 12;
inline constexpr std::size_t kDerivedHeadlineBytes = 100;

// "U+000A": how diagnostics name a character.
std::string code_point_name(char32_t c);

} // namespace pundit
