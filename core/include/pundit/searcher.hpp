// Runs a QuerySpec against an index: ranking (IneB2, see kIneB2C), date
// order or prominence order (query_builder.hpp: rank_by_prominence), paging,
// the total, facets, and a snippet per hit. Also fetches one stored article by id.
// Not for parsing command lines or printing (result_printer.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "pundit/article.hpp"
#include "pundit/facet_cache.hpp"
#include "pundit/highlighter.hpp"
#include "pundit/index.hpp"
#include "pundit/query_builder.hpp"
#include "pundit/timeline.hpp"

namespace pundit {

struct Hit {
    Xapian::doccount rank = 0; // 1-based, counting from the first match
    double score = 0;
    Article article;
    Snippet title;   // the headline with matches marked
    Snippet snippet; // the best passage of the body
    // The ids of the matches identical to this one that were folded into it
    // (QuerySpec::collapse), in result order.
    std::vector<std::string> duplicates;
};

struct FacetValue {
    std::string value;
    Xapian::doccount count = 0;
};

struct Facet {
    std::string name;               // leader, country, org, author, source, year
    std::vector<FacetValue> values; // most frequent first, then by value; at most facet_limit
    std::size_t distinct = 0;       // distinct values in the whole match set
    // The entities of this facet's kind the search is filtered by (--leader,
    // --country, --org), by canonical name. Every match discusses them, so
    // they are left out of `values` and `distinct`: the facet lists what is
    // discussed together with them.
    std::vector<std::string> together_with;
    // Matches without a value: undated (year), without an author or source,
    // tagged with no entity of the kind. With the counts of every value it
    // adds up to the total (Elasticsearch's "missing" bucket); an entity
    // facet adds up to more, an article naming several.
    Xapian::doccount missing = 0;
};

// The facets a QuerySpec may ask for.
const std::vector<std::string>& facet_names();

// A corrected query worth showing ("did you mean"), with its match count.
struct Suggestion {
    std::string query; // normalised, the syntax and filters of the query kept
    Xapian::doccount total = 0;
    bool total_exact = true;
};

// The filters a search applied, as it read them, so that an answer says
// what it answers: dates as days (--since 2016 is 2016-01-01), entities by
// canonical name, the rest as given.
struct SearchFilters {
    std::optional<std::string> since; // "YYYY-MM-DD"
    std::optional<std::string> until; // "YYYY-MM-DD"
    std::vector<std::string> authors;
    std::vector<std::string> sources;
    std::vector<std::string> languages;
    // Canonical names, indexed by EntityKind (--leader, --country, --org).
    std::array<std::vector<std::string>, 3> entities;
    // Only articles added since this time (a saved search's --new-since-last).
    std::optional<std::int64_t> added_since;
};

struct SearchResults {
    std::string query;            // as given
    // The order of the hits: QuerySpec::sort, or for its default the one a
    // search without words settles on (newest or prominence).
    SortOrder sort = SortOrder::relevance;
    SearchFilters filters;
    Xapian::doccount total = 0;   // estimate when !total_exact
    // What the total is known to lie between (Xapian's bounds): equal when
    // every match was counted, which a search with limit 0 always does.
    // Over the shards reached when some are missing (total_exact is false).
    Xapian::doccount total_min = 0;
    Xapian::doccount total_max = 0;
    bool total_exact = true;
    Xapian::doccount offset = 0;
    Xapian::doccount limit = 0;
    std::vector<Hit> hits;
    std::vector<Facet> facets; // in the order asked for
    // Matches per period, when QuerySpec::timeline asks for it.
    std::optional<Timeline> timeline;
    // Shards that could not be reached (with OpenOptions::allow_partial):
    // the results are partial and the total is not exact.
    std::vector<std::string> missing_shards;
    // Things the user should know about these results (e.g. the index was
    // tagged with another gazetteer than the one the filters used).
    std::vector<std::string> warnings;
    // How the search read what the user typed: an entity filter whose name
    // several entities share, taken as the one with by far the most
    // articles (QueryBuilder::notes).
    std::vector<std::string> notes;
    // "Did you mean": offered when the query matches few articles and a
    // spelling correction matches more (spelling.hpp); never for an index
    // with remote shards, whose spelling data Xapian 1.4 cannot read.
    std::optional<Suggestion> suggestion;
    // The id given with QuerySpec::like (empty otherwise).
    std::string like;
};

// Relevance weighting: the divergence-from-randomness model IneB2 (Amati and
// van Rijsbergen: inverse expected document frequency, Bernoulli after-effect,
// length normalisation 2), with this normalisation parameter c. It needs no
// k1 and b, and on every one of the seven collections scripts/eval-ranking
// measures it ranks better than BM25 with k1 = 1.2, b = 0.75 (--any queries,
// mean MAP 0.410 against 0.392; TIME 0.669 against 0.660). c = 1 (Xapian's
// default) gives the same mean and 0.663 on TIME; 0.5 costs NPL 0.02.
inline constexpr double kIneB2C = 0.75;

// Matches are counted exactly up to this many past the page shown; beyond,
// the total is Xapian's estimate (Elasticsearch's track_total_hits does the
// same), which is exact anyway for a single word. Counting 100 more costs
// nothing measurable; 1,000 more doubled the time of a typical query on a
// 10^5-article archive (scripts/bench). Facets need every match and count
// them all anyway.
inline constexpr Xapian::doccount kExactTotalUpTo = 100;

// An --any search weighs its words' proximity (QueryBuilder::bonus) in a
// second pass over the best this many matches of the first, whichever page
// is asked for, as long as it and its tie margin fit: the first nine pages of
// ten follow each other. A deeper page weighs kRerankPerHit times as many
// matches as it and the pages before it show. In one pass, Xapian tested the
// positions of every article holding two of the words: at 10^6 articles
// 'trade AND (japan OR china)' took 460 ms instead of 90 as a searcher
// process, and the bonus matched articles the query did not ("election
// NOT trump" found Trump). Xapian 1.4 also weighed some matches of that
// one pass more when the page was smaller (--limit 10 and --limit 1000 put
// different articles first). Over the 52 benchmark questions at 10^6, the
// top 10 with a depth of 100 are those with a depth of 3,000, in the same
// order (a depth of 30 changed 2 of them).
inline constexpr Xapian::doccount kRerankDepth = 100;
// With 10, scripts/eval-ranking (depth 1000) scores each of its 590 queries
// as one pass did; with only the page and its margin (1,010 matches), 11 of
// them moved by up to 0.002 and CACM's MAP from 0.3500 to 0.3499.
inline constexpr Xapian::doccount kRerankPerHit = 10;

// a + b, or the largest count when that would wrap: the offset and limit of
// a page are what the user typed (--limit 4294967295 means "every hit"), so
// their sum and the margins added to it must not overflow to a small number.
constexpr Xapian::doccount saturating_add(Xapian::doccount a, Xapian::doccount b) {
    return a > std::numeric_limits<Xapian::doccount>::max() - b ? std::numeric_limits<Xapian::doccount>::max() : a + b;
}

class Searcher {
public:
    // Opens the index at `path` (index.hpp checks it). `gazetteer` is asked
    // for the gazetteer only when a query filters by entity.
    explicit Searcher(const std::string& path, GazetteerSource gazetteer = {}, const OpenOptions& options = {});
    Searcher(const Searcher&) = delete; // m_gazetteer refers to this object
    Searcher& operator=(const Searcher&) = delete;

