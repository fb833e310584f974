#include "pundit/searcher.hpp"

#include <map>
#include <memory>

#include "pundit/date.hpp"
#include "pundit/document_builder.hpp"
#include "pundit/error.hpp"
#include "pundit/index.hpp"
#include "pundit/schema.hpp"

namespace pundit {
namespace {

// An indexer committing while we read can invalidate what we hold; reopen
// and try again this many times.
constexpr int kModifiedRetries = 10;


// Whether the query has leader, country or organisation terms.
bool filters_by_entity(const Xapian::Query& query) {
    for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
        for (std::string_view prefix : schema::kEntityPrefixes) {
            if ((*it).starts_with(prefix)) return true;
        }
    }
    return false;
}

} // namespace

const std::vector<std::string>& facet_names() {
    static const std::vector<std::string> kNames{"leader", "country", "org", "author", "source", "year"};
    return kNames;
}

Searcher::Searcher(const std::string& path, GazetteerSource gazetteer, const OpenOptions& options)
    : m_path(path), m_db(open_index_for_reading(path, options, &m_report)) {
    // Load the gazetteer at most once, however many searches need it.
    if (gazetteer) {
        m_gazetteer = [this, source = std::move(gazetteer)] {
            if (!m_loaded_gazetteer) m_loaded_gazetteer = source();
            return m_loaded_gazetteer;
        };
    }
}

Xapian::valueno Searcher::facet_slot(const std::string& facet) {
    if (facet == "author") return schema::kAuthorSlot;
    if (facet == "source") return schema::kSourceSlot;
    if (facet == "year") return schema::kYearSlot;
    if (facet != "leader" && facet != "country" && facet != "org") {
        throw Error(ErrorKind::query, "unknown facet '" + facet + "' (expected leader, country, org, author, source or year)");
    }
    return schema::kEntitySlots[static_cast<std::size_t>(parse_entity_kind(facet))];
}

SearchResults Searcher::search(const QuerySpec& spec) {
    for (int attempt = 0;; ++attempt) {
        try {
            // Each search sees the latest commit, however long the searcher lives.
            m_db.reopen();
            return run(spec);
        } catch (const Xapian::DatabaseModifiedError&) {
            // The revision being read was overwritten by later commits:
            // reopen (at the top) and run the search again.
            if (attempt == kModifiedRetries) {
                throw Error(ErrorKind::index, "the index at '" + m_path + "' kept changing during the search; try again");
            }
        } catch (const Xapian::NetworkError& e) {
            throw Error(ErrorKind::index, "a shard of the index at '" + m_path + "' stopped answering: " + e.get_msg());
        } catch (const Xapian::Error& e) {
            throw Error(ErrorKind::index, "search failed on '" + m_path + "': " + e.get_description());
        }
    }
}

SearchResults Searcher::run(const QuerySpec& spec) {
    if (!m_builder) m_builder = std::make_unique<QueryBuilder>(m_db, m_gazetteer);
    Xapian::Query query = m_builder->build(spec);

    Xapian::Enquire enquire(m_db);
    enquire.set_query(query);
    // k2 = 0 and k3 = 1 and min_normlen 0.5 are Xapian's defaults.
    enquire.set_weighting_scheme(Xapian::BM25Weight(kBm25K1, 0, 1, kBm25B, 0.5));

    // One stock ValueCountMatchSpy per facet (they work on remote shards
    // too). Entity facets count combinations of names, split below.
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    for (const std::string& facet : spec.facets) {
        spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(facet_slot(facet)));
        enquire.add_matchspy(spies.back().get());
    }
    // Ties go by article id, not docid, so that the order does not depend on
    // how the index is sharded. Only value-slot sorts: they work on remote
    // shards, where a KeyMaker does not.
    if (spec.sort == SortOrder::newest) {
        enquire.set_sort_by_value(schema::kNewestKeySlot, true);
    } else if (spec.sort == SortOrder::oldest) {
        enquire.set_sort_by_value(schema::kOldestKeySlot, false);
    } else {
        enquire.set_sort_by_relevance_then_value(schema::kOldestKeySlot, false);
    }
    // Spies only see the documents the matcher looks at: facets need them all.
    Xapian::doccount check_at_least =
        spec.facets.empty() ? spec.offset + spec.limit + kExactTotalUpTo : m_db.get_doccount();
    Xapian::MSet mset = enquire.get_mset(spec.offset, spec.limit, check_at_least);

    SearchResults results;
    results.query = spec.query;
    results.offset = spec.offset;
    results.limit = spec.limit;
    results.total = mset.get_matches_estimated();
    results.total_exact =
        mset.get_matches_lower_bound() == mset.get_matches_upper_bound() && m_report.missing_shards.empty();
    results.missing_shards = m_report.missing_shards;
    results.warnings = m_builder->warnings();
    if (m_loaded_gazetteer && filters_by_entity(query)) {
        // The gazetteer named the entities: it must be the one the index was tagged with.
        std::string mismatch = gazetteer_mismatch(m_path, m_report.gazetteer_versions, m_loaded_gazetteer->version());
        if (!mismatch.empty()) results.warnings.push_back(mismatch);
    }

    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Hit hit;
        hit.rank = it.get_rank() + 1; // get_rank() counts from the first match, not the page
        hit.score = it.get_weight();
        hit.article = deserialise_article(it.get_document().get_data());
        std::vector<std::string> terms(enquire.get_matching_terms_begin(it), enquire.get_matching_terms_end(it));
        Highlighter highlighter(terms, m_normaliser);
        hit.title = highlighter.mark(hit.article.title);
        hit.snippet = highlighter.snippet(hit.article.body);
        results.hits.push_back(std::move(hit));
    }

    for (std::size_t f = 0; f < spec.facets.size(); ++f) {
        std::map<std::string, Xapian::doccount> counts;
        for (auto it = spies[f]->values_begin(); it != spies[f]->values_end(); ++it) {
            const std::string value = *it;
            std::size_t start = 0;
            while (start <= value.size()) {
                std::size_t end = value.find(schema::kFacetSeparator, start);
                if (end == std::string::npos) end = value.size();
                counts[value.substr(start, end - start)] += it.get_termfreq();
                start = end + 1;
            }
        }
        Facet facet;
        facet.name = spec.facets[f];
        facet.distinct = counts.size();
        for (const auto& [value, count] : counts) facet.values.push_back(FacetValue{value, count});
        std::stable_sort(facet.values.begin(), facet.values.end(),
                         [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
        if (spec.facet_limit > 0 && facet.values.size() > spec.facet_limit) facet.values.resize(spec.facet_limit);
        results.facets.push_back(std::move(facet));
    }
    return results;
}

std::optional<Article> Searcher::find(const std::string& id) {
    const std::string term = std::string(schema::kIdPrefix) + id;
    for (int attempt = 0;; ++attempt) {
        try {
            m_db.reopen();
            Xapian::PostingIterator it = m_db.postlist_begin(term);
            if (it == m_db.postlist_end(term)) return std::nullopt;
            return deserialise_article(m_db.get_document(*it).get_data());
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt == kModifiedRetries) {
                throw Error(ErrorKind::index, "the index at '" + m_path + "' kept changing while reading '" + id +
                                                  "'; try again");
            }
        } catch (const Xapian::Error& e) {
            throw Error(ErrorKind::index, "cannot read '" + m_path + "': " + e.get_description());
        }
    }
}

} // namespace pundit
