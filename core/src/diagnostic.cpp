#include "pundit/diagnostic.hpp"

namespace pundit {

std::string format_diagnostic(const Diagnostic& d) {
    std::string out = d.path;
    if (d.line > 0) out += ":" + std::to_string(d.line);
    out += d.severity == Severity::error ? ": error: " : ": warning: ";
    out += d.message;
    return out;
}

} // namespace pundit
