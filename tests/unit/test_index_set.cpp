#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include <xapian.h>

#include "pundit/document_builder.hpp"
#include "pundit/error.hpp"
#include "pundit/index.hpp"
#include "pundit/index_maintenance.hpp"
#include "pundit/index_set.hpp"
#include "pundit/ingest.hpp"
#include "pundit/schema.hpp"
#include "error_text.hpp"
#include "temp_dir.hpp"

namespace {

std::string stub_of(const std::string& index) { return test::read_file(index + "/" + pundit::kStubFileName); }

// Every shard of the index as "name: id id ...", one a line, in stub order.
std::string layout(const std::string& index) {
    std::string out;
    for (const std::string& shard : pundit::shard_paths(index)) {
        Xapian::Database db(shard);
        out += std::filesystem::path(shard).filename().string() + ":";
        for (auto t = db.allterms_begin("Q"); t != db.allterms_end("Q"); ++t) out += " " + (*t).substr(1);
        out += "\n";
    }
    return out;
}

pundit::IngestSummary ingest_text(pundit::IndexSet& index, const std::string& jsonl,
                                  const std::string& expected_diagnostics = "") {
    std::istringstream in(jsonl);
    std::ostringstream diagnostics;
    pundit::IngestOptions options;
    auto summary = pundit::ingest(index, {"-"}, options, in, diagnostics);
    CHECK(diagnostics.str() == expected_diagnostics);
    return summary;
}

std::string record(const std::string& shard) {
    return Xapian::Database(shard).get_metadata(std::string(pundit::schema::kShardByKey));
}

const pundit::ShardingRequest kByYear{pundit::ShardBy::year, std::nullopt};

} // namespace

TEST_CASE("index set: the shard of a date is its year's, or undated") {
    const std::pair<const char*, const char*> rows[] = {
        {"2019-06-29", "year-2019"}, {"1800-01-01", "year-1800"}, {"2100-12-31", "year-2100"},
        {"", "undated"},             {"19", "undated"},           {"n/a-01-01", "undated"},
    };
    for (auto [date, shard] : rows) {
        CAPTURE(date);
        CHECK(pundit::year_shard_name(date) == shard);
    }
    CHECK(pundit::parse_shard_by("hash") == pundit::ShardBy::hash);
    CHECK(pundit::parse_shard_by("year") == pundit::ShardBy::year);
    CHECK(test::error_text([] { pundit::parse_shard_by("month"); }) == "unknown --shard-by 'month' (expected hash or year)");
}

TEST_CASE("index set: the sharding is recorded in every shard and later runs follow it") {
    test::TempDir dir;
    const std::string years = dir / "years";
    {
        pundit::IndexSet index(years, kByYear);
        CHECK(index.shard_by() == pundit::ShardBy::year);
        CHECK(index.describe() == "sharded by year");
        // A new index by year has its undated shard only.
        CHECK(stub_of(years) == "auto undated\n");
        CHECK(record(years + "/undated") == "year");
    }
    {
        // Opened without saying (as remove and compact do): still by year.
        pundit::IndexSet index(years, 1);
        CHECK(index.shard_by() == pundit::ShardBy::year);
        CHECK(index.shard_for_date("2019-03-01") == 1);
        CHECK(index.shard_for_date("") == 0);
        CHECK(index.shard_for_date("1999-12-31") == 2);
        CHECK(index.shard_for_date("2019-12-31") == 1);
        // Created as asked, listed in the stub (years in order, undated last)
        // and recording the sharding before the stub names them.
        CHECK(stub_of(years) == "auto year-1999\nauto year-2019\nauto undated\n");
        CHECK(record(years + "/year-1999") == "year");
        CHECK(index.shard_name(2) == "year-1999");
    }

    const std::string hashed = dir / "hashed";
    {
        pundit::IndexSet index(hashed, pundit::ShardingRequest{pundit::ShardBy::hash, 3});
        CHECK(index.describe() == "sharded by hash into 3 shards");
        for (const std::string& shard : pundit::shard_paths(hashed)) CHECK(record(shard) == "hash 3");
    }
    pundit::IndexSet again(hashed, pundit::ShardingRequest{});
    CHECK(again.shard_by() == pundit::ShardBy::hash);
    CHECK(again.shard_count() == 3);
}

