#include "pundit/searcher.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string_view>

#include "pundit/date.hpp"
#include "pundit/date_range_set.hpp"
#include "pundit/document_set.hpp"
#include "pundit/stored_article.hpp"
#include "pundit/error.hpp"
#include "pundit/facet_cache.hpp"
#include "pundit/facet_counting.hpp"
#include "pundit/fault_point.hpp"
#include "pundit/index.hpp"
#include "pundit/paging.hpp"
#include "pundit/reopen_retry.hpp"
#include "pundit/schema.hpp"
#include "pundit/similar.hpp"
#include "pundit/spelling.hpp"
#include "pundit/text_format.hpp"

namespace pundit {
namespace {

bool is_blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

// Whether the query has leader, country or organisation terms.
bool filters_by_entity(const Xapian::Query& query) {
    for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
        for (std::string_view prefix : schema::kEntityPrefixes) {
            if ((*it).starts_with(prefix)) return true;
        }
    }
    return false;
}

// Whether `query` (as QueryBuilder::build makes it from a query string)
// has words that weigh, not only entity filters (leader:putin) and words
// that must be absent (NOT blair), which match at weight 0. The filter
// options are the right-hand side of an OP_FILTER.
bool weighs(const Xapian::Query& query) {
    switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM: {
        const std::string term = *query.get_terms_begin();
        return std::none_of(schema::kEntityPrefixes.begin(), schema::kEntityPrefixes.end(),
                            [&](std::string_view prefix) { return term.starts_with(prefix); });
    }
    case Xapian::Query::OP_WILDCARD: // tech*: its expansions weigh, as a synonym of them all
        return true;
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_FILTER:
        return query.get_num_subqueries() > 0 && weighs(query.get_subquery(0));
    default:
        for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
            if (weighs(query.get_subquery(i))) return true;
        }
        return false;
    }
}

// How many of the best matches an --any search weighs again with the
// proximity bonus (kRerankDepth) for a page ending at `wanted`: the same
// for every page that fits, so that they follow each other.
// Never fewer than the page and its tie margin, which fetch needs.
Xapian::doccount rerank_depth(Xapian::doccount wanted) {
    const Xapian::doccount page = saturating_add(wanted, kTieMargin);
    if (page <= kRerankDepth) return kRerankDepth;
    const Xapian::doccount most = std::numeric_limits<Xapian::doccount>::max();
    return std::max(page, wanted > most / kRerankPerHit ? most : wanted * kRerankPerHit);
}

// Counts the matches the matcher looks at, before it folds identical
// ones: a spy sees each match before the collapse key is read. Local
// databases only: a remote shard would need it serialised.
class MatchCounter : public Xapian::MatchSpy {
public:
    void operator()(const Xapian::Document&, double) override { ++m_seen; }
    Xapian::doccount seen() const { return m_seen; }

private:
    Xapian::doccount m_seen = 0;
};

// Whether the search has words to rank by.
bool has_words(const QuerySpec& spec, const Xapian::Query& query) { return !is_blank(spec.query) && weighs(query); }

// What a search asks for, in words, for the heading of its timeline:
// "'sanctions', leader Vladimir Putin, since 2015-01-01". `entity_names` are
// the canonical names of the entity filters, indexed by EntityKind.
std::string describe_search(const QuerySpec& spec, const std::array<std::vector<std::string>, 3>& entity_names) {
    std::vector<std::string> parts;
    if (!is_blank(spec.query)) parts.push_back("'" + spec.query + "'");
    for (std::size_t kind = 0; kind < entity_names.size(); ++kind) {
        for (const std::string& name : entity_names[kind]) {
            parts.push_back(std::string(schema::kEntityFieldNames[kind]) + " " + name);
        }
    }
    // Authors, sources and languages match any of the values given.
    const std::pair<const char*, const std::vector<std::string>*> any_of[] = {
        {"author", &spec.authors}, {"source", &spec.sources}, {"language", &spec.languages}};
    for (const auto& [what, values] : any_of) {
        if (values->empty()) continue;
        std::string part = what;
        for (std::size_t i = 0; i < values->size(); ++i) part += (i == 0 ? " " : " or ") + (*values)[i];
        parts.push_back(part);
    }
    if (spec.since) parts.push_back("since " + *spec.since);
    if (spec.until) parts.push_back("until " + *spec.until);
    std::string out;
    for (const std::string& part : parts) out += (out.empty() ? "" : ", ") + part;
    return out;
}

