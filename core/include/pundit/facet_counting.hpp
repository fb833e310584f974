// Counting a search's facets: through the facet cache (facet_cache.hpp), a
// counting pass per local shard in a thread of its own, an array lookup
// per match and facet; or, without the cache, by splitting the counts of
// Xapian's stock ValueCountMatchSpy, whose values are combinations of
// names (schema::kFacetSeparator). Both give counts per name. Not for
// choosing which facets to count nor for presenting them (searcher.cpp),
// nor for building the cache.
#pragma once

#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

#include "pundit/facet_cache.hpp"

namespace pundit {

// The names of one facet that matched, with their counts, as views into the
// cache or into the values a stock spy counted; and the matches that have a
// value at all.
struct NameCounts {
    std::vector<std::pair<std::string_view, Xapian::doccount>> names;
    Xapian::doccount with_value = 0;
};

// Counts facet values through the facet cache: an array lookup per match
// and facet. Local shards only (see facet_cache.hpp).
class CachedFacetSpy : public Xapian::MatchSpy {
public:
    CachedFacetSpy(const FacetCache& cache, const std::vector<Xapian::valueno>& slots);

    // The next documents come from shard `shard` of `shards`.
    void set_shard(std::size_t shard, std::size_t shards);

    // Also keeps the first `count` matches in date order (FacetCache::Order),
    // for a search without words. The cache's order must have been checked
    // (FacetCache::order) before: only then is it read, since checking it
    // reads 8 bytes an article.
    void keep_first(Xapian::doccount count, bool newest_first);

    void operator()(const Xapian::Document& doc, double) override;

    Xapian::doccount matched() const { return m_matched; }
    // The matches keep_first kept, as (place, this shard's docid), unordered.
    const std::vector<std::pair<std::uint32_t, Xapian::docid>>& first() const { return m_first; }

    // Adds the counts of a spy over other shards (same cache and facets).
    void merge(const CachedFacetSpy& other);

    // The names of facet `f` that matched, with their counts: each value's
    // count goes to every name of the combination. (Views into the cache,
    // valid while it is open.)
    NameCounts counts(std::size_t f) const;

private:
    std::vector<const FacetCache::Slot*> m_slots;
    std::vector<std::vector<Xapian::doccount>> m_counts;
    Xapian::doccount m_matched = 0;
    Xapian::docid m_shard = 0, m_shards = 1;
    const FacetCache* m_cache;
    const FacetCache::Order* m_order = nullptr;
    Xapian::doccount m_keep = 0;
    bool m_newest_first = false;
    std::vector<std::pair<std::uint32_t, Xapian::docid>> m_first;
};

// The counting passes of one search: one thread per shard of `shards`
// (opened at the states `cache` was checked against), each with a
// CachedFacetSpy over `slots`, started on construction while the caller
// ranks. The threads are waited for however the search ends.
class ShardFacetCount {
public:
    // `keep_first`: as CachedFacetSpy::keep_first, when above 0.
    ShardFacetCount(const FacetCache& cache, const std::vector<Xapian::valueno>& slots,
                    const std::vector<Xapian::Database>& shards, const Xapian::Query& query,
                    Xapian::doccount keep_first, bool newest_first);
    ~ShardFacetCount();
    ShardFacetCount(const ShardFacetCount&) = delete;
    ShardFacetCount& operator=(const ShardFacetCount&) = delete;

    // The spy of each shard, once every thread is done.
    const std::vector<std::unique_ptr<CachedFacetSpy>>& per_shard();
    // The counts of every shard added up.
    std::unique_ptr<CachedFacetSpy> merged();

private:
    const FacetCache& m_cache;
    const std::vector<Xapian::valueno>& m_slots;
    std::vector<std::future<std::unique_ptr<CachedFacetSpy>>> m_counting;
    std::vector<std::unique_ptr<CachedFacetSpy>> m_counted;
};

// The counts of a stock spy split into names: each value's count goes to
// every name of the combination. `values` receives the values counted,
// which the names view. Only the first `name_bytes` of a value count
// (schema::facet_value_bytes: the year of a date).
NameCounts split_value_counts(const Xapian::ValueCountMatchSpy& spy, std::vector<std::string>& values,
                              std::size_t name_bytes = std::string::npos);

} // namespace pundit
