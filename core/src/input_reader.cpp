#include "pundit/input_reader.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <ios>
#include <istream>
#include <streambuf>
#include <map>
#include <optional>
#include <sstream>
#include <tuple>

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "pundit/error.hpp"
#include "pundit/jsonl_reader.hpp"
#include "pundit/text_decoder.hpp"
#include "pundit/text_reader.hpp"

namespace pundit {
namespace fs = std::filesystem;

namespace {

// Size of the blocks JSON Lines input is read in.
constexpr std::size_t kReadBlockBytes = 1u << 16;
// How much of a file is looked at to choose its format and to tell binary
// files: as much as git and grep look at.
constexpr std::size_t kHeadBytes = 8000;

std::string lower_extension(const fs::path& p) {
    std::string ext = p.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

bool is_jsonl_extension(const std::string& ext) { return ext == ".jsonl" || ext == ".ndjson"; }

// Which reader a file gets: the forced format, else its extension, else a
// look at its first non-blank byte.
InputFormat choose_format(InputFormat forced, const fs::path& path, std::string_view head) {
    if (forced != InputFormat::automatic) return forced;
    std::string ext = lower_extension(path);
    if (is_jsonl_extension(ext)) return InputFormat::jsonl;
    if (ext == ".txt") return InputFormat::text;
    auto first = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    return first != std::string_view::npos && head[first] == '{' ? InputFormat::jsonl : InputFormat::text;
}

std::string short_hash(std::string_view text) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(XXH3_64bits(text.data(), text.size())));
    return std::string(hex, 12);
}

// Said at the line of the first invalid byte. A file with no UTF-8 beyond
// ASCII is a Latin-1 or Windows-1252 file, decoded as such; in a UTF-8 file
// with broken paragraphs, the paragraphs decoded otherwise are named.
std::string encoding_warning(const DecodedText& decoded) {
    if (decoded.encoding != Encoding::windows1252) return "UTF-16 text converted to UTF-8";
    if (!decoded.mixed) return "invalid UTF-8; decoded as Windows-1252";
    const std::vector<std::size_t>& lines = decoded.fallback_paragraphs;
    if (lines.size() == 1) return "invalid UTF-8; this paragraph is decoded as Windows-1252, the rest of the file stays UTF-8";
    std::string listed;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        listed += (i == 0 ? "" : i + 1 == lines.size() ? " and " : ", ") + std::to_string(lines[i]);
    }
    return "invalid UTF-8; the paragraphs at lines " + listed +
           " are decoded as Windows-1252, the rest of the file stays UTF-8";
}

// A directory's identity: each directory is read once, however many links
// lead to it.
struct DirectoryId {
    dev_t device = 0;
    ino_t inode = 0;
    auto operator<=>(const DirectoryId&) const = default;
};

std::optional<DirectoryId> directory_id(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return DirectoryId{st.st_dev, st.st_ino};
}

std::string errno_message() { return std::error_code(errno, std::generic_category()).message(); }

// The diagnostic for binary input, which is refused whole.
constexpr const char* kBinaryMessage = "binary file (contains NUL bytes); not indexed";

// What a file is, for diagnostics: "a FIFO".
const char* file_kind(fs::file_type type) {
    switch (type) {
    case fs::file_type::fifo: return "a FIFO";
    case fs::file_type::socket: return "a socket";
    case fs::file_type::character: return "a character device";
    case fs::file_type::block: return "a block device";
    case fs::file_type::directory: return "a directory";
    default: return "a file of an unknown kind";
    }
}

fs::file_type file_type_of(mode_t mode) {
    if (S_ISFIFO(mode)) return fs::file_type::fifo;
    if (S_ISSOCK(mode)) return fs::file_type::socket;
    if (S_ISCHR(mode)) return fs::file_type::character;
    if (S_ISBLK(mode)) return fs::file_type::block;
    if (S_ISDIR(mode)) return fs::file_type::directory;
    return fs::file_type::unknown;
}