// The filters of `spec` as the search read them; `entity_names` as for
// describe_search.
SearchFilters read_filters(const QuerySpec& spec, const std::array<std::vector<std::string>, 3>& entity_names) {
    SearchFilters filters;
    const DateRange dates = resolve_dates(spec);
    filters.since = dates.since;
    filters.until = dates.until;
    filters.authors = spec.authors;
    filters.sources = spec.sources;
    for (std::string code : spec.languages) {
        // As the filter reads it (QueryBuilder::build).
        std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::tolower(c); });
        filters.languages.push_back(std::move(code));
    }
    filters.entities = entity_names;
    filters.added_since = spec.added_since;
    return filters;
}

// The order a search lists its hits in. Relevance weighs words (or the
// likeness to --like); a search without them weighs nothing, so it lists by
// prominence when it names leaders, countries or organisations ("the pieces
// about Erdoğan"), else newest first, as notmuch does.
SortOrder settle_order(const QuerySpec& spec, const Xapian::Query& query) {
    if (spec.sort != SortOrder::relevance) return spec.sort;
    if (has_words(spec, query) || !spec.like.empty()) return SortOrder::relevance;
    return filters_by_entity(query) ? SortOrder::prominence : SortOrder::newest;
}

} // namespace

const std::vector<std::string>& facet_names() {
    static const std::vector<std::string> kNames(schema::kFacetNames.begin(), schema::kFacetNames.end());
    return kNames;
}

Searcher::Searcher(const std::string& path, GazetteerSource gazetteer, const OpenOptions& options)
    : m_path(path), m_options(options), m_layout(layout_fingerprint(path)), m_commit_files(commit_files(path)),
      m_fingerprint(commit_fingerprint(m_commit_files)), m_db(open_index_for_reading(path, options, &m_report)) {
    note_locality();
    // Load the gazetteer at most once, however many searches need it.
    if (gazetteer) {
        m_gazetteer = [this, source = std::move(gazetteer)] {
            if (!m_loaded_gazetteer) m_loaded_gazetteer = source();
            return m_loaded_gazetteer;
        };
    }
}

Xapian::valueno Searcher::facet_slot(const std::string& facet) {
    // The entity kinds' facets, then author, source and year (kFacetNames).
    static constexpr std::array<Xapian::valueno, schema::kFacetNames.size()> kSlots{
        schema::kEntitySlots[0], schema::kEntitySlots[1], schema::kEntitySlots[2],
        schema::kAuthorSlot,     schema::kSourceSlot,     schema::kYearSlot};
    std::string expected;
    for (std::size_t f = 0; f < schema::kFacetNames.size(); ++f) {
        if (facet == schema::kFacetNames[f]) return kSlots[f];
        expected += std::string(f == 0 ? "" : f + 1 == schema::kFacetNames.size() ? " or " : ", ") +
                    std::string(schema::kFacetNames[f]);
    }
    throw Error(ErrorKind::query, "unknown facet '" + facet + "' (expected " + expected + ")");
}

SearchResults Searcher::search(const QuerySpec& spec) {
    std::optional<SearchResults> results;
    try {
        results = with_reopen_retry([&](int attempt) {
            // Each search sees the latest commit, however long the searcher
            // lives; a retry reopens first.
            catch_up(attempt > 0);
            return run(spec);
        });
    } catch (const Xapian::NetworkError& e) {
        throw Error(ErrorKind::index, "a shard of the index at '" + m_path + "' stopped answering: " + e.get_msg());
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::index, "search failed on '" + m_path + "': " + e.get_description());
    }
    if (!results) throw Error(ErrorKind::index, "the index at '" + m_path + "' kept changing during the search; try again");
    return std::move(*results);
}

void Searcher::set_country_forms_source(CountryFormsSource source) {
    m_country_forms = std::move(source);
    if (m_builder) m_builder->set_country_forms_source(m_country_forms);
}

void Searcher::note_locality() {
    m_all_local = true;
    for (const StubEntry& entry : index_databases(m_path)) {
        if (entry.remote) m_all_local = false;
    }
}

void Searcher::catch_up(bool force) {
    // Reopening reads every shard's version file (11 us with four shards);
    // stat() on those files tells in 5 us whether it can change anything.
    std::string now = commit_fingerprint(m_commit_files);
    const bool changed = now.empty() || now != m_fingerprint;
    m_fingerprint = std::move(now);
    if (!changed && !force) return;
    m_facet_shards_stale = true;
    // Reopening a database sees its new commits, not a new stub: when the
    // index was switched to other shards (a compaction, a new year), it is
    // opened again from the top.
    std::string layout = layout_fingerprint(m_path);
    if (layout == m_layout) {
        m_db.reopen();
        return;
    }
    m_layout = std::move(layout);
    m_commit_files = commit_files(m_path);
    m_fingerprint = commit_fingerprint(m_commit_files);
    m_db = open_index_for_reading(m_path, m_options, &m_report);
    m_builder.reset(); // it holds the old database
    note_locality();
}

