// The wall clock as the index and saved searches see it: whole seconds since
// the Unix epoch. The indexer stamps each new article with the time of its
// run, and a saved search remembers when it last ran, so "what was added
// since" is a comparison of two such numbers. Tests fix the clock with the
// PUNDIT_NOW environment variable instead of sleeping. Not for measuring
// durations (use std::chrono::steady_clock).
#pragma once

#include <cstdint>
#include <string>

namespace pundit {

// Seconds since the epoch: $PUNDIT_NOW when set (a whole number, for tests),
// else the system clock. Throws Error(input) when PUNDIT_NOW is not a number.
std::int64_t now_seconds();

// The value stored in schema::kAddedSlot for a time: Xapian's
// sortable_serialise of the seconds, so that a value range query
// (OP_VALUE_GE) compares times, on remote shards too: 5 bytes for a
// present-day time.
std::string added_time_value(std::int64_t seconds);

// The seconds a kAddedSlot value holds (0 for an empty value).
std::int64_t parse_added_time(const std::string& value);

// "2026-11-28 14:03:07 UTC", for messages and listings.
std::string format_utc(std::int64_t seconds);

} // namespace pundit
