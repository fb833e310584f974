// Where the index lives and how it is opened: the default location, the
// schema-version check, and turning Xapian's errors into messages that say
// what to do. Both binaries open indexes only through here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

namespace pundit {

// The index directory: `explicit_path` if given, else $NEWS_INDEX, else
// $XDG_DATA_HOME/pundit/index, else ~/.local/share/pundit/index.
std::string resolve_index_path(const std::optional<std::string>& explicit_path);

// The Xapian stub file that lists the databases of a sharded index.
inline constexpr const char* kStubFileName = "XAPIANDB";

// Stubs may name directories that hold stubs of their own; this many levels
// deep at most (a chain longer than that is surely a mistake or a trap).
inline constexpr int kMaxStubDepth = 8;
// The largest stub file read (a stub listing a thousand remote shards takes
// some 30 KB): anything larger is not a stub.
inline constexpr std::size_t kMaxStubBytes = 1u << 20;

// One database an index is made of: a local one, its path resolved against
// the directory of the stub that lists it, or a remote one served by
// xapian-tcpsrv ("HOST:PORT").
struct StubEntry {
    bool remote = false;
    std::string target;
    std::string line;     // as written, for messages (the path of a plain database)
    std::string stub;     // the stub file that lists it; empty for a plain database
    std::string relative; // the local path as the stub writes it
};

// The databases of the index at `path` (a directory or a stub file) in
// order: {path} for a plain database; else what its stub lists, with the
// stubs that it names in turn (Xapian's "auto DIR" of a stub directory)
// read here too, so that every entry is a database. The one reader of stub
// files: Xapian itself is only ever handed databases, never a stub.
// Throws Error(index) naming the stub and line when a stub cannot be read,
// names a program to run ("remote :PROG", which Xapian would run: an index
// copied from someone else must never execute anything), has a line of
// another kind, or when stubs name each other in a cycle or nest deeper than
// kMaxStubDepth.
std::vector<StubEntry> index_databases(const std::string& path);

// Opens one local database as a database only (never as a stub, whatever
// the path holds by then). Throws Xapian::Error.
Xapian::Database open_local_database(const std::string& path);

// What a reader must look at to see that the index was switched to another
// set of databases (a compaction, a new year shard): the top stub's
// contents, and whether the directory is a database of its own.
std::string layout_fingerprint(const std::string& path);

// Raises this process's limit on open files to the most the system allows:
// every shard takes a few files, and an index by year may have hundreds.
void raise_open_file_limit();

// How shards listed in a stub file are opened.
struct OpenOptions {
    // Search the shards that answer when some do not (else: an error).
    bool allow_partial = false;
};

// Remote shards (xapian-tcpsrv): every operation, and connecting, must
// finish within these many milliseconds.
inline constexpr unsigned kRemoteTimeoutMs = 10000;
inline constexpr unsigned kRemoteConnectTimeoutMs = 3000;

// What opening an index found out about it, beyond the database itself.
struct IndexReport {
    // Shards that could not be reached (with OpenOptions::allow_partial).
    std::vector<std::string> missing_shards;
    // The gazetteer versions the articles are tagged with, over all shards,
    // each once, in the order found (none when nothing was tagged).
    std::vector<std::string> gazetteer_versions;
};

// Opens an existing index for reading and checks its schema version. Throws
// Error(index) naming the path when it is missing, not an index, or was
// written by an incompatible version. A sharded index is opened shard by
// shard, local ("auto PATH") and remote ("remote HOST:PORT") alike, so an
// unreachable shard is named; with allow_partial it is skipped and listed
// in `report` instead. A local shard the stub lists that is missing is an
// error of its own, which says how to restore or recreate it. When the index
// is switched to other databases while they are opened (`indexer compact`
// renames a new stub into place, then removes the old shards), the new
// ones are opened instead: a reader never fails for having read the old stub.
Xapian::Database open_index_for_reading(const std::string& path, const OpenOptions& options = {},
                                        IndexReport* report = nullptr);

// Throws Error(index) "no index at ..." when there is nothing at `path`
// that could be an index (for commands that change one, before they lock it).
void require_index(const std::string& path);

// The warning a search with entity filters deserves when the index was
// tagged with other gazetteer versions than `loaded` (empty when none).
std::string gazetteer_mismatch(const std::string& path, const std::vector<std::string>& index_versions,
                               const std::string& loaded);

// The files a commit of the index at `path` replaces: its stub (when it has
// one, and any it names in turn) and the version file of each local database. Empty when a database
// is remote or of an unknown format: its state cannot be seen from here.
std::vector<std::string> commit_files(const std::string& path);

// What stat() says of `files` (commit_files): equal fingerprints taken at two
// moments mean that no commit landed in between. A commit renames a new
// version file into place, so its inode, times or size differ. Empty when
// `files` is or one of them cannot be read: then nothing can be told.
std::string commit_fingerprint(const std::vector<std::string>& files);

// Checks the schema version recorded in `db` (opened from `path`).
void check_schema_version(const Xapian::Database& db, const std::string& path);

} // namespace pundit
