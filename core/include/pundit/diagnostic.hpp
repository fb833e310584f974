// Compiler-style diagnostics for problems found in input records
// ("path:line: error: reason"). Readers produce them, the ingest loop counts
// and prints them, and the batch goes on. Not for fatal errors (error.hpp).
#pragma once

#include <cstddef>
#include <string>

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

} // namespace pundit