    // Where --any queries get the countries' demonyms from (QueryBuilder::
    // set_country_forms_source); without one, from the whole gazetteer.
    void set_country_forms_source(CountryFormsSource source);

    SearchResults search(const QuerySpec& spec);

    // The stored article with this id, if any.
    std::optional<Article> find(const std::string& id);

    Xapian::doccount document_count() const { return m_db.get_doccount(); }

private:
    // One search's stages and what they settle (searcher.cpp).
    class Run;
    // Runs the stages of one search against m_db as it is.
    SearchResults run(const QuerySpec& spec);
    // The "did you mean" for a query that matched `total` articles.
    std::optional<Suggestion> suggest(const QuerySpec& spec, Xapian::doccount total);

    // The value slot holding a facet's values.
    static Xapian::valueno facet_slot(const std::string& facet);
    // The index's facet cache when it is up to date and holds `slots` (and
    // the date-order places when `need_order`), every section of them intact.
    const FacetCache* facet_cache(const std::vector<Xapian::valueno>& slots, bool need_order);
    // The articles dated from `low` to `high` (date values; empty:
    // unbounded), told by the facet cache's dates (DateRangeSet) when it is
    // up to date and every shard is local (QueryBuilder::set_date_filter_source).
    std::optional<Xapian::Query> cached_date_filter(const std::string& low, const std::string& high);

    // Reopens m_db (and marks the facet shards stale) when a commit may have
    // landed since it was last (re)opened, or when `force`d after an error;
    // opens the index again when its stub now lists other databases.
    void catch_up(bool force);
    // Whether every database of the index is local (m_all_local).
    void note_locality();

    std::string m_path;
    OpenOptions m_options;
    std::string m_layout; // layout_fingerprint when m_db was opened
    IndexReport m_report; // before m_db, whose opening fills it
    // The files whose fingerprint tells when to reopen (commit_files), and
    // their fingerprint taken before m_db was last (re)opened, so that a
    // commit landing meanwhile only costs one reopen too many.
    std::vector<std::string> m_commit_files;
    std::string m_fingerprint;
    Xapian::Database m_db;
    // Every database of the index is local: only then is its spelling data
    // complete (remote shards have none in Xapian 1.4).
    bool m_all_local = true;
    // Built once per searcher: ICU objects and the query parser are costly.
    Normaliser m_normaliser;
    std::unique_ptr<QueryBuilder> m_builder;
    GazetteerSource m_gazetteer;
    CountryFormsSource m_country_forms;
    // The gazetteer, once a filter has loaded it.
    std::shared_ptr<const Gazetteer> m_loaded_gazetteer;
    // The facet cache as last opened, and the shard states it was opened for.
    std::unique_ptr<FacetCache> m_facet_cache;
    std::vector<ShardState> m_facet_cache_states;
    std::vector<Xapian::Database> m_facet_shards; // opened at those states
    bool m_facet_shards_stale = true;             // a commit may have landed since
    bool m_facet_cache_damaged = false;           // a section failed its checksum
};

} // namespace pundit
