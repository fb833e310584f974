// Where the index lives and how it is opened: the default location, the
// schema-version check, and turning Xapian's errors into messages that say
// what to do. Both binaries open indexes only through here.
#pragma once

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

// One database a stub lists: a local one, its path resolved against the
// stub's directory, or a remote one served by xapian-tcpsrv ("HOST:PORT").
struct StubEntry {
    bool remote = false;
    std::string target;
    std::string line; // as written, for messages
};

// The databases of the index at `path` as its stub lists them, in order;
// {path} when it is a plain database. The one reader of stub files. Throws
// Error(index) when the stub cannot be read.
std::vector<StubEntry> index_databases(const std::string& path);

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
// in `report` instead.
Xapian::Database open_index_for_reading(const std::string& path, const OpenOptions& options = {},
                                        IndexReport* report = nullptr);

// The warning a search with entity filters deserves when the index was
// tagged with other gazetteer versions than `loaded` (empty when none).
std::string gazetteer_mismatch(const std::string& path, const std::vector<std::string>& index_versions,
                               const std::string& loaded);

// The files a commit of the index at `path` replaces: its stub (when it has
// one) and the version file of each local database. Empty when a database
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