const FacetCache* Searcher::facet_cache(const std::vector<Xapian::valueno>& slots, bool need_order) {
    if (!m_report.missing_shards.empty()) return nullptr; // docids differ from the cache's
    // Each search may see a newer commit: the cache must match the shards
    // as they are now (unless no commit landed since they were opened).
    if (m_facet_shards_stale || m_facet_shards.empty()) {
        auto shards = open_local_shards(m_path);
        if (!shards) return nullptr;
        if (!m_facet_cache || shards->states != m_facet_cache_states) {
            m_facet_cache = FacetCache::open(m_path, shards->states);
            m_facet_cache_states = shards->states;
            m_facet_cache_damaged = false;
        }
        m_facet_shards = std::move(shards->databases);
        m_facet_shards_stale = false;
    }
    if (!m_facet_cache) return nullptr;
    // A cache built for more documents than the index now holds is stale.
    if (m_facet_cache->id_count() < m_db.get_lastdocid() + 1) return nullptr;
    // The sections this search reads are checked here, before the counting
    // threads read them (FacetCache::slot).
    bool usable = !need_order || m_facet_cache->order();
    for (Xapian::valueno slot : slots) usable = usable && m_facet_cache->slot(slot);
    if (m_facet_cache->damaged()) m_facet_cache_damaged = true;
    return usable ? m_facet_cache.get() : nullptr;
}

std::optional<Xapian::Query> Searcher::cached_date_filter(const std::string& low, const std::string& high) {
    if (!m_all_local) return std::nullopt;
    const FacetCache* cache = facet_cache({schema::kDateSlot}, false);
    const FacetCache::Slot* dates = cache ? cache->slot(schema::kDateSlot) : nullptr;
    if (!dates) return std::nullopt;
    // The query holds the set and deletes it with its last copy.
    return Xapian::Query((new DateRangeSet(*dates, low, high, m_facet_cache_states))->release());
}

// One search, stage by stage (Searcher::run). Each stage reads what the
// stages before it settled, kept here; the stages run in the order listed.
class Searcher::Run {
public:
    Run(Searcher& searcher, const QuerySpec& query_spec) : s(searcher), spec(query_spec) {}

    // The query of the words and filters, or of the articles like --like.
    void build();
    // The order, the facets to count and how (the cache or stock spies),
    // collapsing, and how far to count; starts the counting threads.
    void plan();
    // The first fetch from Xapian, the totals, and the warnings and notes.
    void fetch();
    // The best matches weighed again with the proximity bonus (--any).
    void rerank();
    // The hits of the page, in order, with the identical matches they fold.
    void page();
    // Each hit's article, headline and snippet with the matches marked.
    void snippets();
    // The filters as read, with the entities' canonical names.
    void filters();
    // The facets asked for, counted over every match.
    void facets();
    // The matches per period, when asked for.
    void timeline();
    // The "did you mean" for a query that matched few articles.
    void suggestion();

    SearchResults results;

private:
    void set_total(const Xapian::MSet& counted);
    void add_to_page(const Xapian::MSetIterator& it);
    std::vector<Xapian::doccount> ranking();
    // Counts per name for each slot of facet_slots (the cache or the spies).
    void count_names();

    Searcher& s;
    const QuerySpec& spec;
    Xapian::Query query;
    Xapian::Query bonus;   // QueryBuilder::bonus, for a ranking by relevance
    SortOrder sort = SortOrder::relevance;
    std::optional<Xapian::Enquire> enquire;
    std::optional<Xapian::Enquire> reranked; // the query and the bonus, over the best matches
    std::vector<Xapian::valueno> facet_slots;
    bool by_place = false;
    const FacetCache* cache = nullptr;
    bool ranked = false;
    bool fold = false;
    Xapian::doccount fingerprinted = 0;
    bool collapse = false;
    // Whether Xapian folded `mset` (else page folds it: first_of_each).
    bool mset_folded = false;
    // The hits fetched for the ranking, unfolded (fetch).
    Xapian::doccount requested = 0;
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    // The uncollapsed total of a folded search without spies (fetch).
    std::unique_ptr<MatchCounter> match_counter;
    // Whether the total must be a count, not an estimate (plan).
    bool exact_total = false;
    std::optional<Xapian::Enquire> spy_pass;
    Xapian::doccount check_at_least = 0;
    // For the count of an uncollapsed search that gives the total (fetch).
    Xapian::doccount count_at_least = 0;
    Xapian::doccount wanted = 0;
    bool from_cache = false;
    Xapian::MSet mset;
    std::vector<PageHit> in_page;
    std::map<Xapian::doccount, Article> decoded;
    // Counts per name (entity facets store combinations of names), as
    // views into the cache or into `stock_values`.
    std::vector<NameCounts> name_counts;
    std::vector<std::vector<std::string>> stock_values;
    std::array<std::vector<std::string>, 3> entity_names;
    // Declared last: destroyed first, it waits for its threads, which read
    // facet_slots and the cache.
    std::optional<ShardFacetCount> counting;
};

