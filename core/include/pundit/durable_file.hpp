// Small files that must survive a crash of the whole machine whole or not
// at all: the stub that lists an index's shards, the compaction journal, the
// facet cache, the spelling flag. Each is written under a temporary name,
// flushed to the disk, renamed into place and its directory flushed, so that
// after a power cut the file holds either its old or its new contents (what
// POSIX rename() promises once both are on the disk). Not for the databases
// themselves: Xapian flushes its own files at each commit.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace pundit {

// Replaces `path` with `contents` as above. Throws Error(index) naming the
// path when any step fails (the old contents are then still in place).
void write_file_durably(const std::string& path, const std::string& contents);

// The same, flushed to the disk or not: a file that checks itself (the
// facet cache) needs only the rename, which readers see whole.
enum class Durability { flush, none };
void write_file_atomically(const std::string& path, const std::string& contents, Durability durability);

// The contents of a small file of the index (a stub, a journal): nullopt
// when there is none. Throws Error(index) naming it when it is not a regular
// file (a FIFO would block the reader) or is larger than `limit` bytes.
std::optional<std::string> read_small_file(const std::string& path, std::size_t limit);

// Flushes a directory's entries (a rename, a new or removed file in it) to
// the disk. Throws Error(index) naming it on failure.
void sync_directory(const std::string& dir);

// Flushes one file's contents to the disk. Throws Error(index) naming it.
void sync_file(const std::string& path);

} // namespace pundit
