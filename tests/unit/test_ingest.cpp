#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <sstream>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <xapian.h>

#include "pundit/document_builder.hpp"
#include "pundit/error.hpp"
#include "pundit/index.hpp"
#include "pundit/ingest.hpp"
#include "article_fixture.hpp"
#include "link_tree.hpp"
#include "temp_dir.hpp"

namespace {

struct Run {
    pundit::IngestSummary summary;
    std::string diagnostics;
};

Run ingest(const std::string& index, const std::vector<std::string>& paths, const std::string& stdin_text = "",
           pundit::InputOptions input = {}, std::size_t shards = 1) {
    pundit::IndexSet set(index, shards);
    std::istringstream in(stdin_text);
    std::ostringstream diag;
    pundit::IngestOptions options;
    options.input = input;
    Run run;
    run.summary = pundit::ingest(set, paths, options, in, diag);
    run.diagnostics = diag.str();
    return run;
}

std::vector<std::string> ids(const std::string& index) {
    Xapian::Database db = pundit::open_index_for_reading(index);
    std::vector<std::string> out;
    for (auto t = db.allterms_begin("Q"); t != db.allterms_end("Q"); ++t) out.push_back((*t).substr(1));
    return out;
}

} // namespace

TEST_CASE("ingest: directories are walked in order, ids come from relative paths") {
    test::TempDir dir;
    dir.write("in/2019/abe.txt", "Abe visits Moscow\n\nThe prime minister flew in.\n");
    dir.write("in/columns.jsonl",
              "{\"id\":\"c-1\",\"title\":\"One\",\"body\":\"First.\"}\n"
              "{\"title\":\"Two\",\"body\":\"Second.\"}\n");
    dir.write("in/notes.md", "# not an article\n");
    dir.write("in/.hidden/x.txt", "Hidden\n\nNot indexed.\n");
    auto run = ingest(dir / "idx", {dir / "in"});
    CHECK(run.diagnostics == "");
    CHECK(run.summary.added == 3);
    CHECK(run.summary.files == 2);
    CHECK(ids(dir / "idx") == std::vector<std::string>{"2019/abe", "c-1", "columns.jsonl#2"});

    // A file named directly takes its own name as the id base.
    auto single = ingest(dir / "idx2", {dir / "in/2019/abe.txt"});
    CHECK(ids(dir / "idx2") == std::vector<std::string>{"abe"});
}

TEST_CASE("ingest: re-running is idempotent, and changes replace") {
    test::TempDir dir;
    dir.write("in/a.txt", "Alpha\n\nBody one.\n");
    dir.write("in/b.txt", "Beta\n\nBody two.\n");
    auto first = ingest(dir / "idx", {dir / "in"});
    CHECK(first.summary.added == 2);
    auto again = ingest(dir / "idx", {dir / "in"});
    CHECK(again.summary.added == 0);
    CHECK(again.summary.unchanged == 2);
    dir.write("in/b.txt", "Beta\n\nBody two, revised.\n");
    auto changed = ingest(dir / "idx", {dir / "in"});
    CHECK(changed.summary.unchanged == 1);
    CHECK(changed.summary.replaced == 1);
    CHECK(pundit::open_index_for_reading(dir / "idx").get_doccount() == 2);
    CHECK(pundit::format_summary(changed.summary).starts_with("0 added, 1 replaced, 1 unchanged, 0 rejected from 2 files in "));
}

TEST_CASE("ingest: bad records are diagnosed, counted and the rest goes on") {
    test::TempDir dir;
    dir.write("in/good.txt", "Good\n\nFine body.\n");
    dir.write("in/empty.txt", "");
    dir.write("in/latin1.txt", "Caf\xE9 politics\n\nThe caf\xE9 owner spoke.\n");
    dir.write("in/image.txt", std::string("\x89PNG\r\n\x1a\n\0\0", 10));
    dir.write("in/mixed.jsonl",
              "{\"id\":\"ok\",\"title\":\"T\",\"body\":\"B\"}\n"
              "{broken\n"
              "{\"id\":\"ok\",\"title\":\"T2\",\"body\":\"B2\"}\n");
    auto run = ingest(dir / "idx", {dir / "in", dir / "missing.txt"});
    std::string in = dir / "in";
    // Paths are expanded before any file is read: a missing path comes first.
    CHECK(run.diagnostics ==
          dir / "missing.txt" + ": error: no such file or directory\n" +
          in + "/empty.txt:1: error: empty file: no headline or text\n" +
          in + "/image.txt: error: binary file (contains NUL bytes); not indexed\n" +
          in + "/latin1.txt:1: warning: invalid UTF-8; decoded as Windows-1252\n" +
          in + "/mixed.jsonl:2: error: malformed JSON at column 2: syntax error while parsing object key - "
               "invalid literal; last read: '{b'; expected string literal\n" +
          in + "/mixed.jsonl:3: warning: duplicate id 'ok' (also at " + in + "/mixed.jsonl:1); the last one wins\n");
    CHECK(run.summary.added == 3);    // good, latin1, ok
    CHECK(run.summary.replaced == 0); // the second "ok" replaces the first of this run: still one added
    CHECK(run.summary.rejected == 4);
    CHECK(run.summary.warnings == 2);
}

