#include "pundit/durable_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
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

void write_file_durably(const std::string& path, const std::string& contents) {
    const std::string staging = path + ".new-" + std::to_string(::getpid());
    const int fd = ::open(staging.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
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
        sync_and_close(fd, staging);
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
    sync_directory(fs::path(path).parent_path().string());
}

} // namespace pundit