TEST_CASE("index set: asking an index for another sharding than its own is an error that says what it uses") {
    test::TempDir dir;
    using pundit::ShardBy;
    using Request = pundit::ShardingRequest;
    { pundit::IndexSet years(dir / "years", Request{ShardBy::year, std::nullopt}); }
    { pundit::IndexSet hashed(dir / "hashed", Request{ShardBy::hash, 2}); }
    { pundit::IndexSet single(dir / "single", Request{std::nullopt, 1}); }
    struct Row {
        const char* index;
        Request request;
        std::string error; // "" when the request fits
    };
    const std::string years = dir / "years", hashed = dir / "hashed", single = dir / "single";
    const Row rows[] = {
        {"years", Request{}, ""},
        {"years", Request{ShardBy::year, std::nullopt}, ""},
        {"years", Request{ShardBy::hash, std::nullopt},
         "the index at '" + years + "' is sharded by year, chosen when it was created; leave out --shard-by hash, or give a new --index"},
        {"years", Request{std::nullopt, 4},
         "the index at '" + years + "' is sharded by year, chosen when it was created; leave out --shards 4, or give a new --index"},
        {"hashed", Request{}, ""},
        {"hashed", Request{ShardBy::hash, 2}, ""},
        {"hashed", Request{std::nullopt, 3},
         "the index at '" + hashed + "' is sharded by hash into 2 shards, chosen when it was created; leave out --shards 3, or give a new --index"},
        {"hashed", Request{ShardBy::year, std::nullopt},
         "the index at '" + hashed + "' is sharded by hash into 2 shards, chosen when it was created; leave out --shard-by year, or give a new --index"},
        {"single", Request{ShardBy::hash, 1}, ""},
        {"single", Request{ShardBy::year, std::nullopt},
         "the index at '" + single + "' is a single database, chosen when it was created; leave out --shard-by year, or give a new --index"},
        {"single", Request{ShardBy::hash, 2},
         "the index at '" + single + "' is a single database, chosen when it was created; leave out --shards 2, or give a new --index"},
        {"new", Request{ShardBy::year, 4},
         "--shards goes with --shard-by hash: an index sharded by year gets a shard for each year as its articles arrive; leave out --shards 4"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.index);
        CAPTURE(row.error);
        std::string got = test::error_text([&] { pundit::IndexSet index(dir / row.index, row.request); });
        CHECK(got == (row.error.empty() ? "(no error)" : row.error));
    }
    CHECK_FALSE(std::filesystem::exists(dir / "new"));

    // Shards that disagree (a stub edited by hand, say) are refused.
    std::ofstream(hashed + "/XAPIANDB", std::ios::app) << "auto ../years/undated\n";
    CHECK(test::error_text([&] { pundit::IndexSet index(hashed, Request{}); })
              .starts_with("the shards of the index at '" + hashed + "' disagree on how it is sharded ('hash 2', but 'year' in"));
}

TEST_CASE("ingest by year: routing, an article whose date changes moves, unchanged articles and removal") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    pundit::IndexSet index(path, kByYear);
    auto first = ingest_text(index,
                             "{\"id\":\"a\",\"title\":\"A\",\"body\":\"Alpha.\",\"date\":\"2019-03-01\"}\n"
                             "{\"id\":\"b\",\"title\":\"B\",\"body\":\"Beta.\",\"date\":\"2020-07-15\"}\n"
                             "{\"id\":\"c\",\"title\":\"C\",\"body\":\"Gamma.\"}\n"
                             "{\"id\":\"d\",\"title\":\"D\",\"body\":\"Delta.\",\"date\":\"2019-11-30T08:00:00Z\"}\n");
    CHECK(first.added == 4);
    CHECK(layout(path) == "year-2019: a d\nyear-2020: b\nundated: c\n");

    // Again: nothing to do, whatever shard holds each article.
    auto same = ingest_text(index, "{\"id\":\"a\",\"title\":\"A\",\"body\":\"Alpha.\",\"date\":\"2019-03-01\"}\n"
                                   "{\"id\":\"c\",\"title\":\"C\",\"body\":\"Gamma.\"}\n");
    CHECK(same.unchanged == 2);
    CHECK(same.added + same.replaced == 0);

    // New dates: a to 2021 (a new shard), c dated, b undated; one article
    // twice in a run, the last version winning.
    auto moved = ingest_text(index,
                             "{\"id\":\"a\",\"title\":\"A\",\"body\":\"Alpha.\",\"date\":\"2021-01-01\"}\n"
                             "{\"id\":\"b\",\"title\":\"B\",\"body\":\"Beta.\"}\n"
                             "{\"id\":\"c\",\"title\":\"C\",\"body\":\"Gamma.\",\"date\":\"2019-05-05\"}\n"
                             "{\"id\":\"e\",\"title\":\"E\",\"body\":\"Eta.\",\"date\":\"1999-01-01\"}\n"
                             "{\"id\":\"e\",\"title\":\"E\",\"body\":\"Eta.\",\"date\":\"2000-01-01\"}\n",
                             "<stdin>:5: warning: duplicate id 'e' (also at <stdin>:4); the last one wins\n");
    CHECK(moved.replaced == 3); // a, b, c (e's second version replaces its first: e counts as added)
    CHECK(moved.added == 1);
    CHECK(layout(path) == "year-1999:\nyear-2000: e\nyear-2019: c d\nyear-2020:\nyear-2021: a\nundated: b\n");
    CHECK(pundit::open_index_for_reading(path).get_doccount() == 5);

    // remove finds an id in whatever shard holds it.
    CHECK(index.remove("a"));
    CHECK(index.remove("b"));
    CHECK_FALSE(index.remove("a"));
    index.commit();
    CHECK(layout(path) == "year-1999:\nyear-2000: e\nyear-2019: c d\nyear-2020:\nyear-2021:\nundated:\n");
}