std::string not_regular_message(fs::file_type type) {
    return std::string("not a regular file (") + file_kind(type) + "); skipped";
}

// An input stream over a file descriptor it owns. Files are opened with
// open(2), to choose the flags and to check with fstat what was opened, on
// the descriptor that is then read, with no window in between.
class DescriptorStream : private std::streambuf {
public:
    DescriptorStream() : m_in(this) {}
    ~DescriptorStream() override {
        if (m_fd >= 0) ::close(m_fd);
    }
    DescriptorStream(const DescriptorStream&) = delete;
    DescriptorStream& operator=(const DescriptorStream&) = delete;

    void attach(int fd) { m_fd = fd; }
    std::istream& in() { return m_in; }

private:
    int_type underflow() override {
        ssize_t n;
        do {
            n = ::read(m_fd, m_buffer.data(), m_buffer.size());
        } while (n < 0 && errno == EINTR);
        // Thrown through the istream, which sets badbit (as std::filebuf does).
        if (n < 0) throw std::ios_base::failure(errno_message());
        if (n == 0) return traits_type::eof();
        setg(m_buffer.data(), m_buffer.data(), m_buffer.data() + n);
        return traits_type::to_int_type(m_buffer[0]);
    }

    int m_fd = -1;
    std::array<char, kReadBlockBytes> m_buffer{};
    std::istream m_in;
};

// Opens `file` into `stream`, or says why it will not be read. A file found
// in a directory must be a regular file, and is opened without waiting: were
// it a FIFO by now, a plain open would wait for a writer that may never
// come. A PATH named on the command line is read whatever it is: a pipe
// (`indexer add <(zcat feed.jsonl.gz)`) or a device as a stream, like
// standard input.
std::optional<std::string> open_file(const InputFile& file, DescriptorStream& stream, bool& regular) {
    const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | (file.named ? 0 : O_NONBLOCK);
    const int fd = ::open(file.path.c_str(), flags);
    if (fd < 0) return "cannot open file: " + errno_message();
    stream.attach(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0) return "cannot read: " + errno_message();
    regular = S_ISREG(st.st_mode);
    if (!regular) {
        if (file.named) return std::nullopt;
        return not_regular_message(file_type_of(st.st_mode));
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > kMaxArticleBytes && choose_format(file.format, file.path, {}) == InputFormat::text) {
        return "file is " + std::to_string(size / (1024 * 1024)) + " MiB; text articles over " +
               std::to_string(kMaxArticleBytes / (1024 * 1024)) + " MiB are refused";
    }
    return std::nullopt;
}

// Whether input that starts with `head` is refused at once as binary,
// whatever its format or name (a compressed feed named .jsonl would
// otherwise give an error for each of its "lines"; /dev/zero would feed one
// line for ever). A text file with a NUL byte is binary. A JSON Lines file
// whose first line is a record free of NUL bytes is read, so that one bad
// line later in it loses only that line.
bool refused_as_binary(std::string_view head, InputFormat format) {
    if (!looks_binary(head)) return false;
    if (format != InputFormat::jsonl) return true;
    const std::string_view first = head.substr(0, head.find('\n'));
    const std::size_t start = first.find_first_not_of(" \t\r\xEF\xBB\xBF");
    return first.find('\0') != std::string_view::npos || start == std::string_view::npos || first[start] != '{';
}

// The walk of one directory PATH argument, for InputReader::expand: the
// article files under it and the problems met, each in path order. Entries
// are visited in name order; hidden ones (.git, editor swap files) are not
// articles. A symbolic link met on the walk is reported and skipped unless
// links are followed; then the directories it leads to are read after the
// real tree, so that a directory is read as itself rather than through a
// link to it, and a directory already read (a loop, or a second link) is
// reported and not read again.
class DirectoryWalk {
public:
    DirectoryWalk(const fs::path& root, InputFormat format, bool follow_links, const std::vector<std::string>& exclude)
        : m_root(root), m_format(format), m_follow_links(follow_links), m_exclude(exclude) {}

