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

// How shards listed in a stub file are opened.
struct OpenOptions {
    // Search the shards that answer when some do not (else: an error).
    bool allow_partial = false;
};

// Remote shards (xapian-tcpsrv): every operation, and connecting, must
// finish within these many milliseconds.
inline constexpr unsigned kRemoteTimeoutMs = 10000;
inline constexpr unsigned kRemoteConnectTimeoutMs = 3000;

// Opens an existing index for reading and checks its schema version. Throws
// Error(index) naming the path when it is missing, not an index, or was
// written by an incompatible version. A sharded index is opened shard by
// shard, local ("auto PATH") and remote ("remote HOST:PORT") alike, so an
// unreachable shard is named; with allow_partial it is skipped and listed
// in `missing` instead.
Xapian::Database open_index_for_reading(const std::string& path, const OpenOptions& options = {},
                                        std::vector<std::string>* missing = nullptr);

// Checks the schema version recorded in `db` (opened from `path`).
void check_schema_version(const Xapian::Database& db, const std::string& path);

} // namespace pundit
