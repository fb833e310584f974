// How search results and stored articles look: the terminal format (with or
// without colour) and the JSON format described in man/pundit-json.5.in
// (kJsonFormatVersion). Text from the index is printed through
// sanitise_for_terminal (text_format.hpp): control characters in caret
// notation, one-line fields on one line; JSON escapes every control
// character. Not for deciding whether to colour (the binary decides from
// --color, NO_COLOR and isatty).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

#include "pundit/article.hpp"
#include "pundit/searcher.hpp"

namespace pundit {

inline constexpr int kJsonFormatVersion = 1;

struct TextStyle {
    bool colour = false;
    // Width of the terminal in character cells, for the timeline's bars.
    std::size_t columns = 80;
};

void print_results_text(const SearchResults& results, const TextStyle& style, std::ostream& out);
void print_results_json(const SearchResults& results, std::ostream& out);

// The whole stored article: header lines ("Title: ...") then the body, a form
// `indexer add` reads back as the same article. Line breaks in a header field
// are printed as spaces, so that each field stays one header line.
void print_article_text(const Article& article, std::ostream& out);
void print_article_json(const Article& article, std::ostream& out);

// One line for `indexer tag`: {"id":...,"title":...,"date":...,"leaders":[{"id":...,
// "name":...,"count":N,"main":bool}],"countries":[...],"organisations":[...]}.
void print_entities_json(const Article& article, std::ostream& out);

} // namespace pundit
