#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <sstream>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "pundit/error.hpp"
#include "pundit/input_reader.hpp"
#include "article_fixture.hpp"
#include "link_tree.hpp"
#include "temp_dir.hpp"

namespace {

// Every article and diagnostic the reader produces for `paths`.
struct Read {
    std::vector<pundit::Article> articles;
    std::vector<std::string> diagnostics;
};

Read read_all(const std::vector<std::string>& paths, pundit::InputOptions options = {},
              const std::string& stdin_text = "") {
    Read out;
    std::istringstream standard_input(stdin_text);
    pundit::InputReader reader(
        options, [&](pundit::Article&& a) { out.articles.push_back(std::move(a)); },
        [&](const pundit::Diagnostic& d) { out.diagnostics.push_back(pundit::format_diagnostic(d)); }, standard_input);
    for (const std::string& path : paths) {
        for (const pundit::InputFile& file : reader.expand(path)) reader.read(file);
    }
    return out;
}

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

TEST_CASE("input reader: symbolic links met in a directory are not followed, and each is said, and a PATH given is followed") {
    test::LinkTree tree;
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

TEST_CASE("input reader: with follow_links, linked files and directories are read, each directory once, loops said") {
    test::LinkTree tree;
    const std::string& in = tree.in;
    Read walk = read_all({in}, test::input_options(pundit::InputFormat::automatic, true));
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
}

TEST_CASE("input reader: a file that vanishes between listing and reading is reported, the rest read") {
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

TEST_CASE("input reader: one-line fields are folded to one line as they are read, whatever the reader") {
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

TEST_CASE("input reader: an id with a line break or control character is refused, the rest read") {
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

TEST_CASE("input reader: a FIFO, socket or device met in a directory is refused by kind, never opened") {
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
    Read followed = read_all({in}, test::input_options(pundit::InputFormat::automatic, true));
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
}

TEST_CASE("input reader: a file found in a directory that is a FIFO by the time it is read is refused without blocking") {
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

TEST_CASE("input reader: a pipe or device named as a PATH is read as a stream, bounded like standard input") {
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
    Read zero_lines = read_all({"/dev/fd/" + std::to_string(fds[0])}, test::input_options(pundit::InputFormat::jsonl));
    ::close(fds[0]);
    CHECK(lines(zero_lines.diagnostics) ==
          "/dev/fd/" + std::to_string(fds[0]) + ": error: binary file (contains NUL bytes); not indexed\n");
}

TEST_CASE("input reader: --default-date dates the articles that carry none, and only those") {
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

TEST_CASE("input reader: an article without a headline gets the opening words of its body, with a warning") {
    test::TempDir dir;
    dir.write("in/wire.jsonl",
              "{\"id\":\"r-1\",\"body\":\"Showers continued throughout the week in the Bahia cocoa zone. More.\"}\n"
              "{\"id\":\"r-2\",\"title\":\" \",\"body\":\"Oil prices fell\"}\n"
              "{\"id\":\"r-3\",\"title\":\"\",\"body\":\"\\u200B\"}\n"
              "{\"id\":\"r-4\",\"title\":\"A headline\",\"body\":\"Given.\"}\n");
    dir.write("in/plain.txt", "Title:\nDate: 1987-02-26\n\nThe headline line\n\nBody of the story.\n");
    // Headers alone, the title a control character: nothing to index.
    dir.write("in/headers-only.txt", "Title:\v\x14\v\nDate: 1987-02-26\n");
    auto read = read_all({dir / "in"});
    const std::string in = dir / "in";
    CHECK(lines(read.diagnostics) ==
          in + "/headers-only.txt:1: error: no headline and no body text; not indexed\n" +
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
}

TEST_CASE("input reader: --exclude skips what its fnmatch patterns match, relative to the directory given") {
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

TEST_CASE("input reader: a binary file is refused whole whatever its name, but a JSON Lines file with one bad line is read") {
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

TEST_CASE("input reader: a PATH that does not exist is found before anything is read") {
    test::TempDir dir;
    dir.write("in/a.txt", "Alpha\n\nBody.\n");
    CHECK_NOTHROW(pundit::require_input_paths({dir / "in", dir / "in/a.txt", "-"}));
    CHECK_THROWS_WITH_AS(pundit::require_input_paths({dir / "in", dir / "typo"}),
                         ("'" + dir / "typo" + "': no such file or directory; nothing was read").c_str(), pundit::Error);
    CHECK_THROWS_AS(pundit::require_input_paths({dir / "in/a.txt/x"}), pundit::Error);
}

TEST_CASE("input reader: a UTF-8 text file with one bad byte keeps its UTF-8, and the warning names the line") {
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

TEST_CASE("input reader: the sample corpus's page without a byline gets its author from its bio") {
    auto read = read_all({std::string(PUNDIT_SOURCE_DIR) + "/corpus/articles/2010-volcano-ash-cloud.txt"});
    CHECK(read.diagnostics.empty());
    REQUIRE(read.articles.size() == 1);
    CHECK(read.articles[0].author == "Sigrid Aalto");
    CHECK(read.articles[0].title == "When a Volcano Grounded a Continent");
    CHECK(read.articles[0].body.ends_with("instead of a blanket ban."));
}

namespace {

// The articles as "id: headline", one a line.
std::string headlines(const Read& read) {
    std::string out;
    for (const pundit::Article& a : read.articles) out += a.id + ": " + a.title + "\n";
    return out;
}

} // namespace

TEST_CASE("input reader: the format is the one asked for, else the extension's, else what the first byte says") {
    test::TempDir dir;
    const std::string record = R"({"id":"rec","title":"From a record","body":"B"})" "\n";
    dir.write("in/story.txt", record);               // .txt: a text article, whatever it holds
    dir.write("in/feed.NDJSON", record);             // the extension's case does not matter
    dir.write("in/notes.md", record);                // no article extension: not walked
    dir.write("named/feed", "\n  " + record);        // no extension: '{' after blanks is JSON Lines
    dir.write("named/bom", "\xEF\xBB\xBF" + record); // ... after a byte order mark too
    dir.write("named/memo", "Memo headline\n\n{not a record}\n");
    using pundit::InputFormat;

    // Automatic: by extension in a directory, by the first byte for a named file or standard input.
    CHECK(headlines(read_all({dir / "in"})) == "rec: From a record\nstory: {\"id\":\"rec\",\"title\":\"From a record\",\"body\":\"B\"}\n");
    CHECK(headlines(read_all({dir / "named/feed", dir / "named/bom", dir / "named/memo"})) ==
          "rec: From a record\nrec: From a record\nmemo: Memo headline\n");
    CHECK(headlines(read_all({"-"}, {}, " \n" + record)) == "rec: From a record\n");
    CHECK(read_all({"-"}, {}, "Piped headline\n\nPiped body.\n").articles.at(0).title == "Piped headline");

    // Asked for: every file read that way, and a directory walked for that extension only.
    CHECK(headlines(read_all({dir / "in"}, test::input_options(InputFormat::jsonl))) == "rec: From a record\n");
    CHECK(headlines(read_all({dir / "in"}, test::input_options(InputFormat::text))) ==
          "story: {\"id\":\"rec\",\"title\":\"From a record\",\"body\":\"B\"}\n");
    Read forced_text = read_all({dir / "named/feed"}, test::input_options(InputFormat::text));
    CHECK(headlines(forced_text) == "feed: {\"id\":\"rec\",\"title\":\"From a record\",\"body\":\"B\"}\n");
    Read forced_jsonl = read_all({dir / "named/memo"}, test::input_options(InputFormat::jsonl));
    CHECK(forced_jsonl.articles.empty());
    REQUIRE(forced_jsonl.diagnostics.size() == 2); // neither line of the memo is a record (the blank one is skipped)
    CHECK(forced_jsonl.diagnostics[0].starts_with(dir / "named/memo" + ":1: error: malformed JSON"));
    CHECK(forced_jsonl.diagnostics[1].starts_with(dir / "named/memo" + ":3: error: malformed JSON"));

    CHECK(pundit::parse_input_format("auto") == InputFormat::automatic);
    CHECK(pundit::parse_input_format("text") == InputFormat::text);
    CHECK(pundit::parse_input_format("jsonl") == InputFormat::jsonl);
    CHECK_THROWS_WITH_AS(pundit::parse_input_format("JSONL"), "unknown format 'JSONL' (expected auto, text or jsonl)",
                         pundit::Error);
}