void Searcher::Run::build() {
    if (!s.m_builder) {
        s.m_builder = std::make_unique<QueryBuilder>(s.m_db, s.m_gazetteer);
        if (s.m_country_forms) s.m_builder->set_country_forms_source(s.m_country_forms);
        s.m_builder->set_date_filter_source(
            [&searcher = s](const std::string& low, const std::string& high) { return searcher.cached_date_filter(low, high); });
    }
    s.m_builder->check_field_values(spec);
    query = s.m_builder->build(spec);
    bonus = s.m_builder->bonus();
    if (!spec.like.empty()) {
        std::optional<Xapian::Query> like = similar_query(s.m_db, spec.like);
        if (!like) throw Error(ErrorKind::query, "no article with id '" + spec.like + "'");
        // The query words and filters narrow the similar articles down; the
        // ranking is by similarity alone.
        query = Xapian::Query(Xapian::Query::OP_FILTER, *like, query);
    }
}

void Searcher::Run::plan() {
    sort = settle_order(spec, query);
    enquire.emplace(s.m_db);
    if (sort == SortOrder::prominence) {
        std::optional<Xapian::Query> prominent = rank_by_prominence(query);
        if (!prominent) {
            throw Error(ErrorKind::query, "--sort prominence ranks by the leaders, countries or organisations "
                                          "searched for; add --leader, --country or --org");
        }
        // Equally prominent: newest first. The weights are small whole
        // numbers and tie often, so Xapian orders the ties by the key slot.
        enquire->set_query(*prominent);
        enquire->set_weighting_scheme(Xapian::CoordWeight());
        enquire->set_sort_by_relevance_then_value(schema::kNewestKeySlot, true);
    } else {
        enquire->set_query(query);
        enquire->set_weighting_scheme(Xapian::IneB2Weight(kIneB2C));
    }

    // Facets: from the facet cache in a counting pass of their own when the
    // index has an up-to-date one; else one stock ValueCountMatchSpy per facet
    // in the ranking pass (they work on remote shards too). Entity facets
    // count combinations of names, split in count_names.
    for (const std::string& facet : spec.facets) facet_slots.push_back(facet_slot(facet));
    // The timeline counts the days of the matches, after the facets.
    if (spec.timeline) facet_slots.push_back(schema::kDateSlot);
    // Without words (nor --like) every match weighs 0 and the order is the
    // date key's: the facet cache holds every article's place in it, which
    // the counting pass below reads instead of each match's key (at 10^6
    // articles a --leader search took twice as long sorting by the value).
    by_place = (sort == SortOrder::newest || sort == SortOrder::oldest) && is_blank(spec.query) && spec.like.empty();
    cache = facet_slots.empty() && !by_place ? nullptr : s.facet_cache(facet_slots, by_place);
    // Ties go by date and article id, not docid, so that the order does not
    // depend on how the index is sharded. Only value-slot sorts: they work on
    // remote shards, where a KeyMaker does not.
    ranked = sort == SortOrder::relevance;
    // The words of --like's query only filter: they weigh nothing.
    if (!ranked || !spec.like.empty()) bonus = Xapian::Query();
    // Prominence set its own order above.
    if (sort != SortOrder::prominence) set_result_order(*enquire, sort, ranked);
    // Identical articles: one hit each, the best placed. Xapian collapses
    // after the match spies have seen every match, so facets count them all.
    // An index without fingerprints has nothing to fold (a note says so),
    // nor has a count (--limit 0).
    fold = spec.collapse && spec.limit > 0;
    fingerprinted = fold ? s.m_db.get_value_freq(schema::kFingerprintSlot) : 0;
    collapse = fingerprinted > 0;
    // In relevance order the matches are fetched unfolded and folded in
    // page (kFoldMargin): then every match counted is one before folding.
    if (collapse && !ranked) enquire->set_collapse_key(schema::kFingerprintSlot);
    // Without the cache, one stock spy per facet. In the ranking pass when
    // it is in relevance order; in a pass of their own, in no order and with
    // no page, when it is sorted by value: across remote shards Xapian 1.4's
    // spies then count some documents twice when the page is smaller than
    // the matches (75 matches counted as 80 or 88, as the page varied).
    if (!cache && !facet_slots.empty()) {
        Xapian::Enquire* spied = &*enquire;
        if (!ranked) {
            spy_pass.emplace(s.m_db);
            spy_pass->set_query(query);
            spy_pass->set_weighting_scheme(schema::counting_weight());
            spied = &*spy_pass;
        }
        for (Xapian::valueno slot : facet_slots) {
            spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(schema::facet_value_slot(slot)));
            spied->add_matchspy(spies.back().get());
        }
    }
    // Spies only see the documents the matcher looks at: facets need them all.
    // So does the total of a ranking by prominence, to be exact as the date
    // orders it replaces as the default are: its weights let Xapian skip
    // matches that cannot reach the page, and estimate the total. A search
    // without a page (--limit 0) is a count: exact too. The ranking pass
    // need not look at every match when the total comes from elsewhere:
    // the facet cache's count, the spy pass, or (Xapian collapsing,
    // without spies) the uncollapsed count in fetch, which then counts
    // them all.
    // (Ranking every match of `--leader reagan` by prominence, reading
    // each one's collapse key, was a third of the search at 10^5.)
    exact_total = sort == SortOrder::prominence || spec.limit == 0;
    const bool total_elsewhere = cache || spy_pass || (collapse && !ranked && spies.empty());
    const bool count_all = (!spies.empty() && !spy_pass) || (exact_total && !total_elsewhere);
    const Xapian::doccount enough = saturating_add(saturating_add(spec.offset, spec.limit), kExactTotalUpTo);
    check_at_least = count_all ? s.m_db.get_doccount() : enough;
    count_at_least = exact_total ? s.m_db.get_doccount() : enough;
    wanted = saturating_add(spec.offset, spec.limit);
    if (collapse && !ranked && !cache && !spy_pass && spies.empty() && s.m_all_local) {
        match_counter = std::make_unique<MatchCounter>();
        enquire->add_matchspy(match_counter.get());
    }

    // With the cache, facets are counted over each shard in a thread of its
    // own while this one ranks: a spy sees each shard's own document ids, and
    // the shards were opened at the states the cache was checked against.
    if (cache) {
        const Xapian::doccount keep = !by_place ? 0 : collapse ? saturating_add(wanted, kCollapseMargin) : wanted;
        counting.emplace(*cache, facet_slots, s.m_facet_shards, query, keep, sort == SortOrder::newest);
    }
}

