// "More like this": the query for articles similar to a stored one, from
// the article's most telling words (Xapian's relevance feedback: an RSet of
// the one article and Enquire::get_eset). Not for running the query
// (searcher.hpp) or for the filters combined with it (query_builder.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

namespace pundit {

// Expansion terms taken from the article. An op-ed's distinctive vocabulary
// (names, places, the subject's own words) fits in a few dozen terms; more
// add the common words of its genre and slow the match down.
inline constexpr Xapian::termcount kSimilarTerms = 30;

// Whether an expansion term may describe an article: a stemmed word of the
// general text (schema::kStemPrefix and a word, "Zsanction"), not a field
// or boolean term (the id, the language, entity tags, headline or author
// terms, which the general text repeats anyway) and not a stopword or a
// one-letter word. Entity tags are left out: they are boolean terms with no
// within-document frequency to weigh, and the names they stand for are
// words of the text, which count already.
bool is_similarity_term(const std::string& term);

// The query for articles like the one stored with `id`: its kSimilarTerms
// best expansion terms ORed together, the article itself excluded. Empty
// (std::nullopt) when the index holds no such article. Xapian errors pass
// through (the caller turns them into Error with context).
std::optional<Xapian::Query> similar_query(const Xapian::Database& db, const std::string& id);

// The terms of similar_query's query, best first (for tests and for
// explaining a result).
std::vector<std::string> similarity_terms(const Xapian::Database& db, Xapian::docid did);

} // namespace pundit