TEST_CASE("ingest: standard input as text or JSON Lines") {
    test::TempDir dir;
    auto text = ingest(dir / "idx", {"-"}, "Title: Piped\n\nPiped headline\n\nPiped body.\n");
    CHECK(text.summary.added == 1);
    auto jsonl = ingest(dir / "idx", {"-"}, "{\"id\":\"p\",\"title\":\"T\",\"body\":\"B\"}\n{\"id\":\"q\",\"title\":\"U\",\"body\":\"C\"}\n");
    CHECK(jsonl.summary.added == 2);
    auto bad = ingest(dir / "idx", {"-"}, "{\"title\":1}\n", test::input_options(pundit::InputFormat::jsonl));
    CHECK(bad.diagnostics == "<stdin>:1: error: field \"title\" must be a string, not number\n");
}

TEST_CASE("ingest: a JSON line over the size limit is refused without holding it") {
    test::TempDir dir;
    std::string huge = "{\"id\":\"big\",\"title\":\"T\",\"body\":\"" + std::string(pundit::kMaxArticleBytes + 10, 'x') + "\"}\n";
    dir.write("in/big.jsonl", huge + "{\"id\":\"small\",\"title\":\"T\",\"body\":\"B\"}\n");
    auto run = ingest(dir / "idx", {dir / "in"});
    CHECK(run.diagnostics == (dir / "in") + "/big.jsonl:1: error: record is over 16 MiB; refused\n");
    CHECK(ids(dir / "idx") == std::vector<std::string>{"small"});
}

TEST_CASE("ingest: a stop request commits what was read and says where reading stopped") {
    test::TempDir dir;
    std::string lines;
    for (int i = 0; i < 50; ++i) {
        lines += "{\"id\":\"a" + std::to_string(i) + "\",\"title\":\"T\",\"body\":\"B\"}\n";
    }
    dir.write("in/many.jsonl", lines);
    std::atomic<bool> stop{true}; // already requested: nothing is read
    pundit::IngestSummary summary;
    {
        pundit::IndexSet set(dir / "idx", 2);
        pundit::IngestOptions options;
        options.stop = &stop;
        std::istringstream in;
        std::ostringstream diag;
        summary = pundit::ingest(set, {dir / "in"}, options, in, diag);
    }
    CHECK(summary.interrupted);
    CHECK(summary.next_unread == dir / "in" + "/many.jsonl:1");
    CHECK(pundit::format_summary(summary).ends_with(
        "; interrupted before " + dir / "in" + "/many.jsonl:1 (what was read is committed: run the same command again to finish)"));
    // Running again without the stop request finishes the job, with no duplicates.
    auto rerun = ingest(dir / "idx", {dir / "in"}, "", {}, 2);
    CHECK(rerun.summary.added == 50);
    CHECK(pundit::open_index_for_reading(dir / "idx").get_doccount() == 50);
}

TEST_CASE("ingest: the writers' queues share one budget of text, whatever the number of shards") {
    // The default four shards: 8 MiB each, as measured (kQueuedBytes).
    CHECK(pundit::queued_bytes_per_writer(4) == std::size_t{8} << 20);
    for (std::size_t writers : {1u, 2u, 4u, 8u, 16u, 32u}) {
        CAPTURE(writers);
        CHECK(pundit::queued_bytes_per_writer(writers) * writers <= pundit::kQueuedBytes);
    }
    // Many shards: each queue keeps room for a few hundred articles.
    CHECK(pundit::queued_bytes_per_writer(1000) == pundit::kMinQueuedBytesPerWriter);
    CHECK(pundit::queued_bytes_per_writer(0) == pundit::kQueuedBytes);
}

