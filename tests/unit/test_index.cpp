#include <doctest/doctest.h>

#include <filesystem>

#include "pundit/error.hpp"
#include "pundit/index.hpp"
#include "pundit/index_writer.hpp"
#include "error_text.hpp"
#include "temp_dir.hpp"

namespace {

// The databases index_databases() finds, as "remote TARGET" or the local
// path relative to `root`, one a line; or the error it throws.
std::string databases(const test::TempDir& root, const std::string& path) {
    std::string out;
    try {
        for (const pundit::StubEntry& entry : pundit::index_databases(root / path)) {
            const std::string target =
                entry.remote ? "remote " + entry.target
                             : std::filesystem::path(entry.target).lexically_relative(root.path()).lexically_normal().string();
            out += target + "\n";
        }
    } catch (const pundit::Error& e) {
        out = std::string("error: ") + e.what();
        const std::string prefix = root.path().string() + "/";
        for (std::size_t at; (at = out.find(prefix)) != std::string::npos;) out.erase(at, prefix.size());
    }
    return out;
}

} // namespace

TEST_CASE("index_databases: stubs are read here, nested ones too, and programs, cycles and unknown lines are refused") {
    test::TempDir root;
    { pundit::IndexWriter a(root / "db/a"); }
    { pundit::IndexWriter b(root / "db/b"); }
    root.write("two/XAPIANDB", "# a comment\n\nauto ../db/a\nglass ../db/b\n");
    root.write("nested/XAPIANDB", "auto ../two\nremote 127.0.0.1:7001\n");
    root.write("file-stub", "auto db/a\n");
    root.write("spaces/XAPIANDB", "auto ../db/name with spaces\n");
    root.write("program/XAPIANDB", "auto ../db/a\nremote :/usr/bin/touch pwned\n");
    root.write("hidden/XAPIANDB", "auto ../program\n");
    root.write("cycle-a/XAPIANDB", "auto ../cycle-b\n");
    root.write("cycle-b/XAPIANDB", "auto ../cycle-a\n");
    root.write("self/XAPIANDB", "auto .\n");
    root.write("other/XAPIANDB", "inmemory\n");
    root.write("bare/XAPIANDB", "auto\n");
    const std::pair<const char*, std::string> rows[] = {
        {"db/a", "db/a\n"},
        {"two", "db/a\ndb/b\n"},
        {"nested", "db/a\ndb/b\nremote 127.0.0.1:7001\n"},
        {"file-stub", "db/a\n"},
        {"spaces", "db/name with spaces\n"},
        {"program", "error: 'program/XAPIANDB' line 2 ('remote :/usr/bin/touch pwned') names a program to run; Pundit "
                    "never runs programs an index names: serve the shard with xapian-tcpsrv and list it as 'remote "
                    "HOST:PORT'"},
        {"hidden", "error: 'hidden/../program/XAPIANDB' line 2 ('remote :/usr/bin/touch pwned') names a program to run; "
                   "Pundit never runs programs an index names: serve the shard with xapian-tcpsrv and list it as "
                   "'remote HOST:PORT'"},
        {"cycle-a", "error: 'cycle-a/XAPIANDB' is named again by 'cycle-b/XAPIANDB' (stub files that name each other in "
                    "a cycle); list databases instead"},
        {"self", "error: 'self/XAPIANDB' is named again by 'self/XAPIANDB' (stub files that name each other in a "
                 "cycle); list databases instead"},
        {"other", "error: 'other/XAPIANDB' line 1 ('inmemory') is not a database Pundit can open (expected 'auto PATH', "
                  "'glass PATH' or 'remote HOST:PORT')"},
        {"bare", "error: 'bare/XAPIANDB' line 1 ('auto') is not a database Pundit can open (expected 'auto PATH', "
                 "'glass PATH' or 'remote HOST:PORT')"},
    };
    for (const auto& [path, expected] : rows) {
        CAPTURE(path);
        CHECK(databases(root, path) == expected);
    }
}

TEST_CASE("index_databases: stubs nested deeper than the limit are refused") {
    test::TempDir root;
    { pundit::IndexWriter db(root / "db"); }
    std::string previous = "db";
    for (int level = 0; level <= pundit::kMaxStubDepth; ++level) {
        const std::string name = "level" + std::to_string(level);
        root.write(name + "/XAPIANDB", "auto ../" + previous + "\n");
        previous = name;
    }
    CHECK(databases(root, "level" + std::to_string(pundit::kMaxStubDepth - 1)) == "db\n");
    CAPTURE(databases(root, previous));
    CHECK(databases(root, previous).starts_with("error: 'level8/../level7/"));
    CHECK(databases(root, previous).ends_with("names stub files more than 8 levels deep; list databases instead"));
}

TEST_CASE("open_local_database opens a database, never a stub in its place") {
    test::TempDir root;
    root.write("stub/XAPIANDB", "remote :/usr/bin/touch " + (root / "pwned") + "\n");
    CHECK_THROWS_AS(pundit::open_local_database(root / "stub"), Xapian::Error);
    CHECK_FALSE(std::filesystem::exists(root / "pwned"));
    CHECK(test::error_text([&] { pundit::IndexWriter writer(root / "stub"); }).find("pwned") == std::string::npos);
    CHECK_FALSE(std::filesystem::exists(root / "pwned"));
}
