// How far a typed name or value is from one the gazetteer or the index
// holds: the one edit distance behind the "did you mean" of entity filters
// (Gazetteer::suggest) and of --author and --source (field_values.hpp). Not
// for query words, which Xapian's spelling table corrects (spelling.hpp).
#pragma once

#include <cstddef>
#include <string_view>

namespace pundit {

// Byte-wise edit distance: insertions, deletions, substitutions and swaps of
// two neighbours count one each (the optimal string alignment distance), as
// a swap is the commonest of typos: "guardain" for "guardian" and "ptuin"
// for "putin" are one edit each, not two.
std::size_t edit_distance(std::string_view a, std::string_view b);

} // namespace pundit
