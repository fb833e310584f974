#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "pundit/document_builder.hpp"
#include "pundit/error.hpp"
#include "pundit/index.hpp"
#include "pundit/index_layout.hpp"
#include "pundit/index_writer.hpp"
#include "article_fixture.hpp"
#include "error_text.hpp"
#include "temp_dir.hpp"

TEST_CASE("index layout: refuses a directory that holds something else") {
    test::TempDir dir;
    dir.write("photos/cat.jpg", "not an index");
    const std::string path = dir / "photos";
    CHECK(test::error_text([&] { pundit::IndexWriter writer(path); }) ==
          "'" + path + "' is a non-empty directory that is not an index; choose another --index");
}

TEST_CASE("index layout: a database whose creation was cut short is created again") {
    // What SIGKILL inside Xapian's creation of a database leaves: its lock
    // and table files, no version file, and our marker.
    test::TempDir dir;
    dir.write("idx/pundit.creating", "");
    dir.write("idx/flintlock", "");
    dir.write("idx/postlist.glass", std::string(3000, '\x5a'));
    dir.write("idx/termlist.glass.tmp", "x");
    const std::string path = dir / "idx";
    pundit::DocumentBuilder builder;
    {
        pundit::IndexWriter writer(path);
        writer.put(builder.build(test::headline_article("a", "text")));
        writer.commit();
    }
    CHECK(pundit::open_index_for_reading(path).get_doccount() == 1);
    CHECK_FALSE(std::filesystem::exists(path + "/pundit.creating"));
    // Without the marker, a database that lost its version file: damaged,
    // and never cleared (its tables hold articles).
    std::filesystem::remove(path + "/iamglass");
    const std::string postlist = test::read_file(path + "/postlist.glass");
    CHECK(test::error_text([&] { pundit::IndexWriter writer(path); }) ==
          "'" + path + "' holds a database without its version file (iamglass): it is damaged, and left as it is; "
                       "move it away, or index into another --index");
    CHECK(test::read_file(path + "/postlist.glass") == postlist);
    // With anything else beside them, the directory is not ours.
    dir.write("half/flintlock", "");
    dir.write("half/notes.txt", "mine");
    CHECK(test::error_text([&] { pundit::IndexWriter writer(dir / "half"); }) ==
          "'" + dir / "half" + "' is a non-empty directory that is not an index; choose another --index");
    CHECK(std::filesystem::exists(dir / "half/flintlock"));
}

TEST_CASE("index layout: a writer works in the directory of a stub given as DIR/XAPIANDB, never beside another stub file") {
    test::TempDir dir;
    dir.write("idx/XAPIANDB", "auto shard-00\n");
    dir.write("idx/search.stub", "auto shard-00\n");
    dir.write("notes.txt", "not a stub at all\n");
    { pundit::IndexWriter shard(dir / "idx/shard-00"); }
    const std::string idx = dir / "idx";
    // {path given, the directory written}
    const std::pair<std::string, std::string> rows[] = {
        {idx, idx},                        // the directory itself
        {idx + "/XAPIANDB", idx},          // its stub, as a reader is given it
        {dir / "absent", dir / "absent"},  // nothing yet: created there
        {idx + "/shard-00", idx + "/shard-00"}, // a database directory
    };
    for (const auto& [given, written] : rows) {
        CAPTURE(given);
        CHECK(pundit::writable_index_directory(given) == written);
    }
    CHECK(test::error_text([&] { pundit::writable_index_directory(idx + "/search.stub"); }) ==
          "'" + idx + "/search.stub' is a stub file: indexer commands write an index through its directory, whose "
                      "'XAPIANDB' lists the shards beside the index's lock and facet cache; give --index that "
                      "directory (a stub file of another name is for searching)");
    // A file that is no stub is read as one first, so that its own error comes first.
    CHECK_THROWS_AS(pundit::writable_index_directory(dir / "notes.txt"), pundit::Error);
}

TEST_CASE("index layout: the names of an index directory that are its own, and the rest that is never touched") {
    CHECK(pundit::hash_shard_name(3) == "shard-03");
    CHECK(pundit::hash_shard_name(12) == "shard-12");
    // {name, is an entry of an index directory}
    const std::pair<const char*, bool> rows[] = {
        {"pundit.lock", true},        {"XAPIANDB", true},          {"XAPIANDB.new-123", true},
        {"facets.cache", true},       {"facets.cache.tmp-9", true}, {"compact.journal", true},
        {"spelling.pending", true},   {"pundit.creating", true},   {"shard-00", true},
        {"year-1987", true},          {"undated", true},           {"compact-2", true},
        {"shard-01.damaged", true},   {"year-2019.damaged-3", true},
        {"shard-1", false},           {"shard-001", false},        {"year-87", false},
        {"compact-", false},          {"compact-x", false},        {"shard-01.damaged-x", false},
        {"NOTES.txt", false},         {"XAPIANDB.old", false},     {"photos", false},
    };
    for (const auto& [name, ours] : rows) {
        CAPTURE(name);
        CHECK(pundit::is_index_entry_name(name) == ours);
    }
    CHECK(pundit::is_shard_name("shard-07"));
    CHECK_FALSE(pundit::is_shard_name("compact-1"));
    CHECK(pundit::is_compact_dir_name("compact-10"));
    // Only paths inside the directory are ever removed by a compaction.
    for (const char* inside : {"shard-00", "compact-1/shard-00", "a/../shard-00"}) CHECK(pundit::is_inside(inside));
    for (const char* outside : {"/srv/shard-00", "../other/shard-00", "shard-00/../..", ".", ""}) {
        CAPTURE(outside);
        CHECK_FALSE(pundit::is_inside(outside));
    }
}

