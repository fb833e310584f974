#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "pundit/durable_file.hpp"
#include "error_text.hpp"
#include "temp_dir.hpp"

namespace {

// The names in `dir`, sorted, one a line.
std::string listing(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    std::string out;
    for (const std::string& name : names) out += name + "\n";
    return out;
}

} // namespace

TEST_CASE("durable file: a file is replaced whole, created when absent, and no staging file is left") {
    test::TempDir dir;
    const std::string path = dir / "stub";
    for (pundit::Durability durability : {pundit::Durability::flush, pundit::Durability::none}) {
        pundit::write_file_atomically(path, "first\n", durability);
        CHECK(test::read_file(path) == "first\n");
        pundit::write_file_atomically(path, std::string(100000, 'x'), durability);
        CHECK(test::read_file(path) == std::string(100000, 'x'));
    }
    pundit::write_file_durably(path, "");
    CHECK(test::read_file(path) == "");
    CHECK(listing(dir.path().string()) == "stub\n");
}

TEST_CASE("durable file: whatever has the staging name goes first and is never written through") {
    test::TempDir dir;
    const std::string path = dir / "stub";
    const std::string staging = path + ".new-" + std::to_string(::getpid());
    dir.write("target", "not ours");
    std::filesystem::create_symlink(dir / "target", staging); // planted in a copied index
    pundit::write_file_durably(path, "auto shard-00\n");
    CHECK(test::read_file(path) == "auto shard-00\n");
    CHECK(test::read_file(dir / "target") == "not ours");
    CHECK_FALSE(std::filesystem::is_symlink(path));
    CHECK(listing(dir.path().string()) == "stub\ntarget\n");
}

TEST_CASE("durable file: a write that fails names the file, leaves what was there, and no staging file") {
    test::TempDir dir;
    // The rename cannot replace a directory: the old one stays, with what it holds.
    dir.write("taken/inside", "kept");
    CHECK(test::error_text([&] { pundit::write_file_durably(dir / "taken", "new"); }) ==
          "cannot write '" + dir / "taken" + "': Is a directory");
    CHECK(test::read_file(dir / "taken/inside") == "kept");
    CHECK(listing(dir.path().string()) == "taken\n");
    // A directory that does not exist: the staging file cannot be made.
    CHECK(test::error_text([&] { pundit::write_file_durably(dir / "missing/stub", "new"); }) ==
          "cannot write '" + dir / "missing/stub.new-" + std::to_string(::getpid()) + "': No such file or directory");
    CHECK(test::error_text([&] { pundit::sync_directory(dir / "missing"); }) ==
          "cannot open '" + dir / "missing" + "': No such file or directory");
}

TEST_CASE("durable file: a small file is read whole, absent is nothing, and anything but a small regular file is refused") {
    test::TempDir dir;
    dir.write("journal", "1234");
    dir.write("file", "");
    CHECK(pundit::read_small_file(dir / "journal", 4) == "1234");
    CHECK(pundit::read_small_file(dir / "absent", 4) == std::nullopt);
    CHECK(pundit::read_small_file(dir / "file/below", 4) == std::nullopt); // a path through a file
    CHECK(test::error_text([&] { pundit::read_small_file(dir / "journal", 3); }) ==
          "'" + dir / "journal" + "' is larger than 3 bytes: not a file Pundit wrote");
    REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
    // Opened without blocking (no writer), and refused.
    CHECK(test::error_text([&] { pundit::read_small_file(dir / "fifo", 4); }) ==
          "'" + dir / "fifo" + "' is not a regular file: not a file Pundit wrote");
}
