// Turns the PATH arguments of `indexer add` into Articles: expands
// directories (recursively, *.txt, *.jsonl, *.ndjson, in sorted order),
// reads standard input for "-", decodes bytes (text_decoder.hpp), picks the
// reader by format, derives stable ids, and reports every problem as a
// Diagnostic. A PATH is read whatever it is (a pipe or a device as a stream,
// like standard input); under a directory, symbolic links are followed only
// when asked, and a FIFO, socket or device named like an article is refused
// without being opened. Memory stays bounded: JSON Lines are streamed line
// by line and no record or file over kMaxArticleBytes is held.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "pundit/article.hpp"
#include "pundit/diagnostic.hpp"

namespace pundit {

enum class InputFormat { automatic, text, jsonl };

// Parses "auto", "text" or "jsonl"; throws Error(input) otherwise.
InputFormat parse_input_format(const std::string& name);

// Largest article (a text file, or one JSON line) accepted. A larger one is
// refused with a diagnostic instead of being read into memory.
inline constexpr std::size_t kMaxArticleBytes = 16u * 1024u * 1024u;

// The name used for standard input in diagnostics.
inline constexpr const char* kStdinName = "<stdin>";

// How PATH arguments are read.
struct InputOptions {
    InputFormat format = InputFormat::automatic;
    // Symbolic links met while walking a directory are followed (file and
    // directory links, each directory read once) instead of being reported
    // and skipped. A PATH argument is followed whatever this says.
    bool follow_links = false;
    // The date ("YYYY-MM-DD") of every article that carries none (`indexer
    // add --default-date`, for a folder of files without dates); "": none.
    // Dates decide between namesakes and how a bare surname is read.
    std::string default_date;
    // fnmatch(3) patterns (no flags: '*' matches '/' too) matched against
    // the path of each file and directory under a directory PATH, relative
    // to that PATH and '/'-separated ("README.TXT", "drafts", "*/notes.txt"):
    // what one matches is not read (a directory with all under it). A file
    // named as a PATH is read whatever they say.
    std::vector<std::string> exclude;
    // The most diagnostics of one kind shown per file (see
    // DiagnosticLimiter); 0: all of them (`--verbose`).
    std::size_t diagnostics_per_kind = kDiagnosticsPerKind;
};

struct InputFile {
    std::string path;    // as given or found; "-" for standard input
    std::string id_base; // path relative to the PATH argument, '/'-separated
    InputFormat format = InputFormat::automatic;
    // A PATH argument itself, not a file found in a directory: read
    // whatever kind of file it is (a pipe or a device as a stream, like
    // standard input), where a file found in a directory must be a
    // regular file.
    bool named = false;
};

class InputReader {
public:
    using ArticleSink = std::function<void(Article&&)>;
    using DiagnosticSink = std::function<void(const Diagnostic&)>;

    InputReader(InputOptions options, ArticleSink on_article, DiagnosticSink on_diagnostic,
                std::istream& standard_input);

    // The files one PATH argument stands for. Problems (missing path, an
    // unreadable directory) are reported and skipped.
    std::vector<InputFile> expand(const std::string& argument);

    // Reads every article of one file.
    void read(const InputFile& file);

    std::size_t files_read() const { return m_files_read; }
    // Bytes consumed so far, over all files (for progress reports).
    std::uint64_t bytes_read() const { return m_bytes_read; }

private:
    // Where an article's id came from, for what a diagnostic suggests.
    enum class IdSource { given, text_file_name, jsonl_file_name };

    void read_text(const InputFile& file, std::string bytes);
    void read_jsonl(const InputFile& file, std::string_view initial, std::istream& in);
    // The stage every article goes through on its way out, whatever its
    // reader: one-line fields folded to one line (fold_to_one_line), those
    // left without a visible character emptied, an id holding a line
    // break or control character refused with a diagnostic, and a missing
    // headline made from the body (derive_headline, with a warning), or the
    // article refused when it has no body text either.
    void deliver(Article&& article, IdSource id_source);
    void diagnose(const std::string& path, std::size_t line, Severity severity, std::string message);
    // `id`, made from a file name, as UTF-8 (with a warning when it was not).
    std::string utf8_id(const std::string& path, std::size_t line, std::string id);

    InputFormat m_format;
    bool m_follow_links;
    std::string m_default_date;
    std::vector<std::string> m_exclude;
    ArticleSink m_on_article;
    DiagnosticSink m_on_diagnostic;
    std::istream& m_stdin;
    std::size_t m_files_read = 0;
    std::uint64_t m_bytes_read = 0;
};

// Throws Error(input) naming the first PATH argument that does not exist
// (standard input, "-", always does), so that a typing error is found
// before an index is created or anything is read.
void require_input_paths(const std::vector<std::string>& paths);

// Whether input that starts with `head` is binary: it holds a NUL byte and
// is not UTF-16 (which starts with a byte order mark). Every reader's input
// is looked at this way before it is read.
bool looks_binary(std::string_view head);

// The id of a text article read from `id_base`: the relative path without
// its ".txt" extension ("2019/putin-abe.txt" -> "2019/putin-abe").
std::string text_article_id(const std::string& id_base);

// The id of a JSON Lines record without "id": "<id_base>#<line>".
std::string jsonl_record_id(const std::string& id_base, std::size_t line);

} // namespace pundit
