#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <sstream>

#include <unistd.h>

#include <xapian.h>

#include "pundit/document_builder.hpp"
#include "pundit/index.hpp"
#include "pundit/ingest.hpp"
#include "temp_dir.hpp"

namespace {

struct Run {
    pundit::IngestSummary summary;
    std::string diagnostics;
};

Run ingest(const std::string& index, const std::vector<std::string>& paths, const std::string& stdin_text = "",
           pundit::InputFormat format = pundit::InputFormat::automatic, std::size_t shards = 1) {
    pundit::IndexSet set(index, shards);
    std::istringstream in(stdin_text);
    std::ostringstream diag;
    pundit::IngestOptions options;
    options.format = format;
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

TEST_CASE("ingest: re-running is idempotent; changes replace") {
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
    CHECK(run.summary.replaced == 1); // the second "ok"
    CHECK(run.summary.rejected == 4);
    CHECK(run.summary.warnings == 2);
}

TEST_CASE("ingest: standard input as text or JSON Lines") {
    test::TempDir dir;
    auto text = ingest(dir / "idx", {"-"}, "Title: Piped\n\nPiped headline\n\nPiped body.\n");
    CHECK(text.summary.added == 1);
    auto jsonl = ingest(dir / "idx", {"-"}, "{\"id\":\"p\",\"title\":\"T\",\"body\":\"B\"}\n{\"id\":\"q\",\"title\":\"U\",\"body\":\"C\"}\n");
    CHECK(jsonl.summary.added == 2);
    auto bad = ingest(dir / "idx", {"-"}, "{\"title\":1}\n", pundit::InputFormat::jsonl);
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
    auto rerun = ingest(dir / "idx", {dir / "in"}, "", pundit::InputFormat::automatic, 2);
    CHECK(rerun.summary.added == 50);
    CHECK(pundit::open_index_for_reading(dir / "idx").get_doccount() == 50);
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
    auto run = ingest(index, {dir / "in"}, "", pundit::InputFormat::automatic, 2);
    CHECK(run.diagnostics == "");
    CHECK(run.summary.added == 2);
    CHECK(ids(index) == std::vector<std::string>{"a", "b"});
    CHECK(pundit::shard_paths(index) == std::vector<std::string>{index + "/shard-00", index + "/shard-01"});
    CHECK_FALSE(std::filesystem::exists(index + "/XAPIANDB.new"));

    // Anything else in the directory is not ours to touch.
    const std::string other = dir / "other";
    { pundit::IndexWriter shard(other + "/shard-00"); }
    dir.write("other/notes.txt", "mine");
    CHECK_THROWS_WITH(ingest(other, {dir / "in"}, "", pundit::InputFormat::automatic, 2),
                      ("'" + other + "' is a non-empty directory that is not an index; choose another --index").c_str());
}

TEST_CASE("ingest: symbolic link loops, dangling links and file names that are not UTF-8") {
    test::TempDir dir;
    const std::string in = dir / "in";
    dir.write("in/good.txt", "Good\n\nFine body.\n");
    dir.write("in/sub/deep.txt", "Deep\n\nDeeper body.\n");
    std::filesystem::create_directory_symlink("..", in + "/sub/up");       // a directory loop: not followed
    std::filesystem::create_symlink("b.txt", in + "/a.txt");               // a file loop
    std::filesystem::create_symlink("a.txt", in + "/b.txt");
    std::filesystem::create_symlink("nowhere.txt", in + "/dangling.txt");
    dir.write("in/caf\xE9.txt", "Cafe\n\nA name in Latin-1.\n");
    dir.write("in/feed\xE9.jsonl", "{\"title\":\"T\",\"body\":\"No id.\"}\n");
    auto run = ingest(dir / "idx", {in, in + "/a.txt"});
    // Diagnostics show a byte of a file name that is not UTF-8 as U+FFFD.
    CHECK(run.diagnostics ==
          in + "/a.txt: error: cannot read: Too many levels of symbolic links\n" +
          in + "/b.txt: error: cannot read: Too many levels of symbolic links\n" +
          in + "/dangling.txt: error: cannot read: No such file or directory\n" +
          in + "/a.txt: error: cannot read: Too many levels of symbolic links\n" +
          in + "/caf\xEF\xBF\xBD.txt: warning: file name is not valid UTF-8; the id made from it is decoded as Windows-1252\n" +
          in + "/feed\xEF\xBF\xBD.jsonl:1: warning: file name is not valid UTF-8; the id made from it is decoded as Windows-1252\n");
    CHECK(ids(dir / "idx") == std::vector<std::string>{"caf\xC3\xA9", "feed\xC3\xA9.jsonl#1", "good", "sub/deep"});
    CHECK(run.summary.added == 4);
    CHECK(run.summary.rejected == 4);
    CHECK(run.summary.warnings == 2);
}

TEST_CASE("ingest: a file that vanishes between listing and reading is reported, the rest read") {
    test::TempDir dir;
    dir.write("in/a.txt", "A\n\nFirst.\n");
    dir.write("in/b.txt", "B\n\nSecond.\n");
    dir.write("in/c.jsonl", "{\"id\":\"c\",\"title\":\"C\",\"body\":\"Third.\"}\n");
    std::vector<std::string> read, diagnostics;
    std::istringstream no_input;
    pundit::InputReader reader(
        pundit::InputFormat::automatic, [&](pundit::Article&& a) { read.push_back(a.id); },
        [&](const pundit::Diagnostic& d) { diagnostics.push_back(pundit::format_diagnostic(d)); }, no_input);
    std::vector<pundit::InputFile> files = reader.expand(dir / "in");
    REQUIRE(files.size() == 3);
    std::filesystem::remove(dir / "in/b.txt");
    std::filesystem::remove(dir / "in/c.jsonl");
    for (const pundit::InputFile& file : files) reader.read(file);
    CHECK(read == std::vector<std::string>{"a"});
    CHECK(diagnostics == std::vector<std::string>{dir / "in/b.txt: error: cannot open file: No such file or directory",
                                                  dir / "in/c.jsonl: error: cannot open file: No such file or directory"});
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
