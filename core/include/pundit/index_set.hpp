// An index on disk as the indexer writes it: one Xapian database, or several
// shards written in parallel behind a Xapian stub file. The layout of a
// sharded index DIR:
//
//   DIR/XAPIANDB        stub listing the shards ("auto shard-00" ...): Xapian,
//                       xapian-delve and our searcher open DIR as one database
//   DIR/shard-00/ ...   glass databases, each a complete Pundit index
//   (index_layout.hpp lists the rest: the lock, compacted shards, ...)
//
// An IndexSet holds the index's IndexLock from before it looks at the
// directory until it is destroyed: creating, writing and compacting an
// index are never interleaved. A shard the stub lists must be there: one
// that is missing or cannot be opened is an error naming it (repair_index
// in index_maintenance.hpp recreates it), never silently recreated empty.
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

#include "pundit/index_lock.hpp"
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
    // The name of shard k as created ("shard-03", "year-2019", ...; empty
    // for a plain database), whatever directory holds it now.
    const std::string& shard_name(std::size_t k) const { return m_names[k]; }
    // Deletes the article with this id from whichever shard holds it (all of
    // them, should a crash have left it in two); false when none did.
    bool remove(const std::string& id);
    IndexWriter& shard(std::size_t k) { return *m_shards[k]; }
    const std::string& path() const { return m_path; }

    // Commits every shard.
    void commit();

    // The shard that holds the spelling table: always the same one, as
    // Xapian 1.4 scores a word by the number of shards holding it. By year,
    // `undated`, which every such index has from its creation; else the first.
    std::size_t spelling_shard() const;
    // Fills the spelling table from the headline and body words the shards
    // hold and the gazetteer's names (when given), emptying it first when
    // `clear_first`: what a first import does at its end, and what repairs a
    // table an interrupted ingest left incomplete. Committed with the next
    // commit of the spelling shard.
    void fill_spelling(const Gazetteer* gazetteer, bool clear_first);

    // Whether a large ingest may write segments beside the shards (by hash,
    // behind a stub), and where segment `number` of shard k goes.
    bool can_segment() const;
    std::string segment_path(std::size_t k, std::size_t number) const;
    // Merges the segments written beside the shards into them
    // (merge_segments in index_maintenance.hpp) and opens the merged shards
    // in place of the old: every shard must be committed. Nothing happens
    // when there are none.
    void merge_segments();

    // What opening the index did to finish or undo the work of a process
    // killed while changing it (recover_index_directory), for the user.
    const std::vector<std::string>& notes() const { return m_notes; }

private:
    void open(const ShardingRequest& request, std::size_t shards_if_new, bool check_request);
    void create_by_hash(std::size_t shards, bool resume);
    void create_by_year(bool resume);
    void open_existing(const ShardingRequest& request, bool check_request);
    std::size_t add_year_shard(const std::string& name);

    std::string m_path;
    IndexWriter::OnLocked m_on_locked;
    std::unique_ptr<IndexLock> m_lock; // before the shards: released after them
    ShardBy m_by = ShardBy::hash;
    std::vector<std::unique_ptr<IndexWriter>> m_shards;
    std::vector<std::string> m_names;     // of m_shards (shard_name)
    std::vector<std::string> m_relatives; // of m_shards, as the stub lists them
    std::vector<std::string> m_notes;
};

// The shard directories of the index at `path`: {path} for a plain database.
// Throws Error(index) when the stub is unreadable or lists what Pundit does
// not write (a remote shard, a stub of its own).
std::vector<std::string> shard_paths(const std::string& path);

} // namespace pundit

