// Turns an Article into the Xapian document the index stores: terms for each
// text field (schema.hpp), the entity tags found by the extractor, boolean
// filter terms, value slots and the stored article. This is where normalised
// tokens become postings. Not for writing to a database (index_writer.hpp).
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "pundit/article.hpp"
#include "pundit/entity_extractor.hpp"
#include "pundit/normaliser.hpp"
#include "pundit/spelling.hpp"
#include "pundit/stored_article.hpp" // the data it stores

namespace pundit {

struct BuiltDocument {
    std::string id;
    std::string hash; // content hash: equal hashes mean an unchanged article
    Xapian::Document document;
};

class DocumentBuilder {
public:
    // With a gazetteer, articles are tagged with the entities they discuss;
    // without one (indexer add --no-entities), they are not.
    explicit DocumentBuilder(std::shared_ptr<const Gazetteer> gazetteer = nullptr);

    // Fills in what the builder derives from the article itself before
    // hashing (today: the language, guessed when empty).
    static void complete(Article& article);

    // The hash of every stored field, the schema version, the document
    // revision and the gazetteer version: XXH3-64 as 8 bytes. Call
    // complete() first.
    std::string content_hash(const Article& article) const;

    // Builds the document (completing the article first). Pass the article
    // with std::move where it is no longer needed: bodies can be large.
    BuiltDocument build(Article article);
    // The same, for an article already completed whose content_hash() the
    // caller has computed (the ingest computes it to skip unchanged ones).
    BuiltDocument build(Article article, std::string hash);

    // The gazetteer version used for tagging ("" without a gazetteer).
    std::string gazetteer_version() const;

    // Counts the normalised words of the headlines and bodies built from now
    // on into `words`, once per article (nullptr stops), for the spelling
    // table: the ingest adds them to the index once per commit.
    void count_spelling_words(SpellingWords* words) { m_spelling_words = words; }

private:
    void index_field(Xapian::Document& doc, std::size_t field, const std::vector<Token>& tokens,
                     Xapian::termpos& pos);

    Normaliser m_normaliser;
    Xapian::Stem m_stemmer;
    std::optional<EntityExtractor> m_extractor;
    std::vector<Token> m_title_tokens, m_body_tokens, m_tokens; // reused between documents
    SpellingWords* m_spelling_words = nullptr;
};

// The fingerprint of an article's body, from its normalised words
// (Normaliser::tokenise): XXH3-64 as 8 bytes, the value of
// schema::kFingerprintSlot. Articles whose bodies differ only in case,
// accents, punctuation or spacing share it; the headline is left out, as a
// wire story keeps its body under each paper's own headline (35 of the 138
// identical BBC bodies have two headlines).
std::string fingerprint(const std::vector<Token>& body);

// Longest id accepted, in bytes: ids become Xapian terms, which are limited
// to 245 bytes including the prefix.
inline constexpr std::size_t kMaxIdBytes = 200;
// Boolean terms made from free text (author, source) are cut to this length.
inline constexpr std::size_t kMaxBooleanTermBytes = 200;

} // namespace pundit
