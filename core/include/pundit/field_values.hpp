// "Did you mean" for the values of the --author and --source filters: a
// value that no article of the index has is an error that names the index's
// values closest to it, as an unknown leader's is (entity_resolution.hpp),
// instead of a search that silently finds nothing. Not for entity names
// (entity_resolution.hpp) nor for query words (spelling.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "pundit/normaliser.hpp"

namespace pundit {

// A value of a field as the index holds it (a display author or source),
// with its articles.
struct FieldValue {
    std::string value;
    Xapian::doccount articles = 0;
};

// How many values an unknown one is offered at most.
inline constexpr std::size_t kSuggestedValues = 3;

// A value at most one edit per kLettersPerValueTypo letters of the typed one
// away (at least one edit) is its typo: "guardain" for "Guardian".
inline constexpr std::size_t kLettersPerValueTypo = 5;

// The values of `values` close to `typed`, closest first, at most
// kSuggestedValues: compared as their normalised words run together, a value
// is close when the typed one is a typo of it, or of it without its first
// words ("guardain" for "The Guardian"; kLettersPerValueTypo), holds
// the same words in another order ("Kowalczyk Marta"), or when the typed one
// is a shortening of it, or of it without its first words: its letters in
// order from the first ("washpost" for "Washington Post", "nyt" for "New
// York Times", "harbpost" for "The Harbour Post"). Typos and
// reorderings come first, fewest edits first; then shortenings, most
// articles first.
std::vector<std::string> close_values(const std::string& typed, const std::vector<FieldValue>& values,
                                      Normaliser& normaliser);

// Every value of value slot `slot` in `db` with its articles (one pass over
// the index with a stock match spy: it runs on remote shards too).
std::vector<FieldValue> field_values(const Xapian::Database& db, Xapian::valueno slot);

} // namespace pundit