void Searcher::Run::set_total(const Xapian::MSet& counted) {
    results.total = counted.get_matches_estimated();
    results.total_min = counted.get_matches_lower_bound();
    results.total_max = counted.get_matches_upper_bound();
    results.total_exact = results.total_min == results.total_max && s.m_report.missing_shards.empty();
    // Xapian rounds an estimate to look like one; an exact count is not rounded.
    if (results.total_min == results.total_max) results.total = results.total_min;
}

void Searcher::Run::fetch() {
    // Ranked: fetch the hits before the page and a margin after it, in
    // weight order (ties by docid), and put tied hits in key order here.
    from_cache = by_place && cache;
    if (!from_cache) {
        requested = bonus.empty() ? saturating_add(wanted, kTieMargin) : rerank_depth(wanted);
        // Unfolded, with room for the copies page folds away.
        if (ranked && collapse) requested = saturating_add(requested, kFoldMargin);
        mset = ranked ? enquire->get_mset(0, requested, check_at_least)
                      : enquire->get_mset(spec.offset, spec.limit, check_at_least);
        mset_folded = collapse && !ranked;
    }

    results.query = spec.query;
    results.sort = sort;
    results.like = spec.like;
    results.offset = spec.offset;
    results.limit = spec.limit;
    // Counted before folding, as the facets are: in relevance order the
    // match was not folded, so its count is that.
    set_total(mset);
    if (mset_folded && !cache && !spy_pass) {
        // Xapian 1.4 gives a collapsed match the query's estimates as its
        // uncollapsed bounds, not a count: a spy counts the matches, else
        // the same match without collapsing, as it does with --no-collapse.
        if (mset.get_uncollapsed_matches_lower_bound() == mset.get_uncollapsed_matches_upper_bound()) {
            // Bounds that meet are a count (a word alone: its term's
            // frequency): no second pass, which took 14-22 ms of a search
            // for one common word at 10^6 articles.
            results.total = results.total_min = results.total_max = mset.get_uncollapsed_matches_lower_bound();
            results.total_exact = s.m_report.missing_shards.empty();
        } else if (match_counter && match_counter->seen() < check_at_least) {
            // Fewer matches seen than the match was asked to check: it
            // never raised its minimum weight nor dropped a match, so it
            // saw them all, and the count is exact.
            results.total = results.total_min = results.total_max = match_counter->seen();
            results.total_exact = s.m_report.missing_shards.empty();
        } else if (match_counter && !exact_total) {
            // More: the total is an estimate, as the pass without folding
            // would give, and every match seen is one. A second pass that
            // counted them all took a fifth of a search for a phrase.
            results.total_min = std::max(match_counter->seen(), mset.get_uncollapsed_matches_lower_bound());
            results.total_max = std::max(results.total_min, mset.get_uncollapsed_matches_upper_bound());
            results.total =
                std::clamp(mset.get_uncollapsed_matches_estimated(), results.total_min, results.total_max);
            results.total_exact = results.total_min == results.total_max && s.m_report.missing_shards.empty();
        } else {
            Xapian::Enquire counter(s.m_db);
            counter.set_query(query);
            counter.set_weighting_scheme(Xapian::IneB2Weight(kIneB2C));
            set_result_order(counter, date_order_of(sort), ranked);
            set_total(counter.get_mset(0, 0, count_at_least));
        }
    }
    if (spy_pass) set_total(spy_pass->get_mset(0, 0, s.m_db.get_doccount()));
    results.missing_shards = s.m_report.missing_shards;
    results.warnings = s.m_builder->warnings();
    results.notes = s.m_builder->notes();
    if (fold) {
        const Xapian::doccount without = s.m_db.get_doccount() - fingerprinted;
        if (without > 0) {
            results.notes.push_back(format_count(without) + " of the " + format_count(s.m_db.get_doccount()) +
                                    " articles were indexed before identical articles were recorded: copies among "
                                    "them are not folded into one hit until `indexer add` indexes their files again");
        }
    }
    if (s.m_facet_cache_damaged) {
        results.warnings.push_back("the facet cache '" + facet_cache_path(s.m_path) +
                                   "' is damaged: facets are counted without it (indexer repair rewrites it)");
    }
    if (s.m_loaded_gazetteer && filters_by_entity(query)) {
        // The gazetteer named the entities: it must be the one the index was tagged with.
        std::string mismatch =
            gazetteer_mismatch(s.m_path, s.m_report.gazetteer_versions, s.m_loaded_gazetteer->version());
        if (!mismatch.empty()) results.warnings.push_back(mismatch);
    }
}

