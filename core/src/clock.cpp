#include "pundit/clock.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string_view>

#include <xapian.h>

#include "pundit/error.hpp"

namespace pundit {

std::int64_t now_seconds() {
    if (const char* fixed = std::getenv("PUNDIT_NOW"); fixed && *fixed) {
        std::string_view text(fixed);
        std::int64_t seconds = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (ec != std::errc() || end != text.data() + text.size() || seconds < 0) {
            throw Error(ErrorKind::input, "PUNDIT_NOW='" + std::string(text) +
                                              "' is not a number of seconds since 1970; unset it");
        }
        return seconds;
    }
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string added_time_value(std::int64_t seconds) { return Xapian::sortable_serialise(static_cast<double>(seconds)); }

std::int64_t parse_added_time(const std::string& value) {
    if (value.empty()) return 0;
    return static_cast<std::int64_t>(std::llround(Xapian::sortable_unserialise(value)));
}

std::string format_utc(std::int64_t seconds) {
    std::time_t t = static_cast<std::time_t>(seconds);
    std::tm parts{};
    gmtime_r(&t, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
    return text;
}

} // namespace pundit