TEST_CASE("ingest by year: an article a crash left in two shards ends up in one") {
    // A move is a delete in one shard and an add in another, committed
    // separately: a crash in between can leave both copies.
    test::TempDir dir;
    const std::string path = dir / "idx";
    {
        pundit::IndexSet index(path, kByYear);
        pundit::DocumentBuilder builder;
        pundit::Article a;
        a.id = "a";
        a.title = "A";
        a.body = "Alpha.";
        a.date = "2019-03-01";
        index.shard(index.shard_for_date(a.date)).put(builder.build(a));
        a.date = "2020-03-01";
        index.shard(index.shard_for_date(a.date)).put(builder.build(a));
        index.commit();
    }
    CHECK(layout(path) == "year-2019: a\nyear-2020: a\nundated:\n");
    pundit::IndexSet index(path, kByYear);
    auto run = ingest_text(index, "{\"id\":\"a\",\"title\":\"A\",\"body\":\"Alpha.\",\"date\":\"2020-03-01\"}\n");
    CHECK(run.unchanged == 1);
    CHECK(layout(path) == "year-2019:\nyear-2020: a\nundated:\n");
}

TEST_CASE("index set by year: what an interrupted creation or shard addition left is created again") {
    test::TempDir dir;
    // Killed before the stub of a new index by year was written.
    const std::string path = dir / "idx";
    { pundit::IndexWriter shard(path + "/undated"); }
    {
        pundit::IndexSet index(path, kByYear);
        CHECK(stub_of(path) == "auto undated\n");
    }
    // Killed after a year's shard was created, before the stub listed it.
    { pundit::IndexWriter shard(path + "/year-2019"); }
    CHECK(stub_of(path) == "auto undated\n");
    {
        pundit::IndexSet index(path, kByYear);
        auto run = ingest_text(index, "{\"id\":\"a\",\"title\":\"A\",\"body\":\"Alpha.\",\"date\":\"2019-03-01\"}\n");
        CHECK(run.added == 1);
    }
    CHECK(layout(path) == "year-2019: a\nundated:\n");

    // A creation by hash cut short, resumed by year: its empty shards go.
    const std::string other = dir / "other";
    { pundit::IndexWriter shard(other + "/shard-00"); }
    {
        pundit::IndexSet index(other, kByYear);
        CHECK(index.shard_by() == pundit::ShardBy::year);
    }
    CHECK_FALSE(std::filesystem::exists(other + "/shard-00"));
    CHECK(stub_of(other) == "auto undated\n");
}