void Searcher::Run::rerank() {
    if (bonus.empty() || from_cache || mset.empty() || spec.limit == 0) return;
    // The matches fetched: by their documents where each shard is local,
    // else by their id terms (document ids differ between the shards and
    // the whole).
    Xapian::Query fetched;
    std::unique_ptr<DocumentSet> set;
    if (s.m_all_local) {
        std::vector<Xapian::docid> docids(mset.begin(), mset.end());
        set = DocumentSet::of(s.m_db, docids);
    }
    if (set) {
        fetched = DocumentSet::query(std::move(set));
    } else {
        std::vector<Xapian::Query> ids;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            const std::string id = id_of_oldest_first_key(it.get_document().get_value(schema::kOldestKeySlot));
            if (id.empty()) return; // no key to find it by: the page goes without the bonus
            ids.emplace_back(std::string(schema::kIdPrefix) + id);
        }
        fetched = Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end());
    }
    // Weighed by the query and the bonus: the weights of one pass of both,
    // but only the query's matches, and the bonus tested on those alone
    // (ORed with them, Xapian would test the positions of every article
    // between them that holds two of the words).
    Xapian::Enquire again(s.m_db);
    again.set_query(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(Xapian::Query::OP_FILTER, query, fetched),
                                  Xapian::Query(Xapian::Query::OP_FILTER, bonus, fetched)));
    again.set_weighting_scheme(Xapian::IneB2Weight(kIneB2C));
    // Xapian folds these few: it reads the fingerprints of the fetched matches alone.
    if (collapse) again.set_collapse_key(schema::kFingerprintSlot);
    requested = saturating_add(wanted, kTieMargin);
    mset = again.get_mset(0, requested);
    mset_folded = collapse;
    // A tie past the margin is ordered again by this query (page()).
    reranked.emplace(std::move(again));
}

// The ranking in relevance order, as positions in `mset`: unfolded, the
// first of each set of identical matches. When the copies leave fewer
// than the page and its tie margin out of an incomplete fetch, Xapian
// folds the match instead (the facets are counted).
std::vector<Xapian::doccount> Searcher::Run::ranking() {
    if (!collapse || mset_folded) return every_position(mset);
    std::vector<Xapian::doccount> rows = first_of_each(mset);
    const Xapian::doccount needed = saturating_add(wanted, kTieMargin);
    if (rows.size() >= needed || mset.size() < requested) return rows;
    // (Folded by rerank otherwise.)
    enquire->clear_matchspies();
    enquire->set_collapse_key(schema::kFingerprintSlot);
    requested = needed;
    mset = enquire->get_mset(0, requested);
    mset_folded = true;
    return every_position(mset);
}