    void run() {
        std::optional<DirectoryId> id = directory_id(m_root);
        if (!id) {
            problem(m_root, Severity::error, "cannot read directory: " + errno_message());
            return;
        }
        m_read.emplace(*id, m_root.string());
        read_directory(m_root, {*id});
        while (!m_links.empty()) {
            Link link = std::move(m_links.front());
            m_links.pop_front();
            follow(link);
        }
        std::sort(m_problems.begin(), m_problems.end(), [](const Diagnostic& a, const Diagnostic& b) {
            return std::tie(a.path, a.message) < std::tie(b.path, b.message);
        });
        std::sort(m_files.begin(), m_files.end(),
                  [](const InputFile& a, const InputFile& b) { return a.id_base < b.id_base; });
    }

    const std::vector<Diagnostic>& problems() const { return m_problems; }
    std::vector<InputFile> take_files() { return std::move(m_files); }

private:
    // A link to a directory, to follow once the real tree is read, and the
    // directories it was met in (a link to one of them is a loop).
    struct Link {
        fs::path path;
        std::vector<DirectoryId> ancestors;
    };

    void problem(const fs::path& path, Severity severity, std::string message) {
        m_problems.push_back(Diagnostic{path.string(), 0, severity, std::move(message)});
    }

    bool wanted(const fs::path& path) const {
        std::string ext = lower_extension(path);
        return m_format == InputFormat::jsonl  ? is_jsonl_extension(ext)
               : m_format == InputFormat::text ? ext == ".txt"
                                               : (ext == ".txt" || is_jsonl_extension(ext));
    }

    // Whether an --exclude pattern matches `path`, relative to the root.
    bool excluded(const fs::path& path) const {
        if (m_exclude.empty()) return false;
        const std::string relative = path.lexically_relative(m_root).generic_string();
        for (const std::string& pattern : m_exclude) {
            if (::fnmatch(pattern.c_str(), relative.c_str(), 0) == 0) return true;
        }
        return false;
    }

    // Reads `dir`, whose own id ends `ancestors`.
    void read_directory(const fs::path& dir, const std::vector<DirectoryId>& ancestors) {
        // A directory we may not read is said, not skipped in silence.
        if (::access(dir.c_str(), R_OK | X_OK) != 0) {
            problem(dir, Severity::error, "cannot read directory: " + errno_message());
            return;
        }
        std::error_code ec;
        std::vector<fs::directory_entry> entries;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
        if (ec) problem(dir, Severity::error, "cannot read directory: " + ec.message());
        std::sort(entries.begin(), entries.end(), [](const fs::directory_entry& a, const fs::directory_entry& b) {
            return a.path().filename() < b.path().filename();
        });
        for (const fs::directory_entry& entry : entries) visit(entry, ancestors);
    }

    void visit(const fs::directory_entry& entry, const std::vector<DirectoryId>& ancestors) {
        const fs::path& path = entry.path();
        const std::string name = path.filename().string();
        if (!name.empty() && name[0] == '.') return;
        if (excluded(path)) return;
        std::error_code ec, target_error;
        const bool link = entry.is_symlink(ec);
        const fs::file_status target = entry.status(target_error); // what a link leads to
        if (link && !m_follow_links) {
            // Nothing out of the PATH given is read unless asked: said for
            // every link that could lead to articles.
            if ((!target_error && fs::is_directory(target)) || wanted(path)) {
                problem(path, Severity::warning, "symbolic link not followed (use --follow to follow it)");
            }
            return;
        }
        if (target_error) {
            // A link in a loop, or to nothing: it cannot be read.
            if (wanted(path)) problem(path, Severity::error, "cannot read: " + target_error.message());
            return;
        }
        if (fs::is_directory(target)) {
            if (link) {
                m_links.push_back(Link{path, ancestors});
            } else {
                enter(path, ancestors);
            }
            return;
        }
        if (!wanted(path)) return;
        if (!fs::is_regular_file(target)) {
            // A FIFO, socket or device named like an article (or a link to
            // one): never opened, as reading it could block or never end.
            problem(path, Severity::error, not_regular_message(target.type()));
            return;
        }
        m_files.push_back(InputFile{path.string(), path.lexically_relative(m_root).generic_string(), m_format});
    }