TEST_CASE("commit fingerprint: unchanged without a commit, changed by a commit to any shard") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    {
        pundit::IndexSet index(path, 3);
        ingest_text(index, "{\"id\":\"a\",\"title\":\"A\",\"body\":\"Alpha.\"}\n");
    }
    const std::vector<std::string> files = pundit::commit_files(path);
    // The stub and one version file per shard.
    REQUIRE(files.size() == 4);
    CHECK(files[0] == path + "/" + pundit::kStubFileName);
    const std::string before = pundit::commit_fingerprint(files);
    CHECK_FALSE(before.empty());
    CHECK(pundit::commit_fingerprint(files) == before);
    // Reading changes nothing.
    CHECK(pundit::open_index_for_reading(path).get_doccount() == 1);
    CHECK(pundit::commit_fingerprint(files) == before);

    // Each shard in turn takes a commit: each changes the fingerprint.
    std::string last = before;
    for (const std::string& shard_path : pundit::shard_paths(path)) {
        Xapian::WritableDatabase shard(shard_path);
        shard.set_metadata("test.touch", shard_path);
        shard.commit();
        const std::string now = pundit::commit_fingerprint(files);
        CHECK(now != last);
        last = now;
    }

    // A single database is its own version file; a missing one tells nothing.
    const std::string single = dir / "single";
    pundit::IndexSet one(single, 1);
    ingest_text(one, "{\"id\":\"a\",\"title\":\"A\",\"body\":\"Alpha.\"}\n");
    const std::vector<std::string> single_files = pundit::commit_files(single);
    REQUIRE(single_files.size() == 1);
    CHECK(single_files[0] == single + "/iamglass");
    CHECK(pundit::commit_fingerprint({dir / "nothing-here"}).empty());

    // A remote shard's state cannot be seen: no files to watch.
    const std::string remote = dir / "remote";
    std::filesystem::create_directories(remote);
    std::ofstream(remote + "/" + pundit::kStubFileName) << "remote localhost:1\n";
    CHECK(pundit::commit_files(remote).empty());
}

TEST_CASE("index set: one writer at a time, from the first look at the directory, even while it is created") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    pundit::IndexSet first(path, 2);
    CHECK(test::error_text([&] { pundit::IndexSet second(path, 2); }) ==
          "the index at '" + path + "' is locked by another indexer (use --wait to wait for it)");
    // What the first holds is never taken for the leftovers of a crash.
    CHECK(std::filesystem::exists(path + "/shard-01"));
    CHECK(stub_of(path) == "auto shard-00\nauto shard-01\n");
}

TEST_CASE("index set: a shard the stub lists that is missing or no database is an error, never recreated") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    {
        pundit::IndexSet index(path, 3);
        ingest_text(index, "{\"id\":\"a\",\"title\":\"A\",\"body\":\"Alpha.\"}\n");
    }
    std::filesystem::remove_all(path + "/shard-01");
    const std::string missing = "shard '" + path + "/shard-01' of the index at '" + path + "' is missing (listed in '" +
                                path + "/XAPIANDB'); nothing was written: restore it, or run indexer repair --index '" +
                                path + "' to recreate it empty, without its articles";
    CHECK(test::error_text([&] { pundit::IndexSet index(path, 3); }) == missing);
    CHECK_FALSE(std::filesystem::exists(path + "/shard-01"));
    std::filesystem::create_directories(path + "/shard-01");
    CHECK(test::error_text([&] { pundit::IndexSet index(path, 3); }) ==
          "shard '" + path + "/shard-01' of the index at '" + path + "' is not a database (listed in '" + path +
              "/XAPIANDB'); nothing was written: restore it, or run indexer repair --index '" + path +
              "' to recreate it empty, without its articles");
}

TEST_CASE("index set: shards without their stub are never taken for an index to create afresh") {
    test::TempDir dir;
    for (const bool compacted : {false, true}) {
        CAPTURE(compacted);
        const std::string path = dir / (compacted ? "compacted" : "plain");
        {
            pundit::IndexSet index(path, 2);
            ingest_text(index, "{\"id\":\"a\",\"title\":\"A\",\"body\":\"Alpha.\"}\n"
                               "{\"id\":\"b\",\"title\":\"B\",\"body\":\"Beta.\"}\n");
        }
        if (compacted) pundit::compact_index(path, false);
        std::filesystem::remove(path + "/XAPIANDB");
        CHECK(test::error_text([&] { pundit::IndexSet index(path, 2); }) ==
              "'" + path + "' has shards but no 'XAPIANDB' stub; run indexer repair --index '" + path +
                  "' to list them again, or choose another --index");
        CHECK_FALSE(std::filesystem::exists(path + "/XAPIANDB"));
    }
}
