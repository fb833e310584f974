// The one lock every process that changes an index takes first: `indexer
// add`, `remove`, `compact` and `repair` alike, before they look at what the
// index directory holds, and for as long as they change it. It is a file in
// the index directory (kLockFileName) locked with flock(2), so the kernel
// releases it when its holder exits, even by SIGKILL: a crash never leaves
// a stale lock behind, and a process that gets the lock knows that nobody
// else is half-way through creating, writing or compacting the index.
// Readers never take it (Xapian lets them read while a writer commits).
// Not for the databases' own locks (Xapian's, per shard), which writers
// take too.
#pragma once

#include <string>

namespace pundit {

// The lock file in an index directory.
inline constexpr const char* kLockFileName = "pundit.lock";

class IndexLock {
public:
    enum class OnLocked { fail, wait };

    // Locks the index directory `dir`, creating the directory and its lock
    // file when absent. Throws Error(index): "locked by another indexer"
    // when another process holds it (unless told to wait for it), "not
    // writable" when the directory or its lock file may not be written.
    IndexLock(const std::string& dir, OnLocked on_locked);
    ~IndexLock();
    IndexLock(const IndexLock&) = delete;
    IndexLock& operator=(const IndexLock&) = delete;

    const std::string& dir() const { return m_dir; }

private:
    std::string m_dir;
    int m_fd = -1;
};

// The message for an index that cannot be written because of `error`
// (an errno value): permission, a read-only file system.
std::string not_writable_message(const std::string& dir, int error);

} // namespace pundit
