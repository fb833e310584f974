// Work on a whole index that no ingest does: rewriting it compactly
// (`indexer compact`) and putting back what was lost or damaged (`indexer
// repair`). Both hold the index's IndexLock from start to end, so no indexer
// writes meanwhile, and change what readers see in one atomic step: a
// searcher sees the index before or after, never in between. Not for
// writing articles (index_set.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pundit/index_writer.hpp"

namespace pundit {

struct CompactSummary {
    std::size_t shards_before = 0;
    std::size_t shards_after = 0;
    std::uintmax_t bytes_before = 0;
    std::uintmax_t bytes_after = 0;
    // What was found of an earlier process killed while changing the index.
    std::vector<std::string> notes;
    // Shards outside the index directory that the compacted copies replace
    // in the stub, left where they are (never removed: not ours).
    std::vector<std::string> left_in_place;
};

// Compacts the index at `path` with Xapian's compactor: each shard, or with
// `merge` all of them into one database. The compacted shards are written
// into a new directory DIR/compact-N/, then one rename of the stub switches
// readers over (a plain database becomes a stub listing its compacted
// copy), then the replaced shards are removed. A compaction killed at any
// moment leaves the index as it was or as compacted: its journal
// (index_layout.hpp) lets the next process that takes the lock undo or
// finish it. Nothing outside the index's own entries is touched. Throws
// Error(index) naming the path; the index is then as it was.
CompactSummary compact_index(const std::string& path, bool merge,
                             IndexWriter::OnLocked on_locked = IndexWriter::OnLocked::fail);

// Merges the segments a large ingest wrote (DIR/segments/, index_layout.hpp)
// into their shards, for the holder of the IndexLock: each shard that has
// some is compacted together with them, in order, into DIR/compact-N/NAME,
// then one rename of the stub switches readers over and the shard and its
// segments are removed, with the same journal as compact_index (a kill at
// any moment leaves the index as it was, segments unmerged, or merged).
// Shards are merged two at a time or one per core, whichever is fewer.
// Rewrites the facet cache when `refresh_facets`. Returns sentences for the
// user (none when there was nothing to merge). Throws Error(index) naming
// the path; the segments are then kept for the next process to merge.
std::vector<std::string> merge_segments(const std::string& dir, bool refresh_facets);

// What `indexer repair` found and did, one sentence each; none when the
// index needed nothing.
struct RepairSummary {
    std::vector<std::string> repaired;
    std::size_t shards = 0; // shards checked
};

// Puts the index at `path` back in a state every command accepts, saying
// what was lost: finishes or undoes an interrupted compaction; lists the
// shards again in a new stub when it is missing; recreates empty a shard the
// stub lists that is missing, or that cannot be opened or fails Xapian's
// consistency check (which is first moved aside to DIR/NAME.damaged, never
// deleted); rebuilds the spelling table when an ingest was cut short before
// it; rewrites the facet cache. Throws Error(index) when it cannot.
// The gazetteer (may be null) seeds a rebuilt spelling table.
RepairSummary repair_index(const std::string& path, const Gazetteer* gazetteer,
                           IndexWriter::OnLocked on_locked = IndexWriter::OnLocked::fail);

} // namespace pundit
