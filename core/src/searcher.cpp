#include "pundit/searcher.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <memory>
#include <future>
#include <optional>
#include <tuple>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "pundit/date.hpp"
#include "pundit/document_builder.hpp"
#include "pundit/error.hpp"
#include "pundit/facet_cache.hpp"
#include "pundit/index.hpp"
#include "pundit/reopen_retry.hpp"
#include "pundit/schema.hpp"
#include "pundit/similar.hpp"
#include "pundit/spelling.hpp"
#include "pundit/text_format.hpp"

namespace pundit {
namespace {

// Relevance order fetches hits past the page, so that hits tied in weight
// can be put in key order without asking Xapian to read the key of every
// candidate (see Searcher::run). IneB2 weights seldom tie (BM25's floor on
// the length normalisation tied every short article): 10 is plenty, and
// each hit fetched past the page costs.
constexpr Xapian::doccount kTieMargin = 10;
// Weights are recomputed identically, but a cutoff must never lose a tied hit.
constexpr double kWeightCutoffSlack = 1e-9;
// A search without words that folds identical articles keeps this many
// places past the page per shard (CachedFacetSpy::keep_first), so that the
// copies folded away still leave enough to fill the page; when they do not,
// the page comes from Xapian instead.
constexpr Xapian::doccount kCollapseMargin = 10;

// A hit of the page: its document and weight, its stored article once
// decoded, and the ids of the identical matches folded into it.
struct PageHit {
    Xapian::Document document;
    double weight = 0;
    std::optional<Article> article;
    std::vector<std::string> duplicates;

    const Article& decoded() {
        if (!article) article = deserialise_article(document.get_data());
        return *article;
    }
};

// The date order that stands for `sort` where only a value sort will do:
// equally prominent articles go newest first.
SortOrder date_order_of(SortOrder sort) { return sort == SortOrder::prominence ? SortOrder::newest : sort; }

// Puts `enquire` in result order: by relevance when `ranked` (ties are put
// in key order afterwards, see order_ties), else by a date key.
void set_result_order(Xapian::Enquire& enquire, SortOrder sort, bool ranked) {
    if (sort == SortOrder::newest) {
        enquire.set_sort_by_value(schema::kNewestKeySlot, true);
    } else if (sort == SortOrder::oldest || !ranked) {
        // Without query words every weight is 0: relevance order is key order.
        enquire.set_sort_by_value(schema::kOldestKeySlot, false);
    }
}

// Names, for each hit of `page`, the matches of `query` identical to it
// (sharing its fingerprint), which collapsing folded into it, in result
// order. The hit shown is the first of them in result order, ties by key:
// Xapian keeps the one of lowest docid, which depends on the sharding. One
// query for the whole page: only the hits and their copies match it.
void name_duplicates(const Xapian::Database& db, const Xapian::Query& query, SortOrder sort, bool ranked,
                     std::vector<PageHit>& page) {
    std::vector<Xapian::Query> identical;
    for (PageHit& hit : page) {
        const std::string fingerprint = hit.document.get_value(schema::kFingerprintSlot);
        if (!fingerprint.empty()) {
            identical.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kFingerprintSlot, fingerprint, fingerprint);
        }
    }
    if (identical.empty()) return;
    Xapian::Enquire lookup(db);
    lookup.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
                                   Xapian::Query(Xapian::Query::OP_OR, identical.begin(), identical.end())));
    // The same weights as the search's, for the score of a hit shown in place of another.
    lookup.set_weighting_scheme(Xapian::IneB2Weight(kIneB2C));
    if (ranked && sort == SortOrder::relevance) {
        lookup.set_sort_by_relevance_then_value(schema::kOldestKeySlot, false);
    } else {
        set_result_order(lookup, sort, ranked);
    }
    const Xapian::MSet found = lookup.get_mset(0, db.get_doccount());
    std::unordered_map<std::string, std::vector<PageHit>> by_fingerprint;
    for (auto it = found.begin(); it != found.end(); ++it) {
        Xapian::Document document = it.get_document();
        by_fingerprint[document.get_value(schema::kFingerprintSlot)].push_back(
            PageHit{document, it.get_weight(), std::nullopt, {}});
    }
    for (PageHit& hit : page) {
        auto group = by_fingerprint.find(hit.document.get_value(schema::kFingerprintSlot));
        if (group == by_fingerprint.end() || group->second.empty()) continue;
        std::vector<PageHit>& members = group->second;
        PageHit& first = members.front();
        if (first.decoded().id != hit.decoded().id) {
            hit.document = first.document;
            hit.weight = first.weight;
            hit.article = first.article;
        }
        for (PageHit& member : members) {
            if (member.decoded().id != hit.decoded().id) hit.duplicates.push_back(member.decoded().id);
        }
    }
}