    // Reads a directory not read before.
    void enter(const fs::path& dir, const std::vector<DirectoryId>& ancestors) {
        std::optional<DirectoryId> id = directory_id(dir);
        if (!id) {
            problem(dir, Severity::error, "cannot read directory: " + errno_message());
            return;
        }
        auto [it, fresh] = m_read.emplace(*id, dir.string());
        if (!fresh) {
            // Only a bind mount shows a real directory twice.
            problem(dir, Severity::warning, "directory already read as '" + it->second + "'; not read again");
            return;
        }
        std::vector<DirectoryId> inner = ancestors;
        inner.push_back(*id);
        read_directory(dir, inner);
    }

    void follow(const Link& link) {
        std::optional<DirectoryId> id = directory_id(link.path);
        if (id && std::find(link.ancestors.begin(), link.ancestors.end(), *id) != link.ancestors.end()) {
            problem(link.path, Severity::warning, "symbolic link loop: leads back to '" + m_read.at(*id) + "'; not followed");
            return;
        }
        if (id) {
            if (auto it = m_read.find(*id); it != m_read.end()) {
                problem(link.path, Severity::warning,
                        "symbolic link to a directory already read as '" + it->second + "'; not read again");
                return;
            }
        }
        enter(link.path, link.ancestors);
    }

    fs::path m_root;
    InputFormat m_format;
    bool m_follow_links;
    const std::vector<std::string>& m_exclude;
    std::map<DirectoryId, std::string> m_read; // each directory read, and the path it was read as
    std::deque<Link> m_links;                  // directory links met, to follow in that order
    std::vector<InputFile> m_files;
    std::vector<Diagnostic> m_problems;
};

} // namespace

InputFormat parse_input_format(const std::string& name) {
    if (name == "auto") return InputFormat::automatic;
    if (name == "text") return InputFormat::text;
    if (name == "jsonl") return InputFormat::jsonl;
    throw Error(ErrorKind::input, "unknown format '" + name + "' (expected auto, text or jsonl)");
}

bool looks_binary(std::string_view head) {
    const bool utf16 = head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF");
    return !utf16 && head.find('\0') != std::string_view::npos;
}

void require_input_paths(const std::vector<std::string>& paths) {
    for (const std::string& path : paths) {
        if (path == "-") continue;
        std::error_code ec;
        const fs::file_status status = fs::status(path, ec);
        const bool missing = (ec && (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory)) ||
                             (!ec && !fs::exists(status));
        if (missing) throw Error(ErrorKind::input, "'" + path + "': no such file or directory; nothing was read");
    }
}

std::string text_article_id(const std::string& id_base) {
    if (id_base.size() > 4) {
        std::string ext = id_base.substr(id_base.size() - 4);
        for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (ext == ".txt") return id_base.substr(0, id_base.size() - 4);
    }
    return id_base;
}

std::string jsonl_record_id(const std::string& id_base, std::size_t line) {
    return id_base + "#" + std::to_string(line);
}

InputReader::InputReader(InputOptions options, ArticleSink on_article, DiagnosticSink on_diagnostic,
                         std::istream& standard_input)
    : m_format(options.format), m_follow_links(options.follow_links), m_default_date(std::move(options.default_date)),
      m_exclude(std::move(options.exclude)),
      m_on_article(std::move(on_article)),
      m_on_diagnostic(std::move(on_diagnostic)), m_stdin(standard_input) {}

void InputReader::diagnose(const std::string& path, std::size_t line, Severity severity,
                           std::string message) {
    m_on_diagnostic(Diagnostic{path, line, severity, std::move(message)});
}