// The page as documents with their weights and, where the tie order
// needed them anyway, their stored articles decoded.
void Searcher::Run::add_to_page(const Xapian::MSetIterator& it) {
    PageHit hit{it.get_document(), it.get_weight(), std::nullopt, {}};
    if (auto known = decoded.find(it.get_rank()); known != decoded.end()) hit.article = std::move(known->second);
    in_page.push_back(std::move(hit));
}

void Searcher::Run::page() {
    if (from_cache) {
        if (std::optional<std::vector<PageHit>> placed =
                page_from_places(counting->per_shard(), s.m_facet_shards, spec.offset, wanted, collapse)) {
            in_page = std::move(*placed);
        } else {
            from_cache = false;
            mset = enquire->get_mset(spec.offset, spec.limit, check_at_least);
        }
    }
    if (from_cache) {
        // The page is in place.
    } else if (!ranked) {
        for (auto it = mset.begin(); it != mset.end(); ++it) add_to_page(it);
    } else if (std::vector<Xapian::doccount> rows = ranking();
               auto order = order_ties(mset, rows, mset.size() < requested, spec.offset, wanted, decoded)) {
        for (Xapian::doccount i : *order) add_to_page(mset[i]);
    } else {
        // The tie at the end of the page runs past the margin: let Xapian
        // order it, reading the key of every candidate that weighs at least
        // as much as the tied hits. The facets are counted.
        Xapian::Enquire& ordering = reranked ? *reranked : *enquire;
        ordering.clear_matchspies();
        if (collapse) ordering.set_collapse_key(schema::kFingerprintSlot);
        ordering.set_sort_by_relevance_then_value(schema::kOldestKeySlot, false);
        const double tied = mset[rows[std::min<std::size_t>(wanted, rows.size()) - 1]].get_weight();
        ordering.set_cutoff(0, tied * (1 - kWeightCutoffSlack));
        decoded.clear();
        Xapian::MSet exact = ordering.get_mset(spec.offset, spec.limit);
        for (auto it = exact.begin(); it != exact.end(); ++it) add_to_page(it);
    }

    if (collapse) name_duplicates(s.m_db, query, bonus, date_order_of(sort), ranked, s.m_all_local, in_page);
}

void Searcher::Run::snippets() {
    // The query's own terms, not each hit's matching terms: a query term
    // that a hit lacks is never found in its text, and reading every hit's
    // term list costs more than the snippets.
    Highlighter highlighter(std::vector<std::string>(query.get_unique_terms_begin(), query.get_unique_terms_end()),
                            s.m_normaliser);
    for (std::size_t n = 0; n < in_page.size(); ++n) {
        PageHit& shown = in_page[n];
        Hit hit;
        hit.rank = spec.offset + static_cast<Xapian::doccount>(n) + 1;
        hit.score = shown.weight;
        hit.article = shown.article ? std::move(*shown.article) : deserialise_article(shown.document.get_data());
        hit.duplicates = std::move(shown.duplicates);
        hit.title = highlighter.mark(hit.article.title);
        hit.snippet = highlighter.snippet(hit.article.body);
        results.hits.push_back(std::move(hit));
    }
}

void Searcher::Run::count_names() {
    name_counts.resize(facet_slots.size());
    stock_values.resize(spies.size());
    if (cache) {
        const std::unique_ptr<CachedFacetSpy> all = counting->merged();
        results.total = results.total_min = results.total_max = all->matched();
        results.total_exact = s.m_report.missing_shards.empty();
        for (std::size_t f = 0; f < facet_slots.size(); ++f) name_counts[f] = all->counts(f);
    } else {
        for (std::size_t f = 0; f < spies.size(); ++f) {
            name_counts[f] = split_value_counts(*spies[f], stock_values[f], schema::facet_value_bytes(facet_slots[f]));
        }
    }
}

void Searcher::Run::filters() {
    // The canonical names of the entity filters (the query built above
    // resolved them, so they are known and unambiguous).
    const std::vector<std::string>* entity_filters[] = {&spec.leaders, &spec.countries, &spec.organisations};
    for (std::size_t kind = 0; kind < entity_names.size(); ++kind) {
        for (const std::string& name : *entity_filters[kind]) {
            const std::string& canonical = s.m_builder->resolve_entity(static_cast<EntityKind>(kind), name).name;
            if (std::find(entity_names[kind].begin(), entity_names[kind].end(), canonical) == entity_names[kind].end()) {
                entity_names[kind].push_back(canonical);
            }
        }
    }
    results.filters = read_filters(spec, entity_names);
}