// Positions offset..wanted-1 of a weight-ordered `mset` fetched from rank 0
// with kTieMargin to spare, after putting hits of equal weight in key order
// (oldest_first_key). The keys of hits that will be shown come from their
// stored articles, which are kept in `decoded` (by position) for the page;
// other tied hits have their key slot read. Empty when hits tied with the
// last one shown may lie beyond the fetched ones.
std::optional<std::vector<Xapian::doccount>> order_ties(const Xapian::MSet& mset, Xapian::doccount offset,
                                                        Xapian::doccount wanted,
                                                        std::map<Xapian::doccount, Article>& decoded) {
    const Xapian::doccount fetched = mset.size();
    const Xapian::doccount shown = std::min(wanted, fetched);
    std::vector<Xapian::doccount> order;
    if (shown <= offset) return order;
    std::vector<double> weight(fetched);
    for (Xapian::doccount i = 0; i < fetched; ++i) weight[i] = mset[i].get_weight();
    const bool complete = fetched < saturating_add(wanted, kTieMargin);
    // Hits that tie with the last one shown and lie past it compete for the page.
    Xapian::doccount end = shown;
    while (end < fetched && weight[end] == weight[shown - 1]) ++end;
    if (end == fetched && !complete && end > shown) return std::nullopt;

    std::vector<std::string> keys(end);
    for (Xapian::doccount i = 0; i < end; ++i) {
        const bool tied = (i > 0 && weight[i - 1] == weight[i]) || (i + 1 < end && weight[i + 1] == weight[i]);
        if (!tied) continue;
        if (i >= offset && i < shown) {
            Article& article = decoded[i] = deserialise_article(mset[i].get_document().get_data());
            keys[i] = oldest_first_key(article);
        } else {
            keys[i] = mset[i].get_document().get_value(schema::kOldestKeySlot);
        }
    }
    order.resize(end);
    for (Xapian::doccount i = 0; i < end; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](Xapian::doccount a, Xapian::doccount b) {
        if (weight[a] != weight[b]) return weight[a] > weight[b];
        return keys[a] < keys[b];
    });
    return std::vector<Xapian::doccount>(order.begin() + offset, order.begin() + shown);
}

// Counts facet values through the facet cache: an array lookup per match
// and facet. Local shards only (see facet_cache.hpp).
class CachedFacetSpy : public Xapian::MatchSpy {
public:
    CachedFacetSpy(const FacetCache& cache, const std::vector<Xapian::valueno>& slots) : m_order(cache.order()) {
        for (Xapian::valueno slot : slots) {
            const FacetCache::Slot* s = cache.slot(slot);
            m_slots.push_back(s);
            m_counts.emplace_back(std::size_t{s->value_count} + 1, 0);
        }
    }

    // The next documents come from shard `shard` of `shards`.
    void set_shard(std::size_t shard, std::size_t shards) {
        m_shard = static_cast<Xapian::docid>(shard);
        m_shards = static_cast<Xapian::docid>(shards);
    }

    // Also keeps the first `count` matches in date order (FacetCache::Order),
    // for a search without words.
    void keep_first(Xapian::doccount count, bool newest_first) {
        m_keep = count;
        m_newest_first = newest_first;
    }

    void operator()(const Xapian::Document& doc, double) override {
        const Xapian::docid did = (doc.get_docid() - 1) * m_shards + m_shard + 1;
        ++m_matched;
        if (m_keep > 0) {
            // A max-heap of the first places seen so far.
            const std::uint32_t place = m_order->place(did, m_newest_first);
            if (m_first.size() < m_keep) {
                m_first.emplace_back(place, doc.get_docid());
                std::push_heap(m_first.begin(), m_first.end());
            } else if (place < m_first.front().first) {
                std::pop_heap(m_first.begin(), m_first.end());
                m_first.back() = {place, doc.get_docid()};
                std::push_heap(m_first.begin(), m_first.end());
            }
        }
        for (std::size_t f = 0; f < m_slots.size(); ++f) {
            const FacetCache::Slot& s = *m_slots[f];
            std::uint32_t id = s.id(did);
            if (id > s.value_count) id = 0; // a damaged cache must not crash us
            ++m_counts[f][id];
        }
    }

