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

// True when the word's first letter has a capital form ("putin", "путин";
// not "习近平"). Under STEM_SOME the query parser leaves a word that starts
// with a capital unstemmed: the query builder capitalises the words of
// unstemmed fields (schema::TextField::stemmed) to get their exact terms,
// which only works for these words.
bool has_capital(const std::string& word);

// The word with its first letter capitalised (the word itself when
// !has_capital(word)).
std::string capitalise(const std::string& word);

} // namespace pundit
