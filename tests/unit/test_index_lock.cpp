#include <doctest/doctest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <thread>

#include <sys/stat.h>

#include "pundit/fault_point.hpp"
#include "pundit/index_lock.hpp"
#include "pundit/index_writer.hpp"
#include "error_text.hpp"
#include "temp_dir.hpp"

TEST_CASE("index lock: a second lock is refused while the first is held, and granted once it is let go") {
    test::TempDir dir;
    const std::string path = dir / "new/idx"; // created, with its parent, by the first lock
    std::optional<pundit::IndexLock> first(std::in_place, path, pundit::IndexLock::OnLocked::fail);
    CHECK(std::filesystem::is_regular_file(path + "/" + pundit::kLockFileName));
    CHECK(first->dir() == path);
    const std::string refused = "the index at '" + path + "' is locked by another indexer (use --wait to wait for it)";
    for (int attempt = 0; attempt < 2; ++attempt) {
        CHECK(test::error_text([&] { pundit::IndexLock second(path, pundit::IndexLock::OnLocked::fail); }) == refused);
    }
    first.reset();
    CHECK(test::error_text([&] { pundit::IndexLock second(path, pundit::IndexLock::OnLocked::fail); }) == "(no error)");
}

TEST_CASE("index lock: told to wait, a second lock finds the first held, waits, and is granted once it is let go") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    const std::filesystem::path pause = dir.path() / "pause";
    std::filesystem::create_directories(pause);
    std::optional<pundit::IndexLock> first(std::in_place, path, pundit::IndexLock::OnLocked::fail);
    // The second lock stops at "lock-waiting", which it reaches only once it
    // has found the lock held, until the test has let the first one go.
    ::setenv("PUNDIT_FAULT", ("lock-waiting:pause=" + pause.string()).c_str(), 1);
    std::atomic<bool> released{false}, granted{false};
    std::thread waiter([&] {
        pundit::IndexLock second(path, pundit::IndexLock::OnLocked::wait);
        CHECK(released.load()); // never while the first is held
        granted = true;
    });
    const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(pundit::kFaultPauseLimitSeconds / 2);
    while (!std::filesystem::exists(pause / "lock-waiting.reached") && std::chrono::steady_clock::now() < limit) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::unsetenv("PUNDIT_FAULT");
    CHECK(std::filesystem::exists(pause / "lock-waiting.reached"));
    CHECK_FALSE(granted.load());
    released = true;
    first.reset();
    std::ofstream(pause / "lock-waiting.go").put('\n');
    waiter.join();
    CHECK(granted.load());
}

TEST_CASE("index lock: the lock file is never opened through a symbolic link, nor used when it is no regular file") {
    test::TempDir dir;
    dir.write("elsewhere/target", "not ours");
    std::filesystem::create_directories(dir / "linked");
    std::filesystem::create_symlink(dir / "elsewhere/target", dir / "linked/pundit.lock");
    CHECK(test::error_text([&] { pundit::IndexLock lock(dir / "linked", pundit::IndexLock::OnLocked::fail); }) ==
          "cannot open the lock file '" + dir / "linked/pundit.lock" + "': Too many levels of symbolic links");
    CHECK(test::read_file(dir / "elsewhere/target") == "not ours");

    std::filesystem::create_directories(dir / "fifo");
    REQUIRE(::mkfifo((dir / "fifo/pundit.lock").c_str(), 0600) == 0);
    CHECK(test::error_text([&] { pundit::IndexLock lock(dir / "fifo", pundit::IndexLock::OnLocked::fail); }) ==
          "'" + dir / "fifo/pundit.lock" + "' is not a regular file; move it away");

    // A directory that cannot be made: its parent is a file.
    dir.write("file", "");
    CHECK(test::error_text([&] { pundit::IndexLock lock(dir / "file/idx", pundit::IndexLock::OnLocked::fail); }) ==
          "cannot create the index directory '" + dir / "file/idx" + "' (Not a directory)");
}

TEST_CASE("index lock: the message for an index that may not be written says why, and that searching needs none") {
    const std::string end = "); searching it needs no write access";
    CHECK(pundit::not_writable_message("/srv/idx", EROFS) ==
          "the index at '/srv/idx' is not writable (Read-only file system: it is on a read-only file system" + end);
    CHECK(pundit::not_writable_message("/srv/idx", EACCES) ==
          "the index at '/srv/idx' is not writable (Permission denied: it belongs to another user, or its "
          "permissions forbid writing" + end);
    CHECK(pundit::not_writable_message("/srv/idx", ENOSPC) ==
          "the index at '/srv/idx' is not writable (No space left on device" + end);
}

TEST_CASE("index lock: a second writer is refused while the first holds the lock") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    pundit::IndexWriter first(path);
    CHECK(test::error_text([&] { pundit::IndexWriter second(path); }) ==
          "the index at '" + path + "' is locked by another indexer (use --wait to wait for it)");
}

TEST_CASE("index lock: told to wait, a second writer gets the index once the first lets go") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    auto first = std::make_unique<pundit::IndexWriter>(path);
    std::atomic<bool> released{false}, second_open{false};
    std::thread waiter([&] {
        pundit::IndexWriter second(path, pundit::IndexWriter::OnLocked::wait);
        // It may only get here after the first writer is gone.
        CHECK(released.load());
        second_open = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK_FALSE(second_open.load());
    released = true;
    first.reset();
    waiter.join();
    CHECK(second_open.load());
}
