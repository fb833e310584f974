#include "pundit/similar.hpp"

#include <algorithm>
#include <unordered_set>

#include "pundit/query_builder.hpp"
#include "pundit/schema.hpp"

namespace pundit {
namespace {

class SimilarityDecider : public Xapian::ExpandDecider {
public:
    explicit SimilarityDecider(const Xapian::Database& db) : m_db(db) {}
    // A word only this article has cannot find another one (and with one
    // article as the relevant set, the expansion weight favours exactly
    // those words).
    bool operator()(const std::string& term) const override {
        return is_similarity_term(term) && m_db.get_termfreq(term) > 1;
    }

private:
    const Xapian::Database& m_db;
};

} // namespace

bool is_similarity_term(const std::string& term) {
    const std::string_view stem_prefix = schema::kStemPrefix;
    if (!term.starts_with(stem_prefix)) return false;
    const std::string word = term.substr(stem_prefix.size());
    // A field's stems carry the field prefix after the Z ("ZSputin").
    if (word.size() < 2 || schema::is_prefixed(word)) return false;
    static const std::unordered_set<std::string> kStopwords(query_stopwords().begin(), query_stopwords().end());
    return kStopwords.count(word) == 0;
}

std::vector<std::string> similarity_terms(const Xapian::Database& db, Xapian::docid did) {
    Xapian::RSet rset;
    rset.add_document(did);
    Xapian::Enquire enquire(db);
    SimilarityDecider decider(db);
    // Exact term frequencies: by default Xapian approximates them over
    // several databases, and a sharded index would pick other terms.
    Xapian::ESet eset = enquire.get_eset(kSimilarTerms, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
    return std::vector<std::string>(eset.begin(), eset.end());
}

std::optional<Xapian::Query> similar_query(const Xapian::Database& db, const std::string& id) {
    const std::string id_term = std::string(schema::kIdPrefix) + id;
    Xapian::PostingIterator it = db.postlist_begin(id_term);
    if (it == db.postlist_end(id_term)) return std::nullopt;
    const std::vector<std::string> terms = similarity_terms(db, *it);
    // An article with no words to go by is like no other.
    if (terms.empty()) return Xapian::Query::MatchNothing;
    Xapian::Query like(Xapian::Query::OP_OR, terms.begin(), terms.end());
    return Xapian::Query(Xapian::Query::OP_AND_NOT, like, Xapian::Query(id_term));
}

} // namespace pundit
