#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
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
#include "temp_dir.hpp"

namespace {

pundit::InputOptions input_options(pundit::InputFormat format, bool follow_links = false) {
    pundit::InputOptions options;
    options.format = format;
    options.follow_links = follow_links;
    return options;
}

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

namespace {

// Every article and diagnostic the reader produces for `paths`.
struct Read {
    std::vector<pundit::Article> articles;
    std::vector<std::string> diagnostics;
};

Read read_all(const std::vector<std::string>& paths, pundit::InputOptions options = {}) {
    Read out;
    std::istringstream no_input;
    pundit::InputReader reader(
        options, [&](pundit::Article&& a) { out.articles.push_back(std::move(a)); },
        [&](const pundit::Diagnostic& d) { out.diagnostics.push_back(pundit::format_diagnostic(d)); }, no_input);
    for (const std::string& path : paths) {
        for (const pundit::InputFile& file : reader.expand(path)) reader.read(file);
    }
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
    auto bad = ingest(dir / "idx", {"-"}, "{\"title\":1}\n", input_options(pundit::InputFormat::jsonl));
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

namespace {

// A tree with every kind of symbolic link, inside and out of it:
//   in/good.txt, in/sub/deep.txt                  plain files
//   in/passwd.txt -> outside/secret.txt            a file out of the tree
//   in/linked -> outside/dir, in/linked-again -> outside/dir
//   in/linked/self -> .                            (outside/dir/self) a loop
//   in/sub/up -> ..                                a loop
//   in/sub-link -> sub                             a directory in the tree
//   in/a.txt -> b.txt, in/b.txt -> a.txt          a file loop
//   in/dangling.txt -> nowhere.txt
//   in/notes.md -> outside/notes.md                not an article: nothing said
//   links/in -> in                                 a PATH argument that is a link
struct LinkTree {
    test::TempDir dir;
    std::string in = dir / "in";

    LinkTree() {
        namespace fs = std::filesystem;
        dir.write("in/good.txt", "Good\n\nFine body.\n");
        dir.write("in/sub/deep.txt", "Deep\n\nDeeper body.\n");
        dir.write("outside/secret.txt", "Secret\n\nOutside the tree.\n");
        dir.write("outside/dir/x.txt", "X\n\nIn a linked directory.\n");
        dir.write("outside/notes.md", "# not an article\n");
        fs::create_symlink(dir / "outside/secret.txt", in + "/passwd.txt");
        fs::create_directory_symlink(dir / "outside/dir", in + "/linked");
        fs::create_directory_symlink(dir / "outside/dir", in + "/linked-again");
        fs::create_directory_symlink(".", dir / "outside/dir/self");
        fs::create_directory_symlink("..", in + "/sub/up");
        fs::create_directory_symlink("sub", in + "/sub-link");
        fs::create_symlink("b.txt", in + "/a.txt");
        fs::create_symlink("a.txt", in + "/b.txt");
        fs::create_symlink("nowhere.txt", in + "/dangling.txt");
        fs::create_symlink(dir / "outside/notes.md", in + "/notes.md");
        fs::create_directories(dir / "links");
        fs::create_directory_symlink(in, dir / "links/in");
    }
};

// The ids, one a line (a failed check prints the strings).
std::string ids_of(const std::vector<pundit::Article>& articles) {
    std::string out;
    for (const pundit::Article& a : articles) out += a.id + "\n";
    return out;
}

std::string lines(const std::vector<std::string>& list) {
    std::string out;
    for (const std::string& line : list) out += line + "\n";
    return out;
}

} // namespace

TEST_CASE("ingest: symbolic links met in a directory are not followed, and each is said, and a PATH given is followed") {
    LinkTree tree;
    const std::string& in = tree.in;
    const std::string not_followed = ": warning: symbolic link not followed (use --follow to follow it)";
    Read walk = read_all({in});
    CHECK(lines(walk.diagnostics) == lines({
                                  in + "/a.txt" + not_followed,
                                  in + "/b.txt" + not_followed,
                                  in + "/dangling.txt" + not_followed,
                                  in + "/linked" + not_followed,
                                  in + "/linked-again" + not_followed,
                                  in + "/passwd.txt" + not_followed,
                                  in + "/sub-link" + not_followed,
                                  in + "/sub/up" + not_followed,
                              }));
    CHECK(ids_of(walk.articles) == "good\nsub/deep\n");

    // A PATH argument is followed, whether a file or a directory.
    Read named = read_all({in + "/passwd.txt", tree.dir / "links/in"});
    CHECK(ids_of(named.articles) == "passwd\ngood\nsub/deep\n");
    CHECK(named.diagnostics.size() == 8); // the links inside links/in, as above
    CHECK(named.diagnostics.front() == tree.dir / "links/in/a.txt" + not_followed);
}

TEST_CASE("ingest: with follow_links, linked files and directories are read, each directory once, loops said") {
    LinkTree tree;
    const std::string& in = tree.in;
    Read walk = read_all({in}, input_options(pundit::InputFormat::automatic, true));
    // A directory that is read as itself is not read again through a link
    // (in/sub-link), nor through a second link (in/linked-again).
    CHECK(lines(walk.diagnostics) ==
          lines({
              in + "/a.txt: error: cannot read: Too many levels of symbolic links",
              in + "/b.txt: error: cannot read: Too many levels of symbolic links",
              in + "/dangling.txt: error: cannot read: No such file or directory",
              in + "/linked-again: warning: symbolic link to a directory already read as '" + in + "/linked'; not read again",
              in + "/linked/self: warning: symbolic link loop: leads back to '" + in + "/linked'; not followed",
              in + "/sub-link: warning: symbolic link to a directory already read as '" + in + "/sub'; not read again",
              in + "/sub/up: warning: symbolic link loop: leads back to '" + in + "'; not followed",
          }));
    CHECK(ids_of(walk.articles) == "good\nlinked/x\npasswd\nsub/deep\n");

    // Through ingest(): the errors are rejections, the rest is indexed.
    auto run = ingest(tree.dir / "idx", {in}, "", input_options(pundit::InputFormat::automatic, true));
    CHECK(ids(tree.dir / "idx") == std::vector<std::string>{"good", "linked/x", "passwd", "sub/deep"});
    CHECK(run.summary.rejected == 3);
    CHECK(run.summary.warnings == 4);
}

TEST_CASE("ingest: a file that vanishes between listing and reading is reported, the rest read") {
    test::TempDir dir;
    dir.write("in/a.txt", "A\n\nFirst.\n");
    dir.write("in/b.txt", "B\n\nSecond.\n");
    dir.write("in/c.jsonl", "{\"id\":\"c\",\"title\":\"C\",\"body\":\"Third.\"}\n");
    std::vector<std::string> read, diagnostics;
    std::istringstream no_input;
    pundit::InputReader reader(
        pundit::InputOptions{}, [&](pundit::Article&& a) { read.push_back(a.id); },
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

TEST_CASE("ingest: one-line fields are folded to one line as they are read, whatever the reader") {
    // A title "Line1\nDate: 1999-01-01" printed as text and read back must not
    // become a header: every run of line breaks and control characters in a
    // one-line field is one space, and the ends are trimmed.
    test::TempDir dir;
    dir.write("in/feed.jsonl",
              R"({"id":"j1","title":"Line1\nDate: 1999-01-01","body":"P1\n\nP2","author":"Ann\u2028Lee",)"
              R"("source":"X\u0085\u0085Y","url":" https://example.org/a\r\n","language":"en\t"})" "\n"
              R"({"id":"j2","title":"A \r\n\t B\u000b\u000cC\u009bD\u2029E","body":"B"})" "\n"
              R"({"id":"j3","title":"  Two  spaces  kept ","body":"B"})" "\n");
    dir.write("in/header.txt", "Title: Headline\u2028Date: 1999-01-01\nAuthor: Ann\vLee\fJr\n\nHeadline\n\nBody.\n");
    Read r = read_all({dir / "in"});
    CHECK(r.diagnostics.empty());
    REQUIRE(r.articles.size() == 4);
    const pundit::Article& j1 = r.articles[0];
    CHECK(j1.title == "Line1 Date: 1999-01-01");
    CHECK(j1.body == "P1\n\nP2"); // the body keeps its paragraphs
    CHECK(j1.author == "Ann Lee");
    CHECK(j1.source == "X Y");
    CHECK(j1.url == "https://example.org/a");
    CHECK(j1.language == "en");
    CHECK(r.articles[1].title == "A B C D E");
    CHECK(r.articles[2].title == "Two  spaces  kept");
    const pundit::Article& text = r.articles[3];
    CHECK(text.id == "header");
    CHECK(text.title == "Headline Date: 1999-01-01");
    CHECK(text.date == "");
    CHECK(text.author == "Ann Lee Jr");
}

TEST_CASE("ingest: an id with a line break or control character is refused, the rest read") {
    // Ids are typed and printed: one folded in silence would not be the id
    // the feed gave, so the record is refused with a diagnostic.
    test::TempDir dir;
    const std::string in = dir / "in";
    dir.write("in/feed.jsonl",
              R"({"id":"a\nb","title":"T","body":"B"})" "\n"
              R"({"id":"tab\there","title":"T","body":"B"})" "\n"
              R"({"id":"sep\u2028","title":"T","body":"B"})" "\n"
              R"({"id":"ok","title":"T","body":"B"})" "\n");
    dir.write("in/header.txt", "ID: x\vy\n\nHeadline\n\nBody.\n");
    dir.write("in/line\nbreak.txt", "Headline\n\nBody.\n");
    Read r = read_all({in});
    CHECK(r.diagnostics == std::vector<std::string>{
                               in + "/feed.jsonl:1: error: id contains a line break or control character (U+000A); not indexed",
                               in + "/feed.jsonl:2: error: id contains a line break or control character (U+0009); not indexed",
                               in + "/feed.jsonl:3: error: id contains a line break or control character (U+2028); not indexed",
                               in + "/header.txt:3: error: id contains a line break or control character (U+000B); not indexed",
                               in + "/line break.txt:1: error: the file name has a line break or control character (U+000A), "
                                    "so it cannot be the id; rename the file or give the article an ID: header",
                           });
    REQUIRE(r.articles.size() == 1);
    CHECK(r.articles[0].id == "ok");
}

TEST_CASE("ingest: a FIFO, socket or device met in a directory is refused by kind, never opened") {
    test::TempDir dir;
    const std::string in = dir / "in";
    dir.write("in/good.txt", "Good\n\nFine body.\n");
    REQUIRE(::mkfifo((in + "/pipe.txt").c_str(), 0600) == 0);
    REQUIRE(::mkfifo((in + "/not-an-article").c_str(), 0600) == 0); // not named as one: not looked at
    int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(sock >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string socket_path = in + "/feed.jsonl";
    REQUIRE(socket_path.size() < sizeof address.sun_path);
    socket_path.copy(address.sun_path, socket_path.size());
    REQUIRE(::bind(sock, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    std::filesystem::create_symlink("/dev/zero", in + "/zero.txt");

    // Followed links lead to a device; without --follow the link is said as a link.
    Read followed = read_all({in}, input_options(pundit::InputFormat::automatic, true));
    ::close(sock);
    CHECK(lines(followed.diagnostics) == lines({
                                             in + "/feed.jsonl: error: not a regular file (a socket); skipped",
                                             in + "/pipe.txt: error: not a regular file (a FIFO); skipped",
                                             in + "/zero.txt: error: not a regular file (a character device); skipped",
                                         }));
    CHECK(ids_of(followed.articles) == "good\n");
    Read plain = read_all({in});
    CHECK(lines(plain.diagnostics) == lines({
                                          in + "/feed.jsonl: error: not a regular file (a socket); skipped",
                                          in + "/pipe.txt: error: not a regular file (a FIFO); skipped",
                                          in + "/zero.txt: warning: symbolic link not followed (use --follow to follow it)",
                                      }));

    // Through ingest(), each is a rejection.
    auto run = ingest(dir / "idx", {in});
    CHECK(run.summary.added == 1);
    CHECK(run.summary.rejected == 2);
}

TEST_CASE("ingest: a file found in a directory that is a FIFO by the time it is read is refused without blocking") {
    test::TempDir dir;
    const std::string pipe = dir.write("in/late.txt", "Late\n\nBody.\n");
    std::vector<std::string> diagnostics;
    std::istringstream no_input;
    pundit::InputReader reader(
        pundit::InputOptions{}, [](pundit::Article&&) {},
        [&](const pundit::Diagnostic& d) { diagnostics.push_back(pundit::format_diagnostic(d)); }, no_input);
    std::vector<pundit::InputFile> files = reader.expand(dir / "in");
    REQUIRE(files.size() == 1);
    std::filesystem::remove(pipe);
    REQUIRE(::mkfifo(pipe.c_str(), 0600) == 0);
    auto reading = std::async(std::launch::async, [&] { reader.read(files[0]); });
    const bool blocked = reading.wait_for(std::chrono::seconds(5)) == std::future_status::timeout;
    if (blocked) {
        // Let the reader go (it waits for a writer), so the test fails instead of hanging.
        ::close(::open(pipe.c_str(), O_WRONLY | O_NONBLOCK));
        reading.wait();
    }
    CHECK_FALSE(blocked);
    CHECK(lines(diagnostics) == pipe + ": error: not a regular file (a FIFO); skipped\n");
}

TEST_CASE("ingest: a pipe or device named as a PATH is read as a stream, bounded like standard input") {
    // What `indexer add <(zcat feed.jsonl.gz)` passes: /dev/fd/N, a pipe.
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const std::string feed = "{\"id\":\"p1\",\"title\":\"T\",\"body\":\"B\"}\n{\"id\":\"p2\",\"title\":\"U\",\"body\":\"C\"}\n";
    REQUIRE(::write(fds[1], feed.data(), feed.size()) == static_cast<ssize_t>(feed.size()));
    ::close(fds[1]);
    const std::string piped = "/dev/fd/" + std::to_string(fds[0]);
    Read stream = read_all({piped});
    ::close(fds[0]);
    CHECK(stream.diagnostics.empty());
    CHECK(ids_of(stream.articles) == "p1\np2\n");

    // Endless zeros are refused as binary at once, as text or JSON Lines,
    // instead of reading 16 MiB (text) or forever (JSON Lines, no line end).
    Read zero = read_all({"/dev/zero"});
    CHECK(lines(zero.diagnostics) == "/dev/zero: error: binary file (contains NUL bytes); not indexed\n");
    REQUIRE(::pipe(fds) == 0);
    const std::string zeros(60000, '\0'); // less than a pipe holds: no writer needed
    REQUIRE(::write(fds[1], zeros.data(), zeros.size()) == static_cast<ssize_t>(zeros.size()));
    ::close(fds[1]);
    Read zero_lines = read_all({"/dev/fd/" + std::to_string(fds[0])}, input_options(pundit::InputFormat::jsonl));
    ::close(fds[0]);
    CHECK(lines(zero_lines.diagnostics) ==
          "/dev/fd/" + std::to_string(fds[0]) + ": error: binary file (contains NUL bytes); not indexed\n");
}

TEST_CASE("ingest: --default-date dates the articles that carry none, and only those") {
    test::TempDir dir;
    dir.write("in/undated.txt", "Headline\n\nBody.\n");
    dir.write("in/dated.txt", "Date: 2019-06-29\n\nHeadline\n\nBody.\n");
    dir.write("in/feed.jsonl", "{\"id\":\"j1\",\"title\":\"T\",\"body\":\"B\"}\n"
                               "{\"id\":\"j2\",\"title\":\"T\",\"body\":\"B\",\"date\":\"1991-12-25\"}\n");
    pundit::InputOptions options;
    options.default_date = "2005-01-01";
    Read r = read_all({dir / "in"}, options);
    CHECK(r.diagnostics.empty());
    std::string dates;
    for (const pundit::Article& a : r.articles) dates += a.id + "=" + a.date + "\n";
    CHECK(dates == "dated=2019-06-29\nj1=2005-01-01\nj2=1991-12-25\nundated=2005-01-01\n");
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

TEST_CASE("ingest: an article without a headline gets the opening words of its body, with a warning") {
    test::TempDir dir;
    dir.write("in/wire.jsonl",
              "{\"id\":\"r-1\",\"body\":\"Showers continued throughout the week in the Bahia cocoa zone. More.\"}\n"
              "{\"id\":\"r-2\",\"title\":\" \",\"body\":\"Oil prices fell\"}\n"
              "{\"id\":\"r-3\",\"title\":\"\",\"body\":\"\\u200B\"}\n"
              "{\"id\":\"r-4\",\"title\":\"A headline\",\"body\":\"Given.\"}\n");
    dir.write("in/plain.txt", "Title:\nDate: 1987-02-26\n\nThe headline line\n\nBody of the story.\n");
    auto read = read_all({dir / "in"});
    const std::string in = dir / "in";
    CHECK(lines(read.diagnostics) ==
          in + "/plain.txt:4: warning: no headline; indexed with the opening words of the body in its place\n" +
          in + "/wire.jsonl:1: warning: no headline; indexed with the opening words of the body in its place\n" +
          in + "/wire.jsonl:2: warning: no headline; indexed with the opening words of the body in its place\n" +
          in + "/wire.jsonl:3: error: no headline and no body text; not indexed\n");
    REQUIRE(read.articles.size() == 4);
    CHECK(read.articles[0].title == "Body of the story.");
    CHECK(read.articles[0].title_derived);
    CHECK(read.articles[1].title == "Showers continued throughout the week in the Bahia cocoa zone.");
    CHECK(read.articles[1].title_derived);
    CHECK(read.articles[2].title == "Oil prices fell");
    CHECK(read.articles[3].title == "A headline");
    CHECK_FALSE(read.articles[3].title_derived);

    // Indexed and counted: two warnings each for the three, one rejected.
    auto run = ingest(dir / "idx", {dir / "in"});
    CHECK(run.summary.added == 4);
    CHECK(run.summary.rejected == 1);
    CHECK(run.summary.warnings == 3);
}

TEST_CASE("ingest: --exclude skips what its fnmatch patterns match, relative to the directory given") {
    test::TempDir dir;
    dir.write("in/README.TXT", "About this collection\n\nNot an article.\n");
    dir.write("in/a.txt", "Alpha\n\nBody.\n");
    dir.write("in/sub/README.TXT", "About the subfolder\n\nNot one either.\n");
    dir.write("in/sub/b.txt", "Beta\n\nBody.\n");
    dir.write("in/drafts/c.txt", "Gamma\n\nBody.\n");
    auto read_ids = [&](const std::vector<std::string>& exclude) {
        pundit::InputOptions options;
        options.exclude = exclude;
        std::vector<std::string> out;
        for (const pundit::Article& a : read_all({dir / "in"}, options).articles) out.push_back(a.id);
        return out;
    };
    using Ids = std::vector<std::string>;
    CHECK(read_ids({}) == Ids{"README", "a", "drafts/c", "sub/README", "sub/b"});
    CHECK(read_ids({"README.TXT"}) == Ids{"a", "drafts/c", "sub/README", "sub/b"});
    CHECK(read_ids({"*README.TXT"}) == Ids{"a", "drafts/c", "sub/b"}); // '*' matches '/'
    CHECK(read_ids({"drafts", "sub/*.TXT"}) == Ids{"README", "a", "sub/b"}); // a directory with all in it
    CHECK(read_ids({"readme.txt"}) == Ids{"README", "a", "drafts/c", "sub/README", "sub/b"}); // case matters
    // A file named as a PATH is read whatever the patterns say.
    pundit::InputOptions options;
    options.exclude = {"*"};
    CHECK(read_all({dir / "in/README.TXT"}, options).articles.size() == 1);
}

TEST_CASE("ingest: a binary file is refused whole whatever its name, but a JSON Lines file with one bad line is read") {
    test::TempDir dir;
    std::string gzip("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    for (int i = 0; i < 3000; ++i) gzip += "\xA0\x0A\x7F\x0A";
    dir.write("in/feed.jsonl", gzip);
    dir.write("in/feed.ndjson", std::string("{\"id\":\"n-1\",\"title\":\"T\",\"body\":\"B\"}\n{\"x\0\"}\n", 43));
    auto read = read_all({dir / "in"});
    const std::string in = dir / "in";
    CHECK(lines(read.diagnostics) ==
          in + "/feed.jsonl: error: binary file (contains NUL bytes); not indexed\n" +
          in + "/feed.ndjson:2: error: malformed JSON at column 4: syntax error while parsing object key - "
               "invalid string: control character U+0000 (NUL) must be escaped to \\u0000; last read: '\"x<U+0000>'; "
               "expected string literal\n");
    CHECK(read.articles.size() == 1);
    CHECK_FALSE(pundit::looks_binary("plain text"));
    CHECK(pundit::looks_binary(std::string("a\0b", 3)));
    CHECK_FALSE(pundit::looks_binary(std::string("\xFF\xFE" "a\0", 4))); // UTF-16
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

TEST_CASE("ingest: a PATH that does not exist is found before anything is read") {
    test::TempDir dir;
    dir.write("in/a.txt", "Alpha\n\nBody.\n");
    CHECK_NOTHROW(pundit::require_input_paths({dir / "in", dir / "in/a.txt", "-"}));
    CHECK_THROWS_WITH_AS(pundit::require_input_paths({dir / "in", dir / "typo"}),
                         ("'" + dir / "typo" + "': no such file or directory; nothing was read").c_str(), pundit::Error);
    CHECK_THROWS_AS(pundit::require_input_paths({dir / "in/a.txt/x"}), pundit::Error);
}

TEST_CASE("ingest: a UTF-8 text file with one bad byte keeps its UTF-8, and the warning names the line") {
    test::TempDir dir;
    dir.write("in/zurich.txt", "Banks in Z\xC3\xBCrich\n\nThe owner\x92s view.\n\nLast word on Z\xC3\xBCrich.\n");
    dir.write("in/two.txt", "Headline \xC3\xA9\n\nOne \x92.\n\nTwo.\n\nThree \x93quoted\x94.\n");
    auto read = read_all({dir / "in"});
    const std::string in = dir / "in";
    CHECK(lines(read.diagnostics) ==
          in + "/two.txt:3: warning: invalid UTF-8; the paragraphs at lines 3 and 7 are decoded as Windows-1252, "
               "the rest of the file stays UTF-8\n" +
          in + "/zurich.txt:3: warning: invalid UTF-8; this paragraph is decoded as Windows-1252, the rest of the "
               "file stays UTF-8\n");
    REQUIRE(read.articles.size() == 2);
    CHECK(read.articles[1].title == "Banks in Zürich");
    CHECK(read.articles[1].body == "The owner’s view.\n\nLast word on Zürich.");
    CHECK(read.articles[0].body == "One ’.\n\nTwo.\n\nThree “quoted”.");
}

TEST_CASE("ingest: the sample corpus's page without a byline gets its author from its bio") {
    auto read = read_all({std::string(PUNDIT_SOURCE_DIR) + "/corpus/articles/2010-volcano-ash-cloud.txt"});
    CHECK(read.diagnostics.empty());
    REQUIRE(read.articles.size() == 1);
    CHECK(read.articles[0].author == "Sigrid Aalto");
    CHECK(read.articles[0].title == "When a Volcano Grounded a Continent");
    CHECK(read.articles[0].body.ends_with("instead of a blanket ban."));
}