    Xapian::doccount matched() const { return m_matched; }
    // The matches keep_first kept, as (place, this shard's docid), unordered.
    const std::vector<std::pair<std::uint32_t, Xapian::docid>>& first() const { return m_first; }

    // Adds the counts of a spy over other shards (same cache and facets).
    void merge(const CachedFacetSpy& other) {
        m_matched += other.m_matched;
        for (std::size_t f = 0; f < m_counts.size(); ++f) {
            for (std::size_t i = 0; i < m_counts[f].size(); ++i) m_counts[f][i] += other.m_counts[f][i];
        }
    }

    // The matches with a value of facet `f`.
    Xapian::doccount with_value(std::size_t f) const {
        Xapian::doccount n = 0;
        for (std::size_t id = 1; id < m_counts[f].size(); ++id) n += m_counts[f][id];
        return n;
    }

    // The names of facet `f` that matched, with their counts: each value's
    // count goes to every name of the combination. (Views into the cache,
    // valid while it is open.)
    std::vector<std::pair<std::string_view, Xapian::doccount>> counts(std::size_t f) const {
        const FacetCache::Slot& s = *m_slots[f];
        std::vector<Xapian::doccount> per_name(s.name_count, 0);
        for (std::uint32_t id = 1; id < m_counts[f].size(); ++id) {
            const Xapian::doccount n = m_counts[f][id];
            if (!n) continue;
            for (std::uint32_t k = s.name_starts[id - 1]; k < s.name_starts[id]; ++k) per_name[s.name_ids[k]] += n;
        }
        std::vector<std::pair<std::string_view, Xapian::doccount>> out;
        for (std::uint32_t name = 0; name < s.name_count; ++name) {
            if (per_name[name]) out.emplace_back(s.name(name), per_name[name]);
        }
        return out;
    }

private:
    std::vector<const FacetCache::Slot*> m_slots;
    std::vector<std::vector<Xapian::doccount>> m_counts;
    Xapian::doccount m_matched = 0;
    Xapian::docid m_shard = 0, m_shards = 1;
    const FacetCache::Order* m_order;
    Xapian::doccount m_keep = 0;
    bool m_newest_first = false;
    std::vector<std::pair<std::uint32_t, Xapian::docid>> m_first;
};

bool is_blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}


