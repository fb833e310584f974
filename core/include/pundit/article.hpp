// The plain record that flows from the readers to the document builder, and
// back out of the index for display. Fields hold the original text exactly as
// read (after decoding to UTF-8); normalisation happens later, in one place.
#pragma once

#include <array>
#include <cstddef>
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
};

inline constexpr std::array<ArticleField, 8> kArticleFields{{
    {"id", &Article::id},
    {"title", &Article::title},
    {"body", &Article::body},
    {"author", &Article::author},
    {"date", &Article::date},
    {"source", &Article::source},
    {"url", &Article::url},
    {"language", &Article::language},
}};

// False when `text` shows nothing: it holds only white space, control and
// format characters and default-ignorable code points (zero-width spaces and
// joiners, soft hyphens, byte order marks, fillers). Such a title or body is
// an empty one.
bool has_visible_text(std::string_view text);

} // namespace pundit
