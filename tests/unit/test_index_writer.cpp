#include <doctest/doctest.h>

#include <string>

#include <xapian.h>

#include "pundit/document_builder.hpp"
#include "pundit/error.hpp"
#include "pundit/index.hpp"
#include "pundit/index_set.hpp"
#include "pundit/index_writer.hpp"
#include "pundit/schema.hpp"
#include "article_fixture.hpp"
#include "error_text.hpp"
#include "temp_dir.hpp"

TEST_CASE("index writer: add, unchanged, replace and remove by id") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    pundit::DocumentBuilder builder;
    {
        pundit::IndexWriter writer(path);
        CHECK(writer.put(builder.build(test::headline_article("a", "first text"))) == pundit::PutOutcome::added);
        CHECK(writer.put(builder.build(test::headline_article("b", "other text"))) == pundit::PutOutcome::added);
        CHECK(writer.put(builder.build(test::headline_article("a", "first text"))) == pundit::PutOutcome::unchanged);
        CHECK(writer.put(builder.build(test::headline_article("a", "changed text"))) == pundit::PutOutcome::replaced);
        CHECK(writer.document_count() == 2);
        CHECK(writer.remove("b"));
        CHECK_FALSE(writer.remove("no-such-id"));
        writer.commit();
    }
    Xapian::Database db = pundit::open_index_for_reading(path);
    CHECK(db.get_doccount() == 1);
    CHECK(db.term_exists("Qa"));
    CHECK_FALSE(db.term_exists("Qb"));
    CHECK(db.term_exists("chang"+std::string()) == false); // only the stem term "Zchang" exists
    CHECK(db.term_exists("Zchang"));
    CHECK_FALSE(db.term_exists("first"));
}

TEST_CASE("index writer: uncommitted changes are not visible to readers") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    pundit::DocumentBuilder builder;
    pundit::IndexWriter writer(path);
    writer.put(builder.build(test::headline_article("a", "text")));
    CHECK(pundit::open_index_for_reading(path).get_doccount() == 0);
    writer.commit();
    CHECK(pundit::open_index_for_reading(path).get_doccount() == 1);
}

TEST_CASE("opening an index checks the schema version") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    {
        Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
        db.set_metadata(std::string(pundit::schema::kVersionKey), "999");
        db.commit();
    }
    std::string expected = "the index at '" + path + "' has schema version 999, but this version of Pundit reads version " +
                           std::to_string(pundit::schema::kVersion) + "; rebuild it: rm -r '" + path +
                           "' && indexer add --index '" + path + "' YOUR-ARTICLES";
    CHECK(test::error_text([&] { pundit::open_index_for_reading(path); }) == expected);
    CHECK(test::error_text([&] { pundit::IndexWriter writer(path); }) == expected);

    // Every shard of a sharded index is checked, not only the first.
    const std::string sharded = dir / "sharded";
    { pundit::IndexSet set(sharded, 2); }
    {
        Xapian::WritableDatabase shard(sharded + "/shard-01", Xapian::DB_OPEN);
        shard.set_metadata(std::string(pundit::schema::kVersionKey), "8");
        shard.commit();
    }
    CHECK(test::error_text([&] { pundit::open_index_for_reading(sharded); }) ==
          "the index at '" + sharded + "' has schema version 8, but this version of Pundit reads version " +
              std::to_string(pundit::schema::kVersion) + "; rebuild it: rm -r '" + sharded +
              "' && indexer add --index '" + sharded + "' YOUR-ARTICLES");
    pundit::OpenOptions partial;
    partial.allow_partial = true;
    CHECK_THROWS_AS(pundit::open_index_for_reading(sharded, partial), pundit::Error);

    const std::string plain = dir / "plain";
    { Xapian::WritableDatabase db(plain, Xapian::DB_CREATE_OR_OPEN); db.add_document(Xapian::Document()); db.commit(); }
    CHECK(test::error_text([&] { pundit::open_index_for_reading(plain); }) ==
          "'" + plain + "' is a Xapian database but not a Pundit index (no schema version); index into a new directory");

    const std::string missing = dir / "missing";
    CHECK(test::error_text([&] { pundit::open_index_for_reading(missing); }) ==
          "no index at '" + missing + "'; create one with: indexer add --index '" + missing + "' ARTICLES...");
}

TEST_CASE("resolve_index_path: option, then NEWS_INDEX, then XDG_DATA_HOME, then HOME") {
    setenv("NEWS_INDEX", "/from/env", 1);
    CHECK(pundit::resolve_index_path(std::string("/from/option")) == "/from/option");
    CHECK(pundit::resolve_index_path(std::nullopt) == "/from/env");
    unsetenv("NEWS_INDEX");
    setenv("XDG_DATA_HOME", "/xdg", 1);
    CHECK(pundit::resolve_index_path(std::nullopt) == "/xdg/pundit/index");
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/u", 1);
    CHECK(pundit::resolve_index_path(std::nullopt) == "/home/u/.local/share/pundit/index");
}

TEST_CASE("the index records the gazetteer versions its articles are tagged with") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    pundit::DocumentBuilder builder;
    auto versions = [&] {
        pundit::IndexReport report;
        pundit::open_index_for_reading(path, {}, &report);
        return report.gazetteer_versions;
    };
    auto put = [&](const std::string& version, const std::vector<std::string>& ids) {
        pundit::IndexWriter writer(path);
        writer.set_gazetteer_version(version);
        for (const std::string& id : ids) writer.put(builder.build(test::headline_article(id, "text tagged with " + version)));
        writer.commit();
    };
    put("2026.1", {"a", "b", "c"});
    CHECK(versions() == std::vector<std::string>{"2026.1"});
    // Some articles re-tagged: both versions are in the index.
    put("2026.2", {"a", "d"});
    CHECK(versions() == std::vector<std::string>{"2026.1", "2026.2"});
    put("2026.2", {"b"});
    CHECK(versions() == std::vector<std::string>{"2026.1", "2026.2"});
    // All of them re-tagged in one run: only the new one.
    put("2026.2", {"a", "b", "c", "d"});
    CHECK(versions() == std::vector<std::string>{"2026.2"});

    CHECK(pundit::gazetteer_mismatch(path, {"2026.2"}, "2026.2") == "");
    CHECK(pundit::gazetteer_mismatch(path, {"2026.1", "2026.2"}, "2026.2") ==
          "the index at '" + path + "' was tagged with gazetteer 2026.1, but gazetteer 2026.2 is loaded: leader, "
          "country and organisation filters may miss articles or find the wrong ones (re-tag the articles: run "
          "indexer add again on all of them)");
}