// The page of a search without words from the first places each shard's
// counting spy kept (keep_first), merged; with `collapse`, only the first
// of identical articles. Empty when that leaves too few to fill the page
// while a shard matched more than it kept.
std::optional<std::vector<PageHit>> page_from_places(const std::vector<std::unique_ptr<CachedFacetSpy>>& counted,
                                                     const std::vector<Xapian::Database>& shards,
                                                     Xapian::doccount offset, Xapian::doccount wanted, bool collapse) {
    std::vector<std::tuple<std::uint32_t, std::size_t, Xapian::docid>> first;
    bool every_match_kept = true;
    for (std::size_t k = 0; k < counted.size(); ++k) {
        for (auto [place, docid] : counted[k]->first()) first.emplace_back(place, k, docid);
        if (counted[k]->first().size() < counted[k]->matched()) every_match_kept = false;
    }
    std::sort(first.begin(), first.end());
    std::vector<PageHit> page;
    std::unordered_set<std::string> seen;
    Xapian::doccount position = 0;
    for (const auto& [place, k, docid] : first) {
        if (position == wanted) break;
        Xapian::Document document = shards[k].get_document(docid);
        if (collapse) {
            std::string fingerprint = document.get_value(schema::kFingerprintSlot);
            if (!fingerprint.empty() && !seen.insert(std::move(fingerprint)).second) continue;
        }
        if (position++ >= offset) page.push_back(PageHit{std::move(document), 0, std::nullopt, {}});
    }
    if (position < wanted && !every_match_kept) return std::nullopt;
    return page;
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
    static const std::vector<std::string> kNames{"leader", "country", "org", "author", "source", "year"};
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
    if (facet == "author") return schema::kAuthorSlot;
    if (facet == "source") return schema::kSourceSlot;
    if (facet == "year") return schema::kYearSlot;
    if (facet != "leader" && facet != "country" && facet != "org") {
        throw Error(ErrorKind::query, "unknown facet '" + facet + "' (expected leader, country, org, author, source or year)");
    }
    return schema::kEntitySlots[static_cast<std::size_t>(parse_entity_kind(facet))];
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

SearchResults Searcher::run(const QuerySpec& spec) {
    if (!m_builder) {
        m_builder = std::make_unique<QueryBuilder>(m_db, m_gazetteer);
        if (m_country_forms) m_builder->set_country_forms_source(m_country_forms);
    }
    m_builder->check_field_values(spec);
    Xapian::Query query = m_builder->build(spec);
    if (!spec.like.empty()) {
        std::optional<Xapian::Query> like = similar_query(m_db, spec.like);
        if (!like) throw Error(ErrorKind::query, "no article with id '" + spec.like + "'");
        // The query words and filters narrow the similar articles down; the
        // ranking is by similarity alone.
        query = Xapian::Query(Xapian::Query::OP_FILTER, *like, query);
    }

    const SortOrder sort = settle_order(spec, query);
    Xapian::Enquire enquire(m_db);
    if (sort == SortOrder::prominence) {
        std::optional<Xapian::Query> prominent = rank_by_prominence(query);
        if (!prominent) {
            throw Error(ErrorKind::query, "--sort prominence ranks by the leaders, countries or organisations "
                                          "searched for; add --leader, --country or --org");
        }
        // Equally prominent: newest first. The weights are small whole
        // numbers and tie often, so Xapian orders the ties by the key slot.
        enquire.set_query(*prominent);
        enquire.set_weighting_scheme(Xapian::CoordWeight());
        enquire.set_sort_by_relevance_then_value(schema::kNewestKeySlot, true);
    } else {
        enquire.set_query(query);
        enquire.set_weighting_scheme(Xapian::IneB2Weight(kIneB2C));
    }

    // Facets: from the facet cache in a counting pass of their own when the
    // index has an up-to-date one; else one stock ValueCountMatchSpy per facet
    // in the ranking pass (they work on remote shards too). Entity facets
    // count combinations of names, split below.
    std::vector<Xapian::valueno> facet_slots;
    for (const std::string& facet : spec.facets) facet_slots.push_back(facet_slot(facet));
    // The timeline counts the days of the matches, after the facets.
    if (spec.timeline) facet_slots.push_back(schema::kDateSlot);
    // Without words (nor --like) every match weighs 0 and the order is the
    // date key's: the facet cache holds every article's place in it, which
    // the counting pass below reads instead of each match's key (at 10^6
    // articles a --leader search took twice as long sorting by the value).
    const bool by_place =
        (sort == SortOrder::newest || sort == SortOrder::oldest) && is_blank(spec.query) && spec.like.empty();
    const FacetCache* cache = facet_slots.empty() && !by_place ? nullptr : facet_cache(facet_slots, by_place);
    // Ties go by date and article id, not docid, so that the order does not
    // depend on how the index is sharded. Only value-slot sorts: they work on
    // remote shards, where a KeyMaker does not.
    const bool ranked = sort == SortOrder::relevance;
    // Prominence set its own order above.
    if (sort != SortOrder::prominence) set_result_order(enquire, sort, ranked);
    // Identical articles: one hit each, the best placed. Xapian collapses
    // after the match spies have seen every match, so facets count them all.
    // An index without fingerprints has nothing to fold (a note says so),
    // nor has a count (--limit 0).
    const bool fold = spec.collapse && spec.limit > 0;
    const Xapian::doccount fingerprinted = fold ? m_db.get_value_freq(schema::kFingerprintSlot) : 0;
    const bool collapse = fingerprinted > 0;
    if (collapse) enquire.set_collapse_key(schema::kFingerprintSlot);
    // Without the cache, one stock spy per facet. In the ranking pass when
    // it is in relevance order; in a pass of their own, in no order and with
    // no page, when it is sorted by value: across remote shards Xapian 1.4's
    // spies then count some documents twice when the page is smaller than
    // the matches (75 matches counted as 80 or 88, as the page varied).
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    std::optional<Xapian::Enquire> spy_pass;
    if (!cache && !facet_slots.empty()) {
        Xapian::Enquire* spied = &enquire;
        if (!ranked) {
            spy_pass.emplace(m_db);
            spy_pass->set_query(query);
            spy_pass->set_weighting_scheme(Xapian::BoolWeight());
            spied = &*spy_pass;
        }
        for (Xapian::valueno slot : facet_slots) {
            spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot));
            spied->add_matchspy(spies.back().get());
        }
    }
    // Spies only see the documents the matcher looks at: facets need them all.
    // So must a ranking by prominence, to count them exactly as the date
    // orders it replaces as the default do: its weights let Xapian skip
    // matches that cannot reach the page, and estimate the total. A search
    // without a page (--limit 0) is a count: exact too.
    const bool count_all = (!spies.empty() && !spy_pass) || sort == SortOrder::prominence || spec.limit == 0;
    const Xapian::doccount check_at_least =
        count_all ? m_db.get_doccount() : saturating_add(saturating_add(spec.offset, spec.limit), kExactTotalUpTo);
    const Xapian::doccount wanted = saturating_add(spec.offset, spec.limit);

    // With the cache, facets are counted over each shard in a thread of its
    // own while this one ranks: a spy sees each shard's own document ids, and
    // the shards were opened at the states the cache was checked against.
    std::vector<std::future<std::unique_ptr<CachedFacetSpy>>> counting;
    if (cache) {
        // A Query shares its parts by reference counts that are not atomic:
        // each thread gets a deep copy of its own.
        const std::string boolean = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query, 0).serialise();
        for (std::size_t k = 0; k < m_facet_shards.size(); ++k) {
            counting.push_back(std::async(std::launch::async, [&, k, boolean = Xapian::Query::unserialise(boolean)] {
                auto spy = std::make_unique<CachedFacetSpy>(*cache, facet_slots);
                spy->set_shard(k, m_facet_shards.size());
                if (by_place) {
                    spy->keep_first(collapse ? saturating_add(wanted, kCollapseMargin) : wanted,
                                    sort == SortOrder::newest);
                }
                Xapian::Enquire counter(m_facet_shards[k]);
                counter.set_query(boolean);
                counter.set_weighting_scheme(Xapian::BoolWeight());
                counter.add_matchspy(spy.get());
                counter.get_mset(0, 0, m_facet_shards[k].get_doccount());
                return spy;
            }));
        }
    }
    // Every counting thread is waited for, whatever happens here.
    struct JoinAll {
        std::vector<std::future<std::unique_ptr<CachedFacetSpy>>>& futures;
        ~JoinAll() {
            for (auto& f : futures) {
                if (f.valid()) f.wait();
            }
        }
    } join_all{counting};
    std::vector<std::unique_ptr<CachedFacetSpy>> counted; // one per shard, once all are done
    auto wait_for_counts = [&] {
        if (counted.empty()) {
            for (auto& shard : counting) counted.push_back(shard.get());
        }
    };

    // Ranked: fetch the hits before the page and a margin after it, in
    // weight order (ties by docid), and put tied hits in key order here.
    bool from_cache = by_place && cache;
    Xapian::MSet mset;
    if (!from_cache) {
        mset = ranked ? enquire.get_mset(0, saturating_add(wanted, kTieMargin), check_at_least)
                      : enquire.get_mset(spec.offset, spec.limit, check_at_least);
    }

    SearchResults results;
    results.query = spec.query;
    results.sort = sort;
    results.like = spec.like;
    results.offset = spec.offset;
    results.limit = spec.limit;
    auto set_total = [&](const Xapian::MSet& counted) {
        results.total = counted.get_matches_estimated();
        results.total_min = counted.get_matches_lower_bound();
        results.total_max = counted.get_matches_upper_bound();
        results.total_exact = results.total_min == results.total_max && m_report.missing_shards.empty();
        // Xapian rounds an estimate to look like one; an exact count is not rounded.
        if (results.total_min == results.total_max) results.total = results.total_min;
    };
    set_total(mset);
    if (collapse && !cache && !spy_pass) {
        // Counted before collapsing, as the facets are. Xapian 1.4 gives a
        // collapsed match the query's estimates as its uncollapsed bounds,
        // not a count: the spies count every match, else the same match
        // without collapsing counts them, as it does with --no-collapse.
        if (!spies.empty()) {
            results.total = results.total_min = results.total_max = spies.front()->get_total();
            results.total_exact = m_report.missing_shards.empty();
        } else {
            Xapian::Enquire counter(m_db);
            counter.set_query(query);
            counter.set_weighting_scheme(Xapian::IneB2Weight(kIneB2C));
            set_result_order(counter, date_order_of(sort), ranked);
            set_total(counter.get_mset(0, 0, check_at_least));
        }
    }
    if (spy_pass) set_total(spy_pass->get_mset(0, 0, m_db.get_doccount()));
    results.missing_shards = m_report.missing_shards;
    results.warnings = m_builder->warnings();
    results.notes = m_builder->notes();
    if (fold) {
        const Xapian::doccount without = m_db.get_doccount() - fingerprinted;
        if (without > 0) {
            results.notes.push_back(format_count(without) + " of the " + format_count(m_db.get_doccount()) +
                                    " articles were indexed before identical articles were recorded: copies among "
                                    "them are not folded into one hit until `indexer add` indexes their files again");
        }
    }
    if (m_facet_cache_damaged) {
        results.warnings.push_back("the facet cache '" + facet_cache_path(m_path) +
                                   "' is damaged: facets are counted without it (indexer repair rewrites it)");
    }
    if (m_loaded_gazetteer && filters_by_entity(query)) {
        // The gazetteer named the entities: it must be the one the index was tagged with.
        std::string mismatch = gazetteer_mismatch(m_path, m_report.gazetteer_versions, m_loaded_gazetteer->version());
        if (!mismatch.empty()) results.warnings.push_back(mismatch);
    }

    // The page as documents with their weights and, where the tie order
    // needed them anyway, their stored articles decoded.
    std::vector<PageHit> page;
    std::map<Xapian::doccount, Article> decoded;
    auto add_to_page = [&](const Xapian::MSetIterator& it) {
        PageHit hit{it.get_document(), it.get_weight(), std::nullopt, {}};
        if (auto known = decoded.find(it.get_rank()); known != decoded.end()) hit.article = std::move(known->second);
        page.push_back(std::move(hit));
    };
    if (from_cache) {
        wait_for_counts();
        if (std::optional<std::vector<PageHit>> placed =
                page_from_places(counted, m_facet_shards, spec.offset, wanted, collapse)) {
            page = std::move(*placed);
        } else {
            from_cache = false;
            mset = enquire.get_mset(spec.offset, spec.limit, check_at_least);
        }
    }
    if (from_cache) {
        // The page is in place.
    } else if (!ranked) {
        for (auto it = mset.begin(); it != mset.end(); ++it) add_to_page(it);
    } else if (auto order = order_ties(mset, spec.offset, wanted, decoded)) {
        for (Xapian::doccount i : *order) add_to_page(mset[i]);
    } else {
        // The tie at the end of the page runs past the margin: let Xapian
        // order it, reading the key of every candidate that weighs at least
        // as much as the tied hits. The facets are counted.
        enquire.clear_matchspies();
        enquire.set_sort_by_relevance_then_value(schema::kOldestKeySlot, false);
        const double tied = mset[std::min(wanted, mset.size()) - 1].get_weight();
        enquire.set_cutoff(0, tied * (1 - kWeightCutoffSlack));
        decoded.clear();
        Xapian::MSet exact = enquire.get_mset(spec.offset, spec.limit);
        for (auto it = exact.begin(); it != exact.end(); ++it) add_to_page(it);
    }

    if (collapse) name_duplicates(m_db, query, date_order_of(sort), ranked, page);

    // The query's own terms, not each hit's matching terms: a query term
    // that a hit lacks is never found in its text, and reading every hit's
    // term list costs more than the snippets.
    Highlighter highlighter(std::vector<std::string>(query.get_unique_terms_begin(), query.get_unique_terms_end()),
                            m_normaliser);
    for (std::size_t n = 0; n < page.size(); ++n) {
        PageHit& in_page = page[n];
        Hit hit;
        hit.rank = spec.offset + static_cast<Xapian::doccount>(n) + 1;
        hit.score = in_page.weight;
        hit.article = in_page.article ? std::move(*in_page.article) : deserialise_article(in_page.document.get_data());
        hit.duplicates = std::move(in_page.duplicates);
        hit.title = highlighter.mark(hit.article.title);
        hit.snippet = highlighter.snippet(hit.article.body);
        results.hits.push_back(std::move(hit));
    }

    // Counts per name (entity facets store combinations of names), as views
    // into the cache or into `stock_values`.
    std::vector<std::vector<std::pair<std::string_view, Xapian::doccount>>> name_counts(facet_slots.size());
    std::vector<std::vector<std::string>> stock_values(spies.size());
    std::vector<Xapian::doccount> with_value(facet_slots.size(), 0); // matches with a value, per slot
    if (cache) {
        CachedFacetSpy counter_spy(*cache, facet_slots);
        wait_for_counts();
        for (const auto& shard : counted) counter_spy.merge(*shard);
        results.total = results.total_min = results.total_max = counter_spy.matched();
        results.total_exact = m_report.missing_shards.empty();
        for (std::size_t f = 0; f < facet_slots.size(); ++f) {
            name_counts[f] = counter_spy.counts(f);
            with_value[f] = counter_spy.with_value(f);
        }
    } else {
        for (std::size_t f = 0; f < spies.size(); ++f) {
            for (auto it = spies[f]->values_begin(); it != spies[f]->values_end(); ++it) stock_values[f].push_back(*it);
            // Split the combinations into names.
            std::unordered_map<std::string_view, Xapian::doccount> counts;
            std::size_t i = 0;
            for (auto it = spies[f]->values_begin(); it != spies[f]->values_end(); ++it, ++i) {
                with_value[f] += it.get_termfreq();
                const std::string_view value = stock_values[f][i];
                std::size_t start = 0;
                while (start <= value.size()) {
                    std::size_t end = value.find(schema::kFacetSeparator, start);
                    if (end == std::string_view::npos) end = value.size();
                    counts[value.substr(start, end - start)] += it.get_termfreq();
                    start = end + 1;
                }
            }
            name_counts[f].assign(counts.begin(), counts.end());
        }
    }
    // The canonical names of the entity filters (the query built above
    // resolved them, so they are known and unambiguous).
    std::array<std::vector<std::string>, 3> entity_names;
    const std::vector<std::string>* entity_filters[] = {&spec.leaders, &spec.countries, &spec.organisations};
    for (std::size_t kind = 0; kind < entity_names.size(); ++kind) {
        for (const std::string& name : *entity_filters[kind]) {
            const std::string& canonical = m_builder->resolve_entity(static_cast<EntityKind>(kind), name).name;
            if (std::find(entity_names[kind].begin(), entity_names[kind].end(), canonical) == entity_names[kind].end()) {
                entity_names[kind].push_back(canonical);
            }
        }
    }
    results.filters = read_filters(spec, entity_names);
    for (std::size_t f = 0; f < spec.facets.size(); ++f) {
        std::vector<std::pair<std::string_view, Xapian::doccount>>& by_count = name_counts[f];
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
        facet.missing = results.total > with_value[f] ? results.total - with_value[f] : 0;
        facet.together_with = std::move(together_with);
        if (spec.facet_limit > 0 && by_count.size() > spec.facet_limit) by_count.resize(spec.facet_limit);
        for (const auto& [value, count] : by_count) facet.values.push_back(FacetValue{std::string(value), count});
        results.facets.push_back(std::move(facet));
    }
    if (spec.timeline) {
        // Matches without a date have no value in the slot.
        Xapian::doccount dated = 0;
        for (const auto& day : name_counts.back()) dated += day.second;
        results.timeline = bucket_dates(name_counts.back(), results.total > dated ? results.total - dated : 0,
                                        *spec.timeline);
        results.timeline->description = describe_search(spec, entity_names);
    }
    results.suggestion = suggest(spec, results.total);
    return results;
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
    enquire.set_weighting_scheme(Xapian::BoolWeight());
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
