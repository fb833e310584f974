// The stored form of an article, the document data both sides of the index
// share: the writer stores it (document_builder.hpp), readers decode it
// (searcher, paging, maintenance) without pulling in the writer's stack. And
// the date key that orders ties, which is read back from the stored article.
// Not for building Xapian documents nor for printing articles.
#pragma once

#include <string>

#include "pundit/article.hpp"

namespace pundit {

// The value of schema::kOldestKeySlot for an article: its date, then its
// id, undated articles last. Orders ties in relevance the same way whatever
// the sharding.
std::string oldest_first_key(const Article& article);
// The article id in such a key.
std::string id_of_oldest_first_key(const std::string& key);

// The stored form of an article (document data), entities included, and back:
// length-prefixed binary fields, which a result list decodes in a fraction of
// the time JSON took (the format is covered by the schema version).
// deserialise_article throws Error(index) on damaged data.
std::string serialise_article(const Article& article);
Article deserialise_article(const std::string& data);

} // namespace pundit
