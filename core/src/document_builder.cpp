#include "pundit/document_builder.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <limits>

#include <xxhash.h>

#include "pundit/date.hpp"
#include "pundit/error.hpp"
#include "pundit/language.hpp"
#include "pundit/schema.hpp"
#include "pundit/stored_article.hpp"
#include "pundit/stemmer.hpp"

namespace pundit {
namespace {

std::string cut_utf8(std::string s, std::size_t max_bytes) {
    if (s.size() <= max_bytes) return s;
    std::size_t n = max_bytes;
    // Never cut inside a multi-byte character.
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xc0u) == 0x80u) --n;
    s.resize(n);
    return s;
}

// The date key that puts undated articles before every real date in
// ascending order (so last when reversed); oldest_first_key puts them last.
constexpr std::string_view kUndatedFirst = "00000000";

} // namespace

DocumentBuilder::DocumentBuilder(std::shared_ptr<const Gazetteer> gazetteer) : m_stemmer(make_stemmer()) {
    if (gazetteer) m_extractor.emplace(std::move(gazetteer));
}

std::string DocumentBuilder::gazetteer_version() const {
    return m_extractor ? m_extractor->gazetteer().version() : std::string();
}

void DocumentBuilder::index_field(Xapian::Document& doc, std::size_t field, const std::vector<Token>& tokens,
                                  Xapian::termpos& pos) {
    const schema::TextField& spec = schema::kTextFields[field];
    const std::string prefix(spec.prefix);
    const std::string stem_prefix = std::string(schema::kStemPrefix) + prefix;
    for (const Token& token : tokens) {
        ++pos;
        // Snowball every time: a cache of the stems seen (200,000 words per
        // writer) made a 10^5 import 5% slower in CPU and 24 MB bigger.
        const std::string stemmed = should_stem(token.text) ? m_stemmer(token.text) : std::string();
        if (!prefix.empty()) {
            const bool stem_term =
                !stemmed.empty() && (spec.stems == schema::FieldStems::terms || !has_capital(token.text));
            // A headline word whose stem is looked up, not indexed, counts
            // twice under its field, as the word and its stem term did: the
            // documents' lengths, and so the weights of every search, stay
            // as they were (with the word once, CACM's MAP in
            // scripts/eval-ranking fell from 0.3500 to 0.3475).
            const Xapian::termcount field_wdf =
                spec.stems == schema::FieldStems::vocabulary && !stemmed.empty() && !stem_term ? 2 : 1;
            if (spec.positions) doc.add_posting(prefix + token.text, pos, field_wdf);
            else doc.add_term(prefix + token.text, field_wdf);
            if (stem_term) doc.add_term(stem_prefix + stemmed);
        }
        if (spec.general_wdf > 0) {
            doc.add_posting(token.text, pos, spec.general_wdf);
            if (!stemmed.empty()) {
                doc.add_term(std::string(schema::kStemPrefix) + stemmed, spec.general_wdf);
            }
        }
    }
    pos += schema::kFieldGap;
}

BuiltDocument DocumentBuilder::build(Article article) {
    complete(article);
    std::string hash = content_hash(article);
    return build(std::move(article), std::move(hash));
}

