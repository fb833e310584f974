// An index on disk as the indexer writes it: one Xapian database, or several
// shards written in parallel behind a Xapian stub file. The layout of a
// sharded index DIR:
//
//   DIR/XAPIANDB        stub listing the shards ("auto shard-00" ...): Xapian,
//                       xapian-delve and our searcher open DIR as one database
//   DIR/shard-00/ ...   glass databases, each a complete Pundit index
//
// An article always lives in shard hash(id) mod N, so re-ingesting replaces it
// in place. The shard count is chosen when the index is created and recorded
// in every shard's metadata. Not for reading (index.hpp opens any layout).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pundit/index_writer.hpp"

namespace pundit {

// Shards an index gets when nobody says: two per core, as writing is the
// bulk of indexing time and each shard has its own writer thread.
std::size_t default_shard_count();

// The most shards an index may have (Xapian opens every shard for each search).
inline constexpr std::size_t kMaxShards = 64;

class IndexSet {
public:
    // Opens the index at `path` for writing; creates it with `shards_if_new`
    // shards (1: a plain database) when absent. Throws Error(index) like
    // IndexWriter, naming the path.
    IndexSet(const std::string& path, std::size_t shards_if_new,
             IndexWriter::OnLocked on_locked = IndexWriter::OnLocked::fail);

    std::size_t shard_count() const { return m_shards.size(); }
    // The shard that holds (or will hold) the article with this id.
    std::size_t shard_of(const std::string& id) const;
    IndexWriter& shard(std::size_t k) { return *m_shards[k]; }
    const std::string& path() const { return m_path; }

    // Commits every shard.
    void commit();

private:
    std::string m_path;
    std::vector<std::unique_ptr<IndexWriter>> m_shards;
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
