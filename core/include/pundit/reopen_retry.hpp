// Reading an index that an indexer is committing to: Xapian throws
// DatabaseModifiedError when the revision being read was overwritten by
// later commits, and the cure is to reopen and read again. This is the one
// loop that does so, for every reader (opening, metadata, search, lookup,
// the facet cache). Not for other Xapian errors, which each caller turns
// into its own message.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include <xapian.h>

namespace pundit {

// How many times a read interrupted by a commit is tried again.
inline constexpr int kReopenRetries = 10;

// Calls `read(attempt)` (attempt 0, 1, ...) and returns what it returns. When
// it throws Xapian::DatabaseModifiedError, calls `reopen()` and tries again,
// `retries` times at most; nullopt when every attempt was interrupted (the
// caller says what kept changing). Any other exception goes through.
template <typename Read, typename Reopen>
auto with_reopen_retry(Read&& read, Reopen&& reopen, int retries = kReopenRetries)
    -> std::optional<std::invoke_result_t<Read&, int>> {
    for (int attempt = 0;; ++attempt) {
        try {
            return read(attempt);
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt >= retries) return std::nullopt;
            reopen();
        }
    }
}

// The same, for a `read` that reopens what it reads itself (it is told the
// attempt number).
template <typename Read>
auto with_reopen_retry(Read&& read, int retries = kReopenRetries) {
    return with_reopen_retry(std::forward<Read>(read), [] {}, retries);
}

} // namespace pundit