BuiltDocument DocumentBuilder::build(Article article, std::string hash) {
    if (article.id.empty()) throw Error(ErrorKind::internal, "article without an id");
    if (article.id.size() > kMaxIdBytes) {
        throw Error(ErrorKind::input, "id is longer than " + std::to_string(kMaxIdBytes) + " bytes");
    }
    BuiltDocument built;
    built.id = article.id;
    built.hash = std::move(hash);
    Xapian::Document& doc = built.document;

    // A headline made from the body is not one: its words are the body's,
    // and weighting or tagging them twice would favour them.
    const std::string& headline = article.title_derived ? std::string() : article.title;
    m_title_tokens.clear();
    m_normaliser.tokenise(headline, m_title_tokens);
    m_body_tokens.clear();
    m_normaliser.tokenise(article.body, m_body_tokens);
    Xapian::termpos pos = 0;
    index_field(doc, schema::kTitleField, m_title_tokens, pos);
    index_field(doc, schema::kBodyField, m_body_tokens, pos);
    for (auto [field, text] : {std::pair{schema::kAuthorField, &article.author},
                               std::pair{schema::kSourceField, &article.source}}) {
        m_tokens.clear();
        m_normaliser.tokenise(*text, m_tokens);
        index_field(doc, field, m_tokens, pos);
    }

    // The general text's words (its unprefixed terms, each once) feed the
    // spelling table: counted per article, as add_index_words counts them.
    if (m_spelling_words) {
        for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
            const std::string& word = *term;
            if (word >= schema::kFirstSpellingTerm) ++(*m_spelling_words)[word];
        }
    }

    if (m_extractor) {
        article.entities = m_extractor->extract(headline, m_title_tokens, article.body, m_body_tokens,
                                                article.date, article.author);
    }
    std::array<std::vector<std::string>, 3> names;
    for (const EntityTag& tag : article.entities) {
        auto kind = static_cast<std::size_t>(tag.kind);
        // Boolean (wdf 0): tags must not lengthen the document for the weighting; the
        // mention count is kept in the stored data.
        doc.add_boolean_term(std::string(schema::kEntityPrefixes[kind]) + tag.id);
        doc.add_boolean_term(schema::prominence_term(kind, schema::prominence_level(tag.count, tag.main), tag.id));
        names[kind].push_back(tag.name);
    }
    for (std::size_t kind = 0; kind < names.size(); ++kind) {
        if (names[kind].empty()) continue;
        // Sorted, so that articles about the same set share one value.
        std::sort(names[kind].begin(), names[kind].end());
        std::string joined;
        for (const std::string& name : names[kind]) {
            if (!joined.empty()) joined.push_back(schema::kFacetSeparator);
            joined += name;
        }
        doc.add_value(schema::kEntitySlots[kind], joined);
    }

    doc.add_boolean_term(std::string(schema::kIdPrefix) + article.id);
    if (!article.author.empty()) doc.add_value(schema::kAuthorSlot, article.author);
    if (!article.source.empty()) doc.add_value(schema::kSourceSlot, article.source);
    if (!article.language.empty()) {
        doc.add_boolean_term(cut_utf8(std::string(schema::kLanguagePrefix) + article.language,
                                      kMaxBooleanTermBytes));
    }
    if (!article.date.empty()) {
        doc.add_value(schema::kDateSlot, date_to_value(article.date));
    }
    doc.add_value(schema::kHashSlot, built.hash);
    const std::string print = m_body_tokens.empty() ? built.hash : fingerprint(m_body_tokens);
    doc.add_value(schema::kFingerprintSlot, print);
    doc.add_boolean_term(schema::fingerprint_term(print));
    doc.add_boolean_term(std::string(schema::kFingerprintMarker));
    doc.add_value(schema::kOldestKeySlot, oldest_first_key(article));
    const std::string day = article.date.empty() ? std::string() : date_to_value(article.date);
    doc.add_value(schema::kNewestKeySlot, (day.empty() ? std::string(kUndatedFirst) : day) + article.id);
    doc.set_data(serialise_article(article));
    return built;
}

void DocumentBuilder::complete(Article& article) {
    // The guess reads the first kLanguageSampleBytes: no copy of the whole body.
    if (article.language.empty()) {
        std::string sample = article.title;
        sample += '\n';
        sample.append(article.body, 0, kLanguageSampleBytes);
        article.language = guess_language(sample);
    }
}

namespace {

// Eight bytes, most significant first: a value per article, so every byte
// counts on a large index.
std::string hash_bytes(XXH64_hash_t hash) {
    std::string bytes(8, '\0');
    for (int i = 7; i >= 0; --i, hash >>= 8) bytes[static_cast<std::size_t>(i)] = static_cast<char>(hash & 0xffu);
    return bytes;
}

} // namespace

std::string fingerprint(const std::vector<Token>& body) {
    XXH3_state_t* state = XXH3_createState();
    if (!state) throw Error(ErrorKind::internal, "out of memory");
    XXH3_64bits_reset(state);
    for (const Token& token : body) {
        // Each word with the space that ends it: no word holds a space, so
        // ("ab", "c") and ("a", "bc") differ.
        XXH3_64bits_update(state, token.text.data(), token.text.size());
        XXH3_64bits_update(state, " ", 1);
    }
    const XXH64_hash_t hash = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    return hash_bytes(hash);
}

std::string DocumentBuilder::content_hash(const Article& article) const {
    XXH3_state_t* state = XXH3_createState();
    if (!state) throw Error(ErrorKind::internal, "out of memory");
    XXH3_64bits_reset(state);
    auto feed = [&](const std::string& s) {
        // Length-prefixed, so that ("ab","c") and ("a","bc") differ.
        std::uint64_t n = s.size();
        XXH3_64bits_update(state, &n, sizeof n);
        XXH3_64bits_update(state, s.data(), s.size());
    };
    feed(std::to_string(schema::kVersion));
    feed(std::to_string(schema::kDocumentRevision));
    feed(gazetteer_version());
    for (const ArticleField& field : kArticleFields) feed(article.*field.member);
    // Only when set, so that the hashes of other articles stay as they were.
    if (article.title_derived) feed("title derived");
    XXH64_hash_t hash = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    return hash_bytes(hash);
}

} // namespace pundit
