// Finds what an article says about its own writers rather than its subject,
// for the entity extractor: a byline paragraph at the top or the bottom of the
// body ("By Jennifer Smith"), a bio paragraph at the end ("Mr. Phillips is
// Director of the Program on ..."), the credit of a piece cited in the body
// ("... museum," by The Wall Street Journal's Jennifer Smith:"), and the
// names of the writers these give, with the article's author field. A writer
// who shares a leader's name is not a mention of that leader. Layout only: no
// gazetteer, no normalisation. Text files whose layout text_reader.hpp
// recognises arrive with byline and bio already taken out of the body; this
// is for bodies that still hold them (JSON Lines, plain headline-and-body
// files). Internal to the core library.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pundit {

struct WriterText {
    // Byte ranges [begin, end) of the body that speak of writers: no name in
    // them is a mention.
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    // The writers' names as written ("David L. Phillips", "Phillips" from
    // "Mr. Phillips is ..."), the author field first when given.
    std::vector<std::string> names;

    bool covers(std::size_t byte) const {
        for (const auto& [begin, end] : spans) {
            if (begin <= byte && byte < end) return true;
        }
        return false;
    }
};

// `body`: paragraphs separated by line breaks; `author`: the article's author
// field, may be empty.
WriterText find_writer_text(std::string_view body, const std::string& author);

// A bio is one of this many last paragraphs of the body.
inline constexpr std::size_t kBioParagraphs = 2;
// A bio paragraph is at most this long: a sentence or three.
inline constexpr std::size_t kMaxBioBytes = 400;
// A bio names the writer's trade within this many words of its verb ("is a
// senior fellow at", "is co-author of").
inline constexpr std::size_t kBioRoleWindow = 5;
// A byline paragraph is at most this long ("By Jo Twist and Ian Hardy, BBC
// News").
inline constexpr std::size_t kMaxBylineParagraphBytes = 80;
// A writer's name is at most this many words ("Mary Anne van der Berg").
inline constexpr std::size_t kMaxWriterNameWords = 5;

} // namespace pundit
