// Turns an Article into the Xapian document the index stores: terms for each
// text field (schema.hpp), boolean filter terms, value slots and the stored
// article. This is where normalised tokens become postings. Not for writing
// to a database (index_writer.hpp).
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "pundit/article.hpp"
#include "pundit/normaliser.hpp"

namespace pundit {

struct BuiltDocument {
    std::string id;
    std::string hash; // content hash: equal hashes mean an unchanged article
    Xapian::Document document;
};

class DocumentBuilder {
public:
    DocumentBuilder();

    // Fills in what the builder derives from the article itself (today: the
    // language, guessed when empty), so that content_hash() sees the stored form.
    static void complete(Article& article);

    // Builds the document (completing a copy of the article first).
    BuiltDocument build(const Article& article);

    // The hash of every stored field and the schema version, as 16 hex digits.
    static std::string content_hash(const Article& article);

private:
    void index_field(Xapian::Document& doc, std::size_t field, const std::string& text,
                     Xapian::termpos& pos);

    Normaliser m_normaliser;
    Xapian::Stem m_stemmer;
    std::vector<Token> m_tokens; // reused between documents
};

// The stored form of an article (document data) and back.
std::string serialise_article(const Article& article);
Article deserialise_article(const std::string& data);

// Longest id accepted, in bytes: ids become Xapian terms, which are limited
// to 245 bytes including the prefix.
inline constexpr std::size_t kMaxIdBytes = 200;
// Boolean terms made from free text (author, source) are cut to this length.
inline constexpr std::size_t kMaxBooleanTermBytes = 200;

} // namespace pundit