std::string InputReader::utf8_id(const std::string& path, std::size_t line, std::string id) {
    if (is_valid_utf8(id)) return id;
    // Ids are UTF-8 (they are printed, and looked up, as text): read the
    // file name the way undeclared text is read.
    diagnose(path, line, Severity::warning, "file name is not valid UTF-8; the id made from it is decoded as Windows-1252");
    return windows1252_to_utf8(id);
}

std::vector<InputFile> InputReader::expand(const std::string& argument) {
    std::vector<InputFile> files;
    if (argument == "-") {
        files.push_back(InputFile{"-", "", m_format});
        return files;
    }
    // The argument itself is followed if it is a link, as the user named it.
    std::error_code ec;
    fs::path root(argument);
    fs::file_status status = fs::status(root, ec);
    if (ec || !fs::exists(status)) {
        // A symbolic link loop, say, is not a missing file.
        bool missing = !ec || ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory;
        diagnose(argument, 0, Severity::error, missing ? "no such file or directory" : "cannot read: " + ec.message());
        return files;
    }
    if (!fs::is_directory(status)) {
        files.push_back(InputFile{argument, root.filename().generic_string(), m_format, true});
        return files;
    }
    DirectoryWalk walk(root, m_format, m_follow_links, m_exclude);
    walk.run();
    for (const Diagnostic& d : walk.problems()) m_on_diagnostic(d);
    return walk.take_files();
}

