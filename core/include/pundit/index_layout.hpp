// What an index directory holds, file by file, for the processes that
// change it (under its IndexLock): the stub and the names of shards, the
// facet cache and flag files beside them, the journal of a compaction, and
// what is left behind when one of those processes is killed. Every rule
// about which files in an index directory are ours, and so may be replaced
// or removed, lives here: anything else (a user's NOTES.txt, a sibling
// directory) is never touched.
//
//   DIR/pundit.lock      the IndexLock
//   DIR/XAPIANDB         the stub listing the shards ("auto shard-00", ...),
//                        or DIR itself is a database (DIR/iamglass, ...)
//   DIR/shard-NN/, DIR/year-YYYY/, DIR/undated/   shards as created
//   DIR/compact-N/...    shards as `indexer compact` rewrote them
//   DIR/segments/NAME.NNNN/  databases a large ingest writes beside shard
//                        NAME and merges into it at its end (merge_segments
//                        in index_maintenance.hpp): readers never see them
//   DIR/facets.cache     facet_cache.hpp
//   DIR/compact.journal  while a compaction switches the index over
//   DIR/spelling.pending while an ingest's words are not all in the
//                        spelling table yet
//
// Not for reading an index (index.hpp) or writing articles (index_set.hpp).
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "pundit/index.hpp"

namespace pundit {

inline constexpr const char* kCompactJournalName = "compact.journal";
inline constexpr const char* kSpellingPendingName = "spelling.pending";
inline constexpr const char* kFacetCacheName = "facets.cache";
// In a database directory while IndexWriter creates the database: Xapian
// files without a version file beside it are what a killed creation left
// (cleared and created again); without it, a damaged database (kept).
inline constexpr const char* kCreatingName = "pundit.creating";
// Compacted shards live in DIR/<kCompactDirPrefix>N/.
inline constexpr std::string_view kCompactDirPrefix = "compact-";

// Segments live in DIR/<kSegmentsDirName>/NAME.NNNN/.
inline constexpr const char* kSegmentsDirName = "segments";

// The name of hash shard k: "shard-03".
std::string hash_shard_name(std::size_t k);
// The names a shard directory is created with: shard-NN, year-YYYY, undated.
bool is_shard_name(std::string_view name);
// compact-N.
bool is_compact_dir_name(std::string_view name);

// A segment of shard `shard` (its name, "shard-03"), number `number` (from
// 1, in the order written): "segments/shard-03.0001", relative to DIR.
std::string segment_relative(std::string_view shard, std::size_t number);

struct Segment {
    std::string shard;    // the name of the shard it belongs to
    std::size_t number = 0;
    std::string relative; // "segments/shard-03.0001"
};

// The segments in DIR/segments that are databases, by shard name then
// number (a directory that is not one is what a creation cut short left,
// empty of articles).
std::vector<Segment> list_segments(const std::string& dir);

// Whether `name`, found in an index directory, is one of the files or
// directories above (or a staging file a killed process left of one).
bool is_index_entry_name(std::string_view name);

// The index directory that a process writing the index at `path` works in:
// `path` itself, or DIR when `path` is DIR/XAPIANDB, the stub of a sharded
// index given as a file (as it is to a reader: the same databases). Throws
// Error(index) for a stub file of another name, after reading it as a stub
// (so that a stub's own errors come first, as for a directory): the lock,
// the facet cache and compacted shards live in the directory beside the
// stub, and such a file has no directory of its own. Anything else (a
// directory, nothing, a file that is no stub) is returned as given.
std::string writable_index_directory(const std::string& path);

// Whether DIR itself is a Xapian database (a plain, unsharded index).
bool is_database_directory(const std::string& dir);

// The shards the stub of `dir` lists, for a process that writes them: each
// local, in the directory or below it, named directly by the stub (not
// through a stub of its own). Throws Error(index) naming the line otherwise.
std::vector<StubEntry> writable_shards(const std::string& dir);

// Writes the stub of `dir` listing `relatives` ("auto PATH" lines), durably
// and atomically (durable_file.hpp): a reader sees the old list or the new.
void write_stub(const std::string& dir, const std::vector<std::string>& relatives);
std::string stub_contents(const std::vector<std::string>& relatives);

// Whether `relative`, a path a stub lists, lies inside the index directory
// (neither absolute nor climbing out with ".."): only such shards are ever
// removed by a compaction that replaced them.
bool is_inside(std::string_view relative);

// What a compaction means to do, written before it creates anything so that
// a process that finds it (the next to take the lock) can finish or undo it.
struct CompactionJournal {
    std::string created;               // the compact-N directory it fills
    std::vector<std::string> replaced; // what the switch makes obsolete: old shards (relative), or a
                                       // plain database's own files
    std::string new_stub;              // the stub contents that mark the switch as done
    bool stub_created = false;         // the index had no stub before (a plain database)
};

void write_compaction_journal(const std::string& dir, const CompactionJournal& journal);
std::optional<CompactionJournal> read_compaction_journal(const std::string& dir);

// Whether the switch a journal describes has happened: the stub is the new
// one, and the directory is no longer a database of its own.
bool compaction_switched(const std::string& dir, const CompactionJournal& journal);

// Removes what a switched compaction made obsolete, then the journal.
void finish_compaction(const std::string& dir, const CompactionJournal& journal);

// For the holder of the IndexLock: finishes a compaction that was killed
// after its switch, or undoes one killed before it (removing only what the
// journal says it created), and removes staging files left by killed
// writers. Returns what it did, in sentences for the user.
std::vector<std::string> recover_index_directory(const std::string& dir);

// Throws Error(index) when `dir` exists and is not a directory, or holds
// something besides an index: a database, a stub, shards, the files above.
// Called before anything is written into `dir`.
void refuse_foreign_directory(const std::string& dir);

// For the creator of a database at `dir`: removes what Xapian left of a
// creation of ours that was cut short (its lock and table files, without a
// version file, beside kCreatingName). Throws Error(index) when Xapian's
// files are there without the marker: a database that lost its version
// file is damaged, and is never cleared.
void clear_cut_short_creation(const std::string& dir);

} // namespace pundit

namespace pundit {

// The spelling flag: set (durably) before an ingest commits anything and
// cleared once its words are all in the spelling table, so that a run
// killed in between is known to the next one, which rebuilds the table.
void mark_spelling_pending(const std::string& dir);
bool spelling_pending(const std::string& dir);
void clear_spelling_pending(const std::string& dir);

} // namespace pundit
