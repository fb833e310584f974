// An index on disk as the indexer writes it: one Xapian database, or several
// shards written in parallel behind a Xapian stub file. The layout of a
// sharded index DIR:
//
//   DIR/XAPIANDB        stub listing the shards ("auto shard-00" ...): Xapian,
//                       xapian-delve and our searcher open DIR as one database
//   DIR/shard-00/ ...   glass databases, each a complete Pundit index
//
// Shards are chosen when the index is created, one of two ways, recorded in
// every shard's metadata (schema::kShardByKey) and followed by later runs:
//
//   by hash   DIR/shard-00 ... shard-NN: an article always lives in shard
//             hash(id) mod N, so re-ingesting replaces it in place.
//   by year   DIR/year-2019, DIR/year-2020 ..., DIR/undated: an article lives
//             in the shard of its date's year. A year's shard is created when
//             its first article arrives and then added to the stub (renamed
//             into place), so readers never see a stub naming a missing shard.
//             `undated` is created with the index: an index always has a
//             shard, and its write lock is the whole index's. An article whose
//             date changes moves to its new year's shard.
//
// Not for reading (index.hpp opens any layout).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pundit/index_writer.hpp"

namespace pundit {

// Shards an index gets when nobody says: two per core, as writing is the
// bulk of indexing time and each shard has its own writer thread.
std::size_t default_shard_count();

// The most shards an index may have (Xapian opens every shard for each search).
inline constexpr std::size_t kMaxShards = 64;

// How the articles of an index are spread over its shards.
enum class ShardBy { hash, year };

// What `indexer add` asks for. A new index follows it; an existing one keeps
// what it was created with, and asking for something else is an error.
struct ShardingRequest {
    std::optional<ShardBy> by;         // nullopt: by hash for a new index
    std::optional<std::size_t> shards; // hash only; nullopt: default_shard_count() for a new index
};

// "hash" -> ShardBy::hash, "year" -> ShardBy::year; Error(input) otherwise.
ShardBy parse_shard_by(std::string_view text);

// The shard that holds articles of this date ("YYYY-MM-DD" or empty):
// "year-2019", or "undated".
std::string year_shard_name(std::string_view date);
inline constexpr const char* kUndatedShard = "undated";

class IndexSet {
public:
    // Opens the index at `path` for writing, creating it as `request` says
    // when absent. Throws Error(index) when the index exists and `request`
    // asks for another sharding than the one it records, saying which.
    IndexSet(const std::string& path, const ShardingRequest& request,
             IndexWriter::OnLocked on_locked = IndexWriter::OnLocked::fail);

    // Opens the index at `path` for writing; creates it with `shards_if_new`
    // shards (1: a plain database) when absent. Throws Error(index) like
    // IndexWriter, naming the path.
    IndexSet(const std::string& path, std::size_t shards_if_new,
             IndexWriter::OnLocked on_locked = IndexWriter::OnLocked::fail);

    std::size_t shard_count() const { return m_shards.size(); }
    ShardBy shard_by() const { return m_by; }
    // How the index is sharded, for messages: "by hash into 4 shards",
    // "by year", "a single database".
    std::string describe() const;
    // Hash sharding: the shard that holds (or will hold) the article with this id.
    std::size_t shard_of(const std::string& id) const;
    // Year sharding: the shard of articles of this date (year_shard_name),
    // created and added to the stub first if the index has none yet. The
    // writers of the shards already open stay where they are.
    std::size_t shard_for_date(std::string_view date);
    // The directory name of shard k ("shard-03", "year-2019", ...).
    const std::string& shard_name(std::size_t k) const { return m_names[k]; }
    // Deletes the article with this id from whichever shard holds it (all of
    // them, should a crash have left it in two); false when none did.
    bool remove(const std::string& id);
    IndexWriter& shard(std::size_t k) { return *m_shards[k]; }
    const std::string& path() const { return m_path; }

    // Commits every shard.
    void commit();

private:
    void open(const ShardingRequest& request, std::size_t shards_if_new, bool check_request);
    void create_by_year(bool resume);
    void open_existing(const ShardingRequest& request, bool check_request);
    std::size_t add_year_shard(const std::string& name);

    std::string m_path;
    IndexWriter::OnLocked m_on_locked;
    ShardBy m_by = ShardBy::hash;
    std::vector<std::unique_ptr<IndexWriter>> m_shards;
    std::vector<std::string> m_names; // of m_shards, as the stub lists them
};

// The shard directories of the index at `path`: {path} for a plain database.
// Throws Error(index) when the stub is unreadable.
std::vector<std::string> shard_paths(const std::string& path);

} // namespace pundit

namespace pundit {

struct CompactSummary {
    std::size_t shards_before = 0;
    std::size_t shards_after = 0;
    std::uintmax_t bytes_before = 0;
    std::uintmax_t bytes_after = 0;
};

// Compacts the index at `path` with Xapian's compactor (Database::compact):
// each shard in place, or with `merge` all shards into one database. Holds
// the write lock of every shard meanwhile, so no indexer can write. The
// result replaces the index only once complete; a failure leaves the index as
// it was. Throws Error(index) naming the path.
CompactSummary compact_index(const std::string& path, bool merge);

} // namespace pundit