TEST_CASE("ingest: a batch is committed when its text reaches the budget, however few its articles") {
    test::TempDir dir;
    std::string lines;
    const std::string body(1000, 'w');
    for (int i = 0; i < 60; ++i) {
        lines += "{\"id\":\"a" + std::to_string(i) + "\",\"title\":\"T\",\"body\":\"" + body + " end\"}\n";
    }
    dir.write("in.jsonl", lines);
    // The revision of a single-shard index counts its commits.
    auto commits = [&](const std::string& name, std::size_t text_bytes) {
        pundit::IndexSet set(dir / name, 1);
        pundit::IngestOptions options;
        options.commit_every = 1000; // never reached by count
        options.commit_text_bytes = text_bytes;
        std::istringstream in;
        std::ostringstream diag;
        const pundit::IngestSummary summary = pundit::ingest(set, {dir / "in.jsonl"}, options, in, diag);
        CHECK(summary.added == 60);
        return pundit::open_index_for_reading(dir / name).get_revision();
    };
    const Xapian::rev by_count = commits("whole", pundit::kCommitTextBytes);
    // 60 articles of 1 KB: a commit at every 10 KB is one every 10 articles, 6 in all.
    const Xapian::rev by_text = commits("by-text", 10 * 1000);
    CHECK(by_text >= by_count + 5);
    CHECK(pundit::open_index_for_reading(dir / "by-text").get_doccount() == 60);
}

TEST_CASE("ingest: an index whose creation was cut short is created again in place") {
    // What SIGKILL between creating the shards and writing the stub leaves:
    // one empty shard, one whose own creation stopped before its version
    // file, a half-written stub, and no stub.
    test::TempDir dir;
    const std::string index = dir / "idx";
    { pundit::IndexWriter shard(index + "/shard-00"); }
    dir.write("idx/shard-01/flintlock", "");
    dir.write("idx/XAPIANDB.new", "auto sha");
    dir.write("in/a.jsonl", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"B\"}\n{\"id\":\"b\",\"title\":\"T\",\"body\":\"B\"}\n");
    auto run = ingest(index, {dir / "in"}, "", {}, 2);
    CHECK(run.diagnostics == "");
    CHECK(run.summary.added == 2);
    CHECK(ids(index) == std::vector<std::string>{"a", "b"});
    CHECK(pundit::shard_paths(index) == std::vector<std::string>{index + "/shard-00", index + "/shard-01"});
    CHECK_FALSE(std::filesystem::exists(index + "/XAPIANDB.new"));

    // Anything else in the directory is not ours to touch.
    const std::string other = dir / "other";
    { pundit::IndexWriter shard(other + "/shard-00"); }
    dir.write("other/notes.txt", "mine");
    CHECK_THROWS_WITH(ingest(other, {dir / "in"}, "", {}, 2),
                      ("'" + other + "' is a non-empty directory that is not an index; choose another --index").c_str());
}

TEST_CASE("ingest: file names that are not UTF-8 give ids decoded as Windows-1252, with a warning") {
    test::TempDir dir;
    const std::string in = dir / "in";
    dir.write("in/good.txt", "Good\n\nFine body.\n");
    dir.write("in/caf\xE9.txt", "Cafe\n\nA name in Latin-1.\n");
    dir.write("in/feed\xE9.jsonl", "{\"title\":\"T\",\"body\":\"No id.\"}\n");
    auto run = ingest(dir / "idx", {in});
    // Diagnostics show a byte of a file name that is not UTF-8 as U+FFFD.
    CHECK(run.diagnostics ==
          in + "/caf\xEF\xBF\xBD.txt: warning: file name is not valid UTF-8; the id made from it is decoded as Windows-1252\n" +
          in + "/feed\xEF\xBF\xBD.jsonl:1: warning: file name is not valid UTF-8; the id made from it is decoded as Windows-1252\n");
    CHECK(ids(dir / "idx") == std::vector<std::string>{"caf\xC3\xA9", "feed\xC3\xA9.jsonl#1", "good"});
    CHECK(run.summary.added == 3);
    CHECK(run.summary.warnings == 2);
}

