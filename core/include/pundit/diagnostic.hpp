// Compiler-style diagnostics for problems found in input records
// ("path:line: error: reason"). Readers produce them, the ingest loop counts
// and prints them, and the batch goes on. Not for fatal errors (error.hpp).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace pundit {

enum class Severity { warning, error };

struct Diagnostic {
    std::string path;
    std::size_t line = 0; // 1-based; 0 when the problem concerns the whole file
    Severity severity = Severity::error;
    std::string message;
};

// "path:line: error: message" (the line is left out when it is 0), on one
// line, with the control characters of the path and message shown in caret
// notation (sanitise_for_terminal).
std::string format_diagnostic(const Diagnostic& diagnostic);

// What a message says, without what it says it of: the text before its
// first quoted value ('...') or number not part of a word ("UTF-8" stays),
// trimmed. "malformed JSON at column 64: ..." and "... column 7: ..." are
// one kind, "malformed JSON at column"; so are "duplicate id 'a' ..." and
// "duplicate id 'b' ...".
std::string diagnostic_kind(std::string_view message);

// Diagnostics of one kind shown per file before the rest are counted
// instead: a binary file, or a feed with one fault on every line, would
// otherwise bury everything else (one gave 322,290 lines).
inline constexpr std::size_t kDiagnosticsPerKind = 10;

// Decides which diagnostics are printed: the first `per_kind` of each kind
// and severity per file, and a line for the rest ("... and 1,788 more like
// 'malformed JSON at column'"). Counting what was rejected is the caller's
// business: every diagnostic still counts.
class DiagnosticLimiter {
public:
    // per_kind 0: every diagnostic is shown.
    explicit DiagnosticLimiter(std::size_t per_kind = kDiagnosticsPerKind) : m_per_kind(per_kind) {}

    // True when `diagnostic` is to be printed.
    bool admit(const Diagnostic& diagnostic);

    // The lines that stand for the diagnostics held back since the last
    // call (one per file, severity and kind, in the order of their files
    // and kinds), formatted like diagnostics; the counts start again. Call
    // when a file has been read.
    std::vector<std::string> take_held_back();

private:
    using Key = std::tuple<std::string, Severity, std::string>; // path, severity, kind
    std::size_t m_per_kind;
    std::map<Key, std::size_t> m_seen;
};

} // namespace pundit
