// The stemmer used on both sides of the index: English Snowball for Latin
// script words, Russian Snowball for Cyrillic, and no stemming for scripts
// without a Snowball stemmer (Chinese, Japanese, ...). It chooses by the
// script of each word, so the query parser, which knows nothing of an
// article's language, stems a query word exactly as the indexer did.
#pragma once

#include <xapian.h>

namespace pundit {

Xapian::Stem make_stemmer();

// Xapian's rule for which words get a stemmed "Z" term (STEM_SOME): words
// that start with a lower-case, title-case, modifier or other letter. Numbers
// are not stemmed. Mirrored here so the indexer agrees with the QueryParser.
bool should_stem(const std::string& word);

} // namespace pundit