TEST_CASE("ingest: a directory or file that cannot be read is reported, the rest read") {
    if (geteuid() == 0) return; // root reads everything; tests/cli/unreadable_input.sh drops privileges
    test::TempDir dir;
    dir.write("in/a.txt", "A\n\nFirst.\n");
    dir.write("in/secret.txt", "S\n\nSecret.\n");
    dir.write("in/locked/l.txt", "L\n\nLocked.\n");
    std::filesystem::permissions(dir / "in/secret.txt", std::filesystem::perms::none);
    std::filesystem::permissions(dir / "in/locked", std::filesystem::perms::none);
    auto run = ingest(dir / "idx", {dir / "in"});
    std::filesystem::permissions(dir / "in/locked", std::filesystem::perms::owner_all);
    CHECK(run.diagnostics == dir / "in/locked: error: cannot read directory: Permission denied\n" +
                                 dir / "in/secret.txt: error: cannot open file: Permission denied\n");
    CHECK(ids(dir / "idx") == std::vector<std::string>{"a"});
}

TEST_CASE("ingest: a duplicate id names the file and line of the id's last record, whichever file it was in") {
    test::TempDir dir;
    auto record = [](const std::string& id, const std::string& body) {
        return "{\"id\":\"" + id + "\",\"title\":\"T\",\"body\":\"" + body + "\"}\n";
    };
    dir.write("a.jsonl", record("x", "one") + record("y", "one"));
    dir.write("b.jsonl", record("z", "one") + record("x", "two"));
    dir.write("c.jsonl", record("x", "three") + record("y", "two"));
    // a, b, then a again: the file of an earlier record is named, not the last file read.
    auto run = ingest(dir / "idx", {dir / "a.jsonl", dir / "b.jsonl", dir / "c.jsonl", dir / "a.jsonl"});
    const std::string a = dir / "a.jsonl", b = dir / "b.jsonl", c = dir / "c.jsonl";
    CHECK(run.diagnostics ==
          b + ":2: warning: duplicate id 'x' (also at " + a + ":1); the last one wins\n" +
          c + ":1: warning: duplicate id 'x' (also at " + b + ":2); the last one wins\n" +
          c + ":2: warning: duplicate id 'y' (also at " + a + ":2); the last one wins\n" +
          a + ":1: warning: duplicate id 'x' (also at " + c + ":1); the last one wins\n" +
          a + ":2: warning: duplicate id 'y' (also at " + c + ":2); the last one wins\n");
    CHECK(run.summary.added == 3);
}

TEST_CASE("ingest: an id given more than once in a run counts once, by what the run did to the index") {
    // {what the index holds before, the run's records, added/replaced/unchanged}
    const std::string v1 = "{\"id\":\"a\",\"title\":\"T\",\"body\":\"One.\"}\n";
    const std::string v2 = "{\"id\":\"a\",\"title\":\"T\",\"body\":\"Two.\"}\n";
    const std::string bad = "{\"id\":\"a\",\"title\":\"\",\"body\":\"\"}\n";
    struct Row {
        std::string before, run;
        std::size_t added, replaced, unchanged;
    };
    const Row rows[] = {
        {"", v1 + v1, 1, 0, 0},      // new, given twice
        {"", v1 + v2, 1, 0, 0},      // new, the second version wins
        {v1, v1 + v1, 0, 0, 1},      // held, unchanged twice
        {v1, v1 + v2, 0, 1, 0},      // held, unchanged then changed: replaced
        {v1, v2 + v1, 0, 1, 0},      // held, changed then changed back: replaced (written twice)
        {v1, v2 + v2, 0, 1, 0},      // held, changed twice the same way
        {"", bad + v1, 1, 0, 0},     // the first record rejected: the second decides
    };
    for (const Row& row : rows) {
        CAPTURE(row.before);
        CAPTURE(row.run);
        test::TempDir dir;
        const std::string index = dir / "idx";
        if (!row.before.empty()) {
            dir.write("before.jsonl", row.before);
            ingest(index, {dir / "before.jsonl"});
        }
        dir.write("run.jsonl", row.run);
        auto run = ingest(index, {dir / "run.jsonl"});
        CHECK(run.summary.added == row.added);
        CHECK(run.summary.replaced == row.replaced);
        CHECK(run.summary.unchanged == row.unchanged);
        CHECK(pundit::open_index_for_reading(index).get_doccount() == 1);
    }
}

