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

std::string diagnostic_kind(std::string_view message) {
    auto is_letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    std::size_t end = 0;
    for (; end < message.size(); ++end) {
        const char c = message[end];
        if (c == '\'') break;
        const char before = end > 0 ? message[end - 1] : ' ';
        if (c >= '0' && c <= '9' && !is_letter(before) && before != '-' && !(before >= '0' && before <= '9')) break;
    }
    std::string_view kind = message.substr(0, end);
    while (!kind.empty() && std::string_view(" :;,(").find(kind.back()) != std::string_view::npos) {
        kind.remove_suffix(1);
    }
    return std::string(kind);
}

bool DiagnosticLimiter::admit(const Diagnostic& d) {
    if (m_per_kind == 0) return true;
    return ++m_seen[Key{d.path, d.severity, diagnostic_kind(d.message)}] <= m_per_kind;
}

std::vector<std::string> DiagnosticLimiter::take_held_back() {
    std::vector<std::string> lines;
    for (const auto& [key, seen] : m_seen) {
        if (seen <= m_per_kind) continue;
        const auto& [path, severity, kind] = key;
        Diagnostic d{path, 0, severity,
                     "... and " + format_count(seen - m_per_kind) + " more like '" + kind + "' (--verbose shows them all)"};
        lines.push_back(format_diagnostic(d));
    }
    m_seen.clear();
    return lines;
}

} // namespace pundit
