#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

#include "pundit/reopen_retry.hpp"

namespace {

// A read that a commit interrupts `interruptions` times before it succeeds.
struct Row {
    int interruptions;
    int retries;
    std::optional<std::string> expected;
    int reopens; // how many times the reader was reopened
};

} // namespace

TEST_CASE("with_reopen_retry reopens and reads again while commits interrupt, then gives up") {
    const Row rows[] = {
        {0, 10, "read at attempt 0", 0},
        {1, 10, "read at attempt 1", 1},
        {10, 10, "read at attempt 10", 10},
        {11, 10, std::nullopt, 10},
        {2, 2, "read at attempt 2", 2},
        {3, 2, std::nullopt, 2},
        {1, 0, std::nullopt, 0},
    };
    for (const Row& row : rows) {
        CAPTURE(row.interruptions);
        CAPTURE(row.retries);
        int reopens = 0;
        int calls = 0;
        const auto result = pundit::with_reopen_retry(
            [&](int attempt) {
                CHECK(attempt == calls);
                ++calls;
                if (attempt < row.interruptions) throw Xapian::DatabaseModifiedError("overwritten");
                return "read at attempt " + std::to_string(attempt);
            },
            [&] { ++reopens; }, row.retries);
        CHECK(result == row.expected);
        CHECK(reopens == row.reopens);
        CHECK(calls == std::min(row.interruptions, row.retries) + 1);
    }
}

TEST_CASE("with_reopen_retry lets other errors through at once") {
    int calls = 0;
    CHECK_THROWS_AS(pundit::with_reopen_retry([&](int) -> int {
                        ++calls;
                        throw Xapian::DatabaseCorruptError("bad block");
                    }),
                    Xapian::DatabaseCorruptError);
    CHECK_THROWS_AS(pundit::with_reopen_retry([&](int) -> int {
                        ++calls;
                        throw std::runtime_error("not Xapian");
                    }),
                    std::runtime_error);
    CHECK(calls == 2);
}

TEST_CASE("with_reopen_retry tries kReopenRetries more times by default") {
    int calls = 0;
    const auto result = pundit::with_reopen_retry([&](int) -> bool {
        ++calls;
        throw Xapian::DatabaseModifiedError("overwritten");
    });
    CHECK_FALSE(result.has_value());
    CHECK(calls == pundit::kReopenRetries + 1);
}