TEST_CASE("ingest: the summary writes its counts as the searcher does, with thousands separators") {
    pundit::IngestSummary summary;
    summary.added = 2226;
    summary.replaced = 1000;
    summary.unchanged = 12345;
    summary.rejected = 737;
    summary.warnings = 1001;
    summary.files = 21578;
    summary.seconds = 1.5;
    CHECK(pundit::format_summary(summary) ==
          "2,226 added, 1,000 replaced, 12,345 unchanged, 737 rejected (1,001 warnings) from 21,578 files in 1.50 s");
}

TEST_CASE("ingest: after 10 diagnostics of one kind in a file the rest are counted, unless all are asked for") {
    test::TempDir dir;
    std::string feed;
    for (int i = 0; i < 25; ++i) feed += "{broken " + std::to_string(i) + "\n";
    feed += "{\"id\":\"ok\",\"title\":\"T\",\"body\":\"B\",\"date\":\"soon\"}\n";
    dir.write("in/feed.jsonl", feed);
    dir.write("in/other.jsonl", "{broken\n");
    const std::string in = dir / "in";
    auto run = ingest(dir / "idx", {dir / "in"});
    std::istringstream diagnostics(run.diagnostics);
    std::vector<std::string> got;
    for (std::string line; std::getline(diagnostics, line);) got.push_back(line);
    REQUIRE(got.size() == 13);
    CHECK(got[9].starts_with(in + "/feed.jsonl:10: error: malformed JSON at column 2"));
    CHECK(got[10].starts_with(in + "/feed.jsonl:26: warning: unrecognised date 'soon'"));
    CHECK(got[11] == in + "/feed.jsonl: error: ... and 15 more like 'malformed JSON at column' (--verbose shows them all)");
    CHECK(got[12].starts_with(in + "/other.jsonl:1: error: malformed JSON at column 2"));
    // Every one counts.
    CHECK(run.summary.rejected == 26);
    CHECK(run.summary.warnings == 1);

    pundit::InputOptions all;
    all.diagnostics_per_kind = 0;
    auto verbose = ingest(dir / "idx2", {dir / "in"}, "", all);
    CHECK(std::count(verbose.diagnostics.begin(), verbose.diagnostics.end(), '\n') == 27);
}

TEST_CASE("ingest: what the input reader refuses is counted as rejected, what it warns of as a warning") {
    // The reader's own diagnostics are tested in test_input_reader.cpp; here,
    // how the summary counts them. Followed links: three files that cannot
    // be read (rejected), four links not read again or loops (warnings).
    test::LinkTree tree;
    auto followed = ingest(tree.dir / "idx", {tree.in}, "", test::input_options(pundit::InputFormat::automatic, true));
    CHECK(ids(tree.dir / "idx") == std::vector<std::string>{"good", "linked/x", "passwd", "sub/deep"});
    CHECK(followed.summary.rejected == 3);
    CHECK(followed.summary.warnings == 4);

    // A FIFO and a socket met in a directory: each a rejection.
    test::TempDir dir;
    const std::string in = dir / "in";
    dir.write("in/good.txt", "Good\n\nFine body.\n");
    REQUIRE(::mkfifo((in + "/pipe.txt").c_str(), 0600) == 0);
    int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(sock >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string socket_path = in + "/feed.jsonl";
    REQUIRE(socket_path.size() < sizeof address.sun_path);
    socket_path.copy(address.sun_path, socket_path.size());
    REQUIRE(::bind(sock, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    auto special = ingest(dir / "idx", {in});
    ::close(sock);
    CHECK(special.summary.added == 1);
    CHECK(special.summary.rejected == 2);

    // Headlines made from the body: indexed, with a warning each; an article
    // with neither headline nor body text: rejected.
    dir.write("wire/wire.jsonl",
              "{\"id\":\"r-1\",\"body\":\"Showers continued throughout the week in the Bahia cocoa zone. More.\"}\n"
              "{\"id\":\"r-2\",\"title\":\" \",\"body\":\"Oil prices fell\"}\n"
              "{\"id\":\"r-3\",\"title\":\"\",\"body\":\"\\u200B\"}\n"
              "{\"id\":\"r-4\",\"title\":\"A headline\",\"body\":\"Given.\"}\n");
    dir.write("wire/plain.txt", "Title:\nDate: 1987-02-26\n\nThe headline line\n\nBody of the story.\n");
    auto derived = ingest(dir / "idx-wire", {dir / "wire"});
    CHECK(derived.summary.added == 4);
    CHECK(derived.summary.rejected == 1);
    CHECK(derived.summary.warnings == 3);
}