void Searcher::Run::facets() {
    count_names();
    for (std::size_t f = 0; f < spec.facets.size(); ++f) {
        std::vector<std::pair<std::string_view, Xapian::doccount>>& by_count = name_counts[f].names;
        // An entity facet under a filter of its kind lists the others.
        std::vector<std::string> together_with;
        if (facet_slots[f] != schema::kAuthorSlot && facet_slots[f] != schema::kSourceSlot &&
            facet_slots[f] != schema::kYearSlot) {
            together_with = entity_names[static_cast<std::size_t>(parse_entity_kind(spec.facets[f]))];
            std::erase_if(by_count, [&](const auto& value) {
                return std::find(together_with.begin(), together_with.end(), value.first) != together_with.end();
            });
        }

        // Most frequent first, then by value.
        std::sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) {
            return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
        Facet facet;
        facet.name = spec.facets[f];
        facet.distinct = by_count.size();
        const Xapian::doccount with_value = name_counts[f].with_value;
        facet.missing = results.total > with_value ? results.total - with_value : 0;
        facet.together_with = std::move(together_with);
        if (spec.facet_limit > 0 && by_count.size() > spec.facet_limit) by_count.resize(spec.facet_limit);
        for (const auto& [value, count] : by_count) facet.values.push_back(FacetValue{std::string(value), count});
        results.facets.push_back(std::move(facet));
    }
}

void Searcher::Run::timeline() {
    if (!spec.timeline) return;
    // Matches without a date have no value in the slot.
    const auto& days = name_counts.back().names;
    Xapian::doccount dated = 0;
    for (const auto& day : days) dated += day.second;
    results.timeline = bucket_dates(days, results.total > dated ? results.total - dated : 0, *spec.timeline);
    results.timeline->description = describe_search(spec, entity_names);
}

void Searcher::Run::suggestion() { results.suggestion = s.suggest(spec, results.total); }

SearchResults Searcher::run(const QuerySpec& spec) {
    // The database caught up; the facet cache not yet opened.
    fault_point("search-before-run");
    Run run(*this, spec);
    run.build();
    run.plan();
    run.fetch();
    run.rerank();
    run.page();
    run.snippets();
    run.filters();
    run.facets();
    run.timeline();
    run.suggestion();
    return std::move(run.results);
}

std::optional<Suggestion> Searcher::suggest(const QuerySpec& spec, Xapian::doccount total) {
    // Spelling data of a partly remote index would be partial: no suggestion
    // rather than one that depends on where the shards live.
    if (!m_all_local || !m_report.missing_shards.empty()) return std::nullopt;
    if (!spec.like.empty() || is_blank(spec.query) || total >= kSuggestBelowMatches) return std::nullopt;
    const std::string corrected = m_builder->corrected_query(spec.query);
    if (corrected.empty()) return std::nullopt;
    QuerySpec alternative = spec;
    alternative.query = corrected;
    Xapian::Enquire enquire(m_db);
    try {
        enquire.set_query(m_builder->build(alternative));
    } catch (const Error&) {
        return std::nullopt; // the correction is no valid query: nothing to suggest
    }
    enquire.set_weighting_scheme(schema::counting_weight());
    // Counted exactly, as the total is: a suggestion is offered for few matches.
    const Xapian::MSet counted = enquire.get_mset(0, 0, m_db.get_doccount());
    Suggestion suggestion{corrected, counted.get_matches_estimated(),
                          counted.get_matches_lower_bound() == counted.get_matches_upper_bound()};
    if (!worth_suggesting(total, suggestion.total)) return std::nullopt;
    return suggestion;
}

std::optional<Article> Searcher::find(const std::string& id) {
    const std::string term = std::string(schema::kIdPrefix) + id;
    std::optional<std::optional<Article>> found;
    try {
        found = with_reopen_retry([&](int attempt) -> std::optional<Article> {
            catch_up(attempt > 0);
            Xapian::PostingIterator it = m_db.postlist_begin(term);
            if (it == m_db.postlist_end(term)) return std::nullopt;
            return deserialise_article(m_db.get_document(*it).get_data());
        });
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::index, "cannot read '" + m_path + "': " + e.get_description());
    }
    if (!found) {
        throw Error(ErrorKind::index, "the index at '" + m_path + "' kept changing while reading '" + id + "'; try again");
    }
    return std::move(*found);
}

} // namespace pundit