TEST_CASE("index layout: the stub a writer writes lists its shards, and a stub it cannot write through is refused") {
    test::TempDir dir;
    const std::string idx = dir / "idx";
    for (const char* shard : {"shard-00", "compact-1/shard-01"}) { pundit::IndexWriter w(idx + "/" + shard); }
    pundit::write_stub(idx, {"shard-00", "compact-1/shard-01"});
    CHECK(test::read_file(idx + "/XAPIANDB") == "auto shard-00\nauto compact-1/shard-01\n");
    CHECK(pundit::stub_contents({"a", "b"}) == "auto a\nauto b\n");
    CHECK(pundit::writable_shards(idx).size() == 2);
    CHECK_FALSE(pundit::is_database_directory(idx));
    CHECK(pundit::is_database_directory(idx + "/shard-00"));

    // A shard listed through a stub of its own.
    dir.write("nested/XAPIANDB", "auto inner\n");
    dir.write("nested/inner/XAPIANDB", "auto shard-00\n");
    { pundit::IndexWriter w(dir / "nested/inner/shard-00"); }
    CHECK(test::error_text([&] { pundit::writable_shards(dir / "nested"); }) ==
          "'" + dir / "nested/XAPIANDB" + "' names '" + dir / "nested/inner/XAPIANDB" +
              "', a stub of its own: an index that Pundit writes lists its shards directly");
    dir.write("empty/XAPIANDB", "");
    CHECK(test::error_text([&] { pundit::writable_shards(dir / "empty"); }) ==
          "'" + dir / "empty/XAPIANDB" + "' lists no databases");
}

TEST_CASE("index layout: a compaction journal reads back as written, and recovery finishes or undoes the compaction") {
    test::TempDir dir;
    const std::string idx = dir / "idx";
    for (const char* shard : {"shard-00", "shard-01", "compact-1/shard-00"}) { pundit::IndexWriter w(idx + "/" + shard); }
    pundit::write_stub(idx, {"shard-00", "shard-01"});
    pundit::CompactionJournal journal;
    journal.created = "compact-1";
    journal.replaced = {"shard-00", "shard-01"};
    journal.new_stub = pundit::stub_contents({"compact-1/shard-00"});
    pundit::write_compaction_journal(idx, journal);
    const std::optional<pundit::CompactionJournal> read = pundit::read_compaction_journal(idx);
    REQUIRE(read.has_value());
    CHECK(read->created == "compact-1");
    CHECK(read->replaced == journal.replaced);
    CHECK(read->new_stub == journal.new_stub);
    CHECK_FALSE(read->stub_created);
    CHECK_FALSE(pundit::compaction_switched(idx, journal));

    SUBCASE("killed before the switch: what it created goes, the old shards stay") {
        dir.write("idx/XAPIANDB.new-42", "auto sha");
        CHECK(pundit::recover_index_directory(idx) ==
              std::vector<std::string>{"undid the compaction of '" + idx + "' that was interrupted before it switched "
                                       "the index over; the index is as it was"});
        CHECK_FALSE(std::filesystem::exists(idx + "/compact-1"));
        CHECK(std::filesystem::exists(idx + "/shard-00"));
        CHECK(test::read_file(idx + "/XAPIANDB") == "auto shard-00\nauto shard-01\n");
    }
    SUBCASE("killed after the switch: the shards it replaced go") {
        pundit::write_stub(idx, {"compact-1/shard-00"});
        CHECK(pundit::compaction_switched(idx, journal));
        CHECK(pundit::recover_index_directory(idx) ==
              std::vector<std::string>{"finished the compaction of '" + idx + "' that was interrupted after it "
                                       "switched the index over"});
        CHECK(std::filesystem::exists(idx + "/compact-1/shard-00"));
        CHECK_FALSE(std::filesystem::exists(idx + "/shard-00"));
        CHECK_FALSE(std::filesystem::exists(idx + "/shard-01"));
    }
    // Either way the journal and any staging file are gone, and nothing is left to do.
    CHECK_FALSE(std::filesystem::exists(idx + "/compact.journal"));
    CHECK_FALSE(std::filesystem::exists(idx + "/XAPIANDB.new-42"));
    CHECK(pundit::recover_index_directory(idx).empty());

    dir.write("other/compact.journal", "created compact-1\n");
    CHECK(test::error_text([&] { pundit::read_compaction_journal(dir / "other"); }) ==
          "cannot read '" + dir / "other/compact.journal" + "': not a compaction journal");
}

TEST_CASE("index layout: the spelling flag is set, seen and cleared") {
    test::TempDir dir;
    const std::string idx = dir / "idx";
    std::filesystem::create_directories(idx);
    CHECK_FALSE(pundit::spelling_pending(idx));
    pundit::mark_spelling_pending(idx);
    CHECK(pundit::spelling_pending(idx));
    pundit::clear_spelling_pending(idx);
    CHECK_FALSE(pundit::spelling_pending(idx));
    CHECK_NOTHROW(pundit::clear_spelling_pending(idx)); // already clear
}
