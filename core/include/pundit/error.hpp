// The one error type of the project. Every failure that crosses the core
// boundary is a pundit::Error with a kind, so binaries can map kinds to exit
// codes and tests can check the text. Not for per-record input problems during
// ingest: those are Diagnostics (diagnostic.hpp), counted and reported while
// the batch goes on.
#pragma once

#include <stdexcept>
#include <string>

namespace pundit {

enum class ErrorKind {
    input,    // a file or value given by the user cannot be used
    index,    // the index is missing, locked, incompatible or corrupt
    query,    // a query or filter cannot be understood
    internal, // a bug or a library failure we did not expect
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message)
        : std::runtime_error(message), m_kind(kind) {}

    ErrorKind kind() const noexcept { return m_kind; }

private:
    ErrorKind m_kind;
};

} // namespace pundit
