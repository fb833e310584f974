// The articles of a local index dated in a range, read from the facet
// cache's array of dates, as a Xapian posting source: a search with
// --since/--until tests each candidate with an array lookup instead of
// Xapian reading its date value (which took 25-33 ms of a search at 10^6
// articles), and lists nothing in advance, so a wide range costs no more
// than a narrow one. Not for remote shards: a posting source of our own does
// not travel to them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "pundit/facet_cache.hpp"

namespace pundit {

class DateRangeSet : public Xapian::PostingSource {
public:
    // The documents whose date in `dates` (the cache's date slot, which must
    // outlive every query holding the set) lies from `low` to `high` (date
    // values, "YYYYMMDD"; empty: unbounded). `shards` are the states the
    // cache was written at, in the order of its document ids. A match over
    // a shard at another revision, or over one not listed, throws
    // Xapian::DatabaseModifiedError: the cache's ids may name other
    // documents there, and the search runs again on the index reopened.
    DateRangeSet(const FacetCache::Slot& dates, const std::string& low, const std::string& high,
                 const std::vector<ShardState>& shards);

    Xapian::doccount get_termfreq_min() const override { return m_count; }
    Xapian::doccount get_termfreq_est() const override { return m_count; }
    Xapian::doccount get_termfreq_max() const override { return m_count; }
    void next(double min_wt) override;
    void skip_to(Xapian::docid did, double min_wt) override;
    bool check(Xapian::docid did, double min_wt) override;
    bool at_end() const override;
    Xapian::docid get_docid() const override;
    // Each shard of a sharded database gets a copy, which init() points at
    // that shard's documents (found by the shard's uuid).
    DateRangeSet* clone() const override;
    void init(const Xapian::Database& db) override;
    std::string get_description() const override;

    // For a deep copy of a query within this process (each thread of a
    // facet count gets its own, as a Query's parts are not thread-safe):
    // the serialised form is a handle on the range, valid while a set
    // holding it lives in this process. Never stored nor sent to a remote
    // shard. Unserialise with registry().
    std::string name() const override;
    std::string serialise() const override;
    DateRangeSet* unserialise_with_registry(const std::string& serialised,
                                            const Xapian::Registry& registry) const override;
    // A registry that unserialises queries holding date range sets.
    static const Xapian::Registry& registry();

private:
    struct Range {
        const FacetCache::Slot* dates = nullptr;
        std::vector<char> in_range; // by value id (0: no date)
        std::vector<ShardState> shards;
        // Per shard (as `shards`), its documents in the range: counted once
        // here, not by each match over it (the ranking, each facet thread,
        // the copies' lookup).
        std::vector<Xapian::doccount> counts;
    };
    struct Handles;
    explicit DateRangeSet(std::shared_ptr<const Range> range) : m_range(std::move(range)) {}
    // Whether the shard's own document `own` is dated in the range.
    bool in_range(Xapian::docid own) const;
    // Moves to the first document from m_at on that is in the range.
    void settle();

    std::shared_ptr<const Range> m_range;
    std::size_t m_shard = 0;   // of the database init() was given
    Xapian::docid m_last = 0;  // its last document with a date in the cache
    Xapian::docid m_at = 0;
    bool m_started = false;
    Xapian::doccount m_count = 0; // of the shard's documents in the range
};

} // namespace pundit
