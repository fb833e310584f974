#include "pundit/input_reader.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

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

std::string encoding_warning(const DecodedText& decoded) {
    if (decoded.encoding == Encoding::windows1252) {
        return "invalid UTF-8; decoded as Windows-1252";
    }
    return "UTF-16 text converted to UTF-8";
}

} // namespace

InputFormat parse_input_format(const std::string& name) {
    if (name == "auto") return InputFormat::automatic;
    if (name == "text") return InputFormat::text;
    if (name == "jsonl") return InputFormat::jsonl;
    throw Error(ErrorKind::input, "unknown format '" + name + "' (expected auto, text or jsonl)");
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

InputReader::InputReader(InputFormat format, ArticleSink on_article, DiagnosticSink on_diagnostic,
                         std::istream& standard_input)
    : m_format(format), m_on_article(std::move(on_article)),
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
        files.push_back(InputFile{argument, root.filename().generic_string(), m_format});
        return files;
    }
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
        diagnose(argument, 0, Severity::error, "cannot read directory: " + ec.message());
        return files;
    }
    // Problems met on the walk, reported in path order (not the order the
    // file system lists entries in), like the files.
    std::vector<std::pair<std::string, std::string>> problems;
    for (; it != end; it.increment(ec)) {
        if (ec) {
            diagnose(argument, 0, Severity::error, "cannot read directory: " + ec.message());
            break;
        }
        const fs::path& p = it->path();
        std::string name = p.filename().string();
        if (!name.empty() && name[0] == '.') {
            // Hidden files and directories (.git, editor swap files) are not articles.
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (it->is_directory(ec)) {
            // Symbolic links to directories are not followed (no loops);
            // a directory we may not read is said, not skipped in silence.
            if (!it->is_symlink(ec) && ::access(p.c_str(), R_OK | X_OK) != 0) {
                problems.emplace_back(p.string(),
                                      "cannot read directory: " + std::error_code(errno, std::generic_category()).message());
                it.disable_recursion_pending();
            }
            continue;
        }
        std::string ext = lower_extension(p);
        bool wanted = m_format == InputFormat::jsonl ? is_jsonl_extension(ext)
                      : m_format == InputFormat::text ? ext == ".txt"
                                                      : (ext == ".txt" || is_jsonl_extension(ext));
        if (!wanted) continue;
        std::error_code type_error;
        bool regular = it->is_regular_file(type_error);
        if (type_error && it->is_symlink(ec)) {
            // A link in a loop, or to nothing: it looks like an article but cannot be read.
            problems.emplace_back(p.string(), "cannot read: " + type_error.message());
            continue;
        }
        if (!regular) continue;
        files.push_back(InputFile{p.string(), p.lexically_relative(root).generic_string(), m_format});
    }
    std::sort(problems.begin(), problems.end());
    for (const auto& [path, message] : problems) diagnose(path, 0, Severity::error, message);
    std::sort(files.begin(), files.end(),
              [](const InputFile& a, const InputFile& b) { return a.id_base < b.id_base; });
    return files;
}

void InputReader::read(const InputFile& file) {
    const bool is_stdin = file.path == "-";
    const std::string shown = is_stdin ? std::string(kStdinName) : file.path;
    ++m_files_read;

    std::ifstream stream;
    std::istream* in = &m_stdin;
    if (!is_stdin) {
        std::error_code ec;
        auto size = fs::file_size(file.path, ec);
        if (!ec && size > kMaxArticleBytes && choose_format(file.format, file.path, {}) == InputFormat::text) {
            diagnose(shown, 0, Severity::error,
                     "file is " + std::to_string(size / (1024 * 1024)) + " MiB; text articles over " +
                         std::to_string(kMaxArticleBytes / (1024 * 1024)) + " MiB are refused");
            return;
        }
        stream.open(file.path, std::ios::binary);
        if (!stream) {
            diagnose(shown, 0, Severity::error, "cannot open file: " + std::error_code(errno, std::generic_category()).message());
            return;
        }
        in = &stream;
    }

    // Peek at the start to choose the format without consuming the stream.
    std::string head(512, '\0');
    in->read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in->gcount()));
    m_bytes_read += head.size();
    InputFormat format = choose_format(file.format, is_stdin ? fs::path() : fs::path(file.path), head);

    if (format == InputFormat::jsonl) {
        read_jsonl(InputFile{shown, file.id_base, format}, head, *in);
        return;
    }

    std::string bytes = head;
    std::array<char, kReadBlockBytes> block{};
    while (*in) {
        in->read(block.data(), block.size());
        bytes.append(block.data(), static_cast<std::size_t>(in->gcount()));
        m_bytes_read += static_cast<std::uint64_t>(in->gcount());
        if (bytes.size() > kMaxArticleBytes) {
            diagnose(shown, 0, Severity::error,
                     "input is over " + std::to_string(kMaxArticleBytes / (1024 * 1024)) +
                         " MiB; text articles that large are refused");
            return;
        }
    }
    if (in->bad()) {
        diagnose(shown, 0, Severity::error, "read error");
        return;
    }
    read_text(InputFile{shown, file.id_base, format}, std::move(bytes));
}

void InputReader::read_text(const InputFile& file, std::string bytes) {
    DecodedText decoded = decode_text(bytes);
    if (decoded.encoding == Encoding::binary) {
        diagnose(file.path, 0, Severity::error, "binary file (contains NUL bytes); not indexed");
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
        article.id = file.path == kStdinName ? "stdin-" + short_hash(article.title)
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
