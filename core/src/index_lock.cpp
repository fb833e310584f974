#include "pundit/index_lock.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pundit/error.hpp"
#include "pundit/fault_point.hpp"

namespace pundit {

std::string not_writable_message(const std::string& dir, int error) {
    std::string why = std::strerror(error);
    if (error == EROFS) why += ": it is on a read-only file system";
    else if (error == EACCES || error == EPERM) why += ": it belongs to another user, or its permissions forbid writing";
    return "the index at '" + dir + "' is not writable (" + why + "); searching it needs no write access";
}

IndexLock::IndexLock(const std::string& dir, OnLocked on_locked) : m_dir(dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        std::string why = ec.message();
        if (ec == std::errc::permission_denied || ec == std::errc::read_only_file_system) {
            why += ": the directory it would go in may not be written";
        }
        throw Error(ErrorKind::index, "cannot create the index directory '" + dir + "' (" + why + ")");
    }
    const std::string file = (fs::path(dir) / kLockFileName).string();
    // Never through a symbolic link: an index copied from someone else
    // must not make us open (or create) a file elsewhere.
    m_fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
    if (m_fd < 0) {
        const int error = errno;
        if (error == EACCES || error == EPERM || error == EROFS) throw Error(ErrorKind::index, not_writable_message(dir, error));
        throw Error(ErrorKind::index, "cannot open the lock file '" + file + "': " + std::strerror(error));
    }
    struct stat st {};
    if (::fstat(m_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(m_fd);
        m_fd = -1;
        throw Error(ErrorKind::index, "'" + file + "' is not a regular file; move it away");
    }
    int result;
    do {
        result = ::flock(m_fd, LOCK_EX | LOCK_NB);
    } while (result != 0 && errno == EINTR);
    if (result != 0 && errno == EWOULDBLOCK && on_locked == OnLocked::wait) {
        // Held by another writer: wait for it.
        fault_point("lock-waiting");
        do {
            result = ::flock(m_fd, LOCK_EX);
        } while (result != 0 && errno == EINTR);
    }
    if (result != 0) {
        const int error = errno;
        ::close(m_fd);
        m_fd = -1;
        if (error == EWOULDBLOCK) {
            throw Error(ErrorKind::index, "the index at '" + dir + "' is locked by another indexer (use --wait to wait for it)");
        }
        throw Error(ErrorKind::index, "cannot lock the index at '" + dir + "': " + std::strerror(error));
    }
    fault_point("lock-taken");
}

IndexLock::~IndexLock() {
    if (m_fd >= 0) ::close(m_fd); // closing releases the flock
}

} // namespace pundit
