// Calendar dates as the index stores them. Articles carry "YYYY-MM-DD"; the
// date value slot holds "YYYYMMDD" so that string order is date order.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pundit {

// Earliest and latest years accepted for an article. Dates outside are almost
// always typos or epoch placeholders (0001-01-01, 2999-...), and would
// distort timelines and date sorting.
inline constexpr int kMinYear = 1800;
inline constexpr int kMaxYear = 2100;

// Parses an ISO 8601 calendar date ("2019-06-29") or date-time
// ("2019-06-29T08:30:00Z", "2019-06-29 08:30:00+09:00"). Returns "YYYY-MM-DD"
// (the calendar date as written, not converted to UTC), or nullopt when the
// text is not a valid date in [kMinYear, kMaxYear].
std::optional<std::string> parse_iso_date(std::string_view text);

// Which end of a period a date filter stands for: --since 2016 means from
// its first day, --until 2016 up to its last.
enum class PeriodEnd { start, end };

// A day, month or year as a date filter gives it: "2016-03-05", "2016-03"
// or "2016". Returns the first ("2016-03" -> "2016-03-01") or last
// ("2016-03" -> "2016-03-31", "2016" -> "2016-12-31") day of the period as
// "YYYY-MM-DD", or nullopt when the text is none of the three forms or not a
// valid date in [kMinYear, kMaxYear].
std::optional<std::string> parse_period(std::string_view text, PeriodEnd end);

// "2019-06-29" -> "20190629" (the value-slot form); input must be valid.
std::string date_to_value(std::string_view iso_date);

// "20190629" -> "2019-06-29"; empty in, empty out.
std::string value_to_date(std::string_view value);

} // namespace pundit
