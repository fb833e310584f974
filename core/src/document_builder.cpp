#include "pundit/document_builder.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include <nlohmann/json.hpp>
#include <xxhash.h>

#include "pundit/date.hpp"
#include "pundit/error.hpp"
#include "pundit/language.hpp"
#include "pundit/schema.hpp"
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

// Date keys that put undated articles after every real date in ascending
// order, and before every real date in ascending order (so last when
// reversed).
constexpr std::string_view kUndatedLast = "99999999";
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
        bool stem = should_stem(token.text);
        std::string stemmed = stem ? m_stemmer(token.text) : std::string();
        if (!prefix.empty()) {
            doc.add_posting(prefix + token.text, pos);
            if (!stemmed.empty()) doc.add_term(stem_prefix + stemmed);
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

    m_title_tokens.clear();
    m_normaliser.tokenise(article.title, m_title_tokens);
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

    if (m_extractor) {
        article.entities = m_extractor->extract(article.title, m_title_tokens, article.body, m_body_tokens,
                                                article.date);
    }
    std::array<std::vector<std::string>, 3> names;
    for (const EntityTag& tag : article.entities) {
        auto kind = static_cast<std::size_t>(tag.kind);
        // Boolean (wdf 0): tags must not lengthen the document for BM25; the
        // mention count is kept in the stored data.
        doc.add_boolean_term(std::string(schema::kEntityPrefixes[kind]) + tag.id);
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
        doc.add_value(schema::kYearSlot, article.date.substr(0, 4));
    }
    doc.add_value(schema::kHashSlot, built.hash);
    const std::string day = article.date.empty() ? std::string() : date_to_value(article.date);
    doc.add_value(schema::kOldestKeySlot, (day.empty() ? std::string(kUndatedLast) : day) + article.id);
    doc.add_value(schema::kNewestKeySlot, (day.empty() ? std::string(kUndatedFirst) : day) + article.id);
    doc.set_data(serialise_article(article));
    return built;
}

void DocumentBuilder::complete(Article& article) {
    if (article.language.empty()) article.language = guess_language(article.title + "\n" + article.body);
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
    feed(gazetteer_version());
    for (const ArticleField& field : kArticleFields) feed(article.*field.member);
    XXH64_hash_t hash = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

std::string serialise_article(const Article& article) {
    nlohmann::json j = nlohmann::json::object();
    for (const ArticleField& field : kArticleFields) j[field.name] = article.*field.member;
    // Compact rows [kind, id, name, mentions, main (0/1)]: every article
    // carries several, and key names would be most of their size.
    nlohmann::json entities = nlohmann::json::array();
    for (const EntityTag& tag : article.entities) {
        entities.push_back(nlohmann::json::array(
            {entity_kind_name(tag.kind), tag.id, tag.name, tag.count, tag.main ? 1 : 0}));
    }
    j["entities"] = std::move(entities);
    // Stored text came through the UTF-8 check of the readers; replace rather
    // than throw if anything slipped through.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Article deserialise_article(const std::string& data) {
    Article article;
    nlohmann::json j = nlohmann::json::parse(data, nullptr, false);
    if (!j.is_object()) throw Error(ErrorKind::index, "stored article data is not valid JSON");
    for (const ArticleField& field : kArticleFields) {
        if (auto it = j.find(field.name); it != j.end() && it->is_string()) {
            article.*field.member = it->get<std::string>();
        }
    }
    if (auto it = j.find("entities"); it != j.end() && it->is_array()) {
        for (const auto& e : *it) {
            if (!e.is_array() || e.size() != 5 || !e[0].is_string() || !e[1].is_string() || !e[2].is_string() ||
                !e[3].is_number_unsigned() || !e[4].is_number_integer()) {
                throw Error(ErrorKind::index, "stored entity tags are malformed");
            }
            EntityTag tag;
            tag.kind = parse_entity_kind(e[0].get<std::string>());
            tag.id = e[1].get<std::string>();
            tag.name = e[2].get<std::string>();
            tag.count = e[3].get<unsigned>();
            tag.main = e[4].get<int>() != 0;
            article.entities.push_back(std::move(tag));
        }
    }
    return article;
}

} // namespace pundit