void InputReader::read(const InputFile& file) {
    const bool is_stdin = file.path == "-";
    const std::string shown = is_stdin ? std::string(kStdinName) : file.path;
    ++m_files_read;

    DescriptorStream stream;
    bool regular = false; // a regular file, not a stream
    if (!is_stdin) {
        if (std::optional<std::string> problem = open_file(file, stream, regular)) {
            diagnose(shown, 0, Severity::error, *problem);
            return;
        }
    }
    std::istream& in = is_stdin ? m_stdin : stream.in();

    // Peek at the start to choose the format without consuming the stream.
    std::string head(kHeadBytes, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    m_bytes_read += head.size();
    InputFormat format = choose_format(file.format, is_stdin ? fs::path() : fs::path(file.path), head);
    if (refused_as_binary(head, format)) {
        diagnose(shown, 0, Severity::error, kBinaryMessage);
        return;
    }

    if (format == InputFormat::jsonl) {
        read_jsonl(InputFile{shown, file.id_base, format}, head, in);
        return;
    }

    std::string bytes = head;
    std::array<char, kReadBlockBytes> block{};
    while (in) {
        in.read(block.data(), block.size());
        bytes.append(block.data(), static_cast<std::size_t>(in.gcount()));
        m_bytes_read += static_cast<std::uint64_t>(in.gcount());
        if (bytes.size() > kMaxArticleBytes) {
            diagnose(shown, 0, Severity::error,
                     "input is over " + std::to_string(kMaxArticleBytes / (1024 * 1024)) +
                         " MiB; text articles that large are refused");
            return;
        }
    }
    if (in.bad()) {
        diagnose(shown, 0, Severity::error, "read error");
        return;
    }
    read_text(InputFile{shown, file.id_base, format}, std::move(bytes));
}

void InputReader::read_text(const InputFile& file, std::string bytes) {
    DecodedText decoded = decode_text(bytes);
    if (decoded.encoding == Encoding::binary) {
        diagnose(file.path, 0, Severity::error, kBinaryMessage);
        return;
    }
    if (decoded.encoding != Encoding::utf8) {
        diagnose(file.path, decoded.first_invalid_line, Severity::warning, encoding_warning(decoded));
    }
    TextArticle parsed = read_text_article(decoded.text, file.path);
    for (const Diagnostic& d : parsed.diagnostics) m_on_diagnostic(d);
    if (!parsed.article) return;
    Article& article = *parsed.article;
    IdSource source = IdSource::given;
    if (article.id.empty()) {
        source = IdSource::text_file_name;
        article.id = file.path == kStdinName ? "stdin-" + short_hash(article.title.empty() ? article.body : article.title)
                                             : utf8_id(file.path, 0, text_article_id(file.id_base));
    }
    deliver(std::move(article), source);
}

void InputReader::deliver(Article&& article, IdSource id_source) {
    if (auto c = first_line_break_or_control(article.id)) {
        // Ids are typed and printed: one folded in silence would not be the
        // id its source gave, so the article is refused instead.
        std::string where = " (" + code_point_name(*c) + ")";
        diagnose(article.origin_path, article.origin_line, Severity::error,
                 id_source == IdSource::given
                     ? "id contains a line break or control character" + where + "; not indexed"
                     : "the file name has a line break or control character" + where +
                           ", so it cannot be the id; rename the file or give the " +
                           (id_source == IdSource::text_file_name ? "article an ID: header" : "record an \"id\""));
        return;
    }
    for (const ArticleField& field : kArticleFields) {
        if (!field.one_line || field.member == &Article::id) continue;
        std::string& text = article.*field.member;
        text = fold_to_one_line(text);
        if (!has_visible_text(text)) text.clear();
    }
    if (article.title.empty()) {
        // Wire stories and test collections often have no headline: the
        // opening words of the body stand in for one rather than the
        // article being lost.
        article.title = derive_headline(article.body);
        if (article.title.empty()) {
            diagnose(article.origin_path, article.origin_line, Severity::error,
                     "no headline and no body text; not indexed");
            return;
        }
        article.title_derived = true;
        diagnose(article.origin_path, article.origin_line, Severity::warning,
                 "no headline; indexed with the opening words of the body in its place");
    }
    if (article.date.empty()) article.date = m_default_date;
    m_on_article(std::move(article));
}

void InputReader::read_jsonl(const InputFile& file, std::string_view initial, std::istream& in) {
    std::string line;
    std::size_t line_number = 0;
    bool too_long = false;
    auto finish_line = [&] {
        ++line_number;
        if (too_long) {
            diagnose(file.path, line_number, Severity::error,
                     "record is over " + std::to_string(kMaxArticleBytes / (1024 * 1024)) +
                         " MiB; refused");
        } else {
            if (!is_valid_utf8(line)) {
                diagnose(file.path, line_number, Severity::warning, "invalid UTF-8; decoded as Windows-1252");
                line = windows1252_to_utf8(line);
            }
            JsonlRecord record = read_jsonl_record(line, file.path, line_number);
            for (const Diagnostic& d : record.diagnostics) m_on_diagnostic(d);
            if (record.article) {
                IdSource source = IdSource::given;
                if (record.article->id.empty()) {
                    source = IdSource::jsonl_file_name;
                    record.article->id = utf8_id(file.path, line_number, jsonl_record_id(file.id_base, line_number));
                }
                deliver(std::move(*record.article), source);
            }
        }
        line.clear();
        too_long = false;
    };
    std::array<char, kReadBlockBytes> block{};
    bool first = true;
    while (first || in) {
        std::string_view data = initial;
        if (!first) {
            in.read(block.data(), block.size());
            data = std::string_view(block.data(), static_cast<std::size_t>(in.gcount()));
            m_bytes_read += data.size();
        }
        first = false;
        while (!data.empty()) {
            std::size_t nl = data.find('\n');
            std::string_view part = data.substr(0, nl);
            if (!too_long) {
                if (line.size() + part.size() > kMaxArticleBytes) {
                    too_long = true;
                    line.clear();
                    line.shrink_to_fit();
                } else {
                    line.append(part);
                }
            }
            if (nl == std::string_view::npos) break;
            finish_line();
            data.remove_prefix(nl + 1);
        }
    }
    if (!line.empty() || too_long) finish_line();
}

} // namespace pundit
