// A copy of an index's facet value slots laid out by document id, so that
// counting facets over a large match set costs an array lookup per match
// instead of a value read and a map update per match and facet (about ten
// times less; scripts/bench). None of it depends on the query, so the
// indexer writes it once after each change (DIR/facets.cache, replaced
// atomically) and every searcher maps it read-only.
//
// The file records the uuid and revision of every shard it was built from;
// a cache that does not match the index exactly (a commit since, a shard
// replaced, a remote shard in the stub), or whose header or a section a
// search reads does not match its checksum (a damaged disk, a stray write),
// is not used, and facets are counted with Xapian's ValueCountMatchSpy
// instead, with the same results. Remote
// shards always take that path: a custom MatchSpy cannot travel to a stock
// xapian-tcpsrv. Not for anything but facet counts.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace pundit {

// Where an index keeps its facet cache: DIR/facets.cache. For a stub given
// as a file, the cache of the index directory that holds its shards (which
// applies when the stub lists exactly that index's shards, in its order).
std::string facet_cache_path(const std::string& index_path);

// The identity of one shard at one commit.
struct ShardState {
    std::string uuid;
    Xapian::rev revision = 0;
    bool operator==(const ShardState&) const = default;
};

// The shards of the index at `index_path` opened one by one, in the order
// its stub lists them (or the one database), with their states. nullopt when
// a shard is remote or cannot be opened: no cache applies then. Facets are
// counted shard by shard, as a MatchSpy sees each shard's own document ids.
struct LocalShards {
    std::vector<Xapian::Database> databases;
    std::vector<ShardState> states;
};
std::optional<LocalShards> open_local_shards(const std::string& index_path);
std::optional<std::vector<ShardState>> local_shard_states(const std::string& index_path);

// Builds the cache of the index at `index_path` from its value slots and
// writes it (a temporary file renamed into place). Throws Error(index).
void write_facet_cache(const std::string& index_path);

// Writes the cache of the index at `index_path` unless the one there is up
// to date. A failure is not fatal (facets are then counted without it): it
// is reported on `diagnostics` as "indexer: warning: ...".
void refresh_facet_cache(const std::string& index_path, std::ostream& diagnostics);

class FacetCache {
public:
    // The cache of the index at `index_path` if it was built from exactly
    // the shards in `states` and its header is intact; nullptr when it is
    // missing, damaged or stale.
    static std::unique_ptr<FacetCache> open(const std::string& index_path, const std::vector<ShardState>& states);
    ~FacetCache();
    FacetCache(const FacetCache&) = delete;
    FacetCache& operator=(const FacetCache&) = delete;

    // One slot as stored: id(docid) is 0 for no value, else 1 + the index of
    // the document's value in the value table. Document ids are those of the
    // shards combined: local id L of shard S (of N) is (L - 1) * N + S + 1.
    // A value is a combination of names (schema::kFacetSeparator); the names
    // of value V are name_ids[name_starts[V] .. name_starts[V + 1]).
    struct Slot {
        // The ids, each as narrow as the value count allows (1, 2 or 4
        // bytes, little-endian): a year or a source takes one byte a
        // document instead of four.
        const unsigned char* ids = nullptr;
        unsigned id_width = 4;
        std::uint32_t id_count = 0; // last docid + 1
        std::uint32_t value_count = 0;
        const std::uint32_t* name_starts = nullptr; // value_count + 1
        const std::uint32_t* name_ids = nullptr;
        std::uint32_t name_count = 0;
        const std::uint32_t* name_offsets = nullptr; // name_count + 1 offsets into `names`
        const char* names = nullptr;

        // The value id of a document (0: none, or past the end).
        std::uint32_t id(std::uint32_t docid) const {
            if (docid >= id_count) return 0;
            switch (id_width) {
            case 1: return ids[docid];
            case 2: return ids[2 * std::size_t{docid}] | (std::uint32_t{ids[2 * std::size_t{docid} + 1]} << 8);
            default: {
                const unsigned char* p = ids + 4 * std::size_t{docid};
                return p[0] | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24);
            }
            }
        }

        std::string_view name(std::uint32_t index) const {
            return {names + name_offsets[index], name_offsets[index + 1] - name_offsets[index]};
        }
    };
    // The slot, or nullptr when the cache does not hold it or its section
    // is damaged. The first call for a slot checks its section against its
    // checksum: make it from one thread before others read the slot.
    const Slot* slot(Xapian::valueno slot) const;

    // Every document's place in the oldest-first and the newest-first
    // orders (ascending schema::kOldestKeySlot, descending kNewestKeySlot),
    // by document id as in Slot: the key a search without words sorts by,
    // read from here instead of from each match's value slot.
    struct Order {
        const std::uint32_t* oldest = nullptr; // id_count places
        const std::uint32_t* newest = nullptr;
        std::uint32_t id_count = 0;
        // The place of a document (kNoPlace: none, or past the end).
        std::uint32_t place(std::uint32_t docid, bool newest_first) const {
            if (docid >= id_count) return kNoPlace;
            return (newest_first ? newest : oldest)[docid];
        }
    };
    static constexpr std::uint32_t kNoPlace = UINT32_MAX;
    // The places, or nullptr when their section is damaged (checked on the
    // first call, as slot()).
    const Order* order() const;

    // Last docid + 1 over the shards the cache was built from.
    std::uint32_t id_count() const { return m_id_count; }
    // Whether a section read so far did not match its checksum.
    bool damaged() const { return m_damaged; }
    // Checks every section (what the indexer does before it keeps a cache).
    bool intact() const;

    // The documents each shard held when the cache was written (in the
    // order of the stub), whatever the shards hold now: what `indexer
    // repair` reports lost with a shard. nullopt when the cache is missing,
    // damaged, or was written for another number of shards.
    static std::optional<std::vector<Xapian::doccount>> shard_sizes(const std::string& index_path, std::size_t shards);

private:
    FacetCache() = default;
    static std::unique_ptr<FacetCache> map(const std::string& index_path, const std::vector<ShardState>* states);

    // Where a section lies in the file, and what reading it found.
    struct Section {
        std::uint64_t offset = 0, length = 0, hash = 0;
        enum class State { unchecked, good, damaged } state = State::unchecked;
    };
    // Checks a section's checksum once; false when damaged.
    bool check(Section& section) const;
    // Reads a slot's section (checked) into `slot`; false when its tables
    // do not hold together.
    bool parse_slot(const Section& section, Slot& slot) const;

    void* m_map = nullptr;
    std::size_t m_size = 0;
    std::uint32_t m_id_count = 0;
    std::uint32_t m_shard_count = 0;
    // Parsed on first use: hence mutable (see slot()).
    mutable std::vector<std::pair<Xapian::valueno, Section>> m_slot_sections;
    mutable std::vector<Slot> m_slots; // by m_slot_sections' index, once good
    mutable Section m_order_section;
    mutable Order m_order;
    mutable bool m_damaged = false;
};

} // namespace pundit
