#include "pundit/diagnostic.hpp"

#include "pundit/text_format.hpp"

namespace pundit {

std::string format_diagnostic(const Diagnostic& d) {
    // File names and the ids and values quoted in messages come from the
    // input: shown safe, and on one line so that none can forge another
    // diagnostic.
    std::string out = sanitise_for_terminal(d.path);
    if (d.line > 0) out += ":" + std::to_string(d.line);
    out += d.severity == Severity::error ? ": error: " : ": warning: ";
    out += sanitise_for_terminal(d.message);
    return out;
}

} // namespace pundit
