#include "pundit/durable_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pundit/error.hpp"

namespace pundit {
namespace {

namespace fs = std::filesystem;

Error failure(const std::string& what, const std::string& path) {
    return Error(ErrorKind::index, "cannot " + what + " '" + path + "': " + std::strerror(errno));
}

// Flushes the file or directory open as `fd`, then closes it.
void sync_and_close(int fd, const std::string& path) {
    const bool synced = ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    errno = saved;
    if (!synced) throw failure("flush", path);
}

} // namespace

std::optional<std::string> read_small_file(const std::string& path, std::size_t limit) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
        throw failure("read", path);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::size_t>(st.st_size) > limit) {
        const bool regular = S_ISREG(st.st_mode);
        ::close(fd);
        throw Error(ErrorKind::index, "'" + path + "' is " + (regular ? "larger than " + std::to_string(limit) + " bytes" :
                                                                         std::string("not a regular file")) +
                                          ": not a file Pundit wrote");
    }
    std::string contents(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t done = 0;
    while (done < contents.size()) {
        const ssize_t n = ::read(fd, contents.data() + done, contents.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    contents.resize(done);
    return contents;
}

void sync_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw failure("open", path);
    sync_and_close(fd, path);
}

void sync_directory(const std::string& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw failure("open", dir);
    sync_and_close(fd, dir);
}

void write_file_atomically(const std::string& path, const std::string& contents, Durability durability) {
    const std::string staging = path + ".new-" + std::to_string(::getpid());
    // A new file of our own: whatever has the staging name (a leftover, or a
    // symbolic link planted in a copied index) goes first, and is never
    // written through.
    ::unlink(staging.c_str());
    const int fd = ::open(staging.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) throw failure("write", staging);
    std::size_t done = 0;
    while (done < contents.size()) {
        const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int saved = errno;
            ::close(fd);
            ::unlink(staging.c_str());
            errno = saved;
            throw failure("write", staging);
        }
        done += static_cast<std::size_t>(n);
    }
    try {
        if (durability == Durability::flush) {
            sync_and_close(fd, staging);
        } else if (::close(fd) != 0) {
            throw failure("write", staging);
        }
    } catch (const Error&) {
        ::unlink(staging.c_str());
        throw;
    }
    if (::rename(staging.c_str(), path.c_str()) != 0) {
        const int saved = errno;
        ::unlink(staging.c_str());
        errno = saved;
        throw failure("write", path);
    }
    if (durability == Durability::flush) sync_directory(fs::path(path).parent_path().string());
}

void write_file_durably(const std::string& path, const std::string& contents) {
    write_file_atomically(path, contents, Durability::flush);
}

} // namespace pundit
