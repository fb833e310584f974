#include "pundit/searcher.hpp"

#include "pundit/date.hpp"
#include "pundit/document_builder.hpp"
#include "pundit/error.hpp"
#include "pundit/index.hpp"
#include "pundit/schema.hpp"

namespace pundit {
namespace {

// An indexer committing while we read can invalidate what we hold; reopen
// and try again this many times.
constexpr int kModifiedRetries = 3;

// Date keys for undated articles, so that they come last in both date orders.
const std::string kAfterAllDates = "99999999";
const std::string kBeforeAllDates = "00000000";

} // namespace

Searcher::Searcher(const std::string& path) : m_path(path), m_db(open_index_for_reading(path)) {}

SearchResults Searcher::search(const QuerySpec& spec) {
    for (int attempt = 0;; ++attempt) {
        try {
            return run(spec);
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt == kModifiedRetries) {
                throw Error(ErrorKind::index, "the index at '" + m_path + "' kept changing during the search; try again");
            }
            m_db.reopen();
        } catch (const Xapian::Error& e) {
            throw Error(ErrorKind::index, "search failed on '" + m_path + "': " + e.get_description());
        }
    }
}

SearchResults Searcher::run(const QuerySpec& spec) {
    QueryBuilder builder(m_db);
    Xapian::Query query = builder.build(spec);

    Xapian::Enquire enquire(m_db);
    enquire.set_query(query);
    Xapian::MultiValueKeyMaker by_date;
    if (spec.sort == SortOrder::newest) {
        by_date.add_value(schema::kDateSlot, true, kBeforeAllDates);
        enquire.set_sort_by_key_then_relevance(&by_date, false);
    } else if (spec.sort == SortOrder::oldest) {
        by_date.add_value(schema::kDateSlot, false, kAfterAllDates);
        enquire.set_sort_by_key_then_relevance(&by_date, false);
    }
    Xapian::MSet mset = enquire.get_mset(spec.offset, spec.limit, kExactTotalUpTo);

    SearchResults results;
    results.query = spec.query;
    results.offset = spec.offset;
    results.limit = spec.limit;
    results.total = mset.get_matches_estimated();
    results.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();

    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Hit hit;
        hit.rank = it.get_rank() + 1; // get_rank() counts from the first match, not the page
        hit.score = it.get_weight();
        hit.article = deserialise_article(it.get_document().get_data());
        std::vector<std::string> terms(enquire.get_matching_terms_begin(it), enquire.get_matching_terms_end(it));
        Highlighter highlighter(terms);
        hit.title = highlighter.mark(hit.article.title);
        hit.snippet = highlighter.snippet(hit.article.body);
        results.hits.push_back(std::move(hit));
    }
    return results;
}

std::optional<Article> Searcher::find(const std::string& id) {
    const std::string term = std::string(schema::kIdPrefix) + id;
    try {
        Xapian::PostingIterator it = m_db.postlist_begin(term);
        if (it == m_db.postlist_end(term)) return std::nullopt;
        return deserialise_article(m_db.get_document(*it).get_data());
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::index, "cannot read '" + m_path + "': " + e.get_description());
    }
}

} // namespace pundit
