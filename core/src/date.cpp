#include "pundit/date.hpp"

#include <cctype>
#include <cstdio>

namespace pundit {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t count) {
    if (pos + count > s.size()) return false;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}

int number(std::string_view s, std::size_t pos, std::size_t count) {
    int n = 0;
    for (std::size_t i = pos; i < pos + count; ++i) n = n * 10 + (s[i] - '0');
    return n;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// The time part after the date: "THH:MM[:SS[.fraction]][Z|(+|-)HH[:MM]]".
bool valid_time(std::string_view t) {
    if (t.empty()) return true;
    if (t[0] != 'T' && t[0] != 't' && t[0] != ' ') return false;
    std::size_t p = 1;
    if (!digits(t, p, 2) || number(t, p, 2) > 23) return false;
    p += 2;
    if (p < t.size() && t[p] == ':') {
        if (!digits(t, p + 1, 2) || number(t, p + 1, 2) > 59) return false;
        p += 3;
        if (p < t.size() && t[p] == ':') {
            if (!digits(t, p + 1, 2) || number(t, p + 1, 2) > 60) return false;
            p += 3;
            if (p < t.size() && (t[p] == '.' || t[p] == ',')) {
                ++p;
                if (!digits(t, p, 1)) return false;
                while (p < t.size() && std::isdigit(static_cast<unsigned char>(t[p]))) ++p;
            }
        }
    }
    if (p == t.size()) return true;
    if ((t[p] == 'Z' || t[p] == 'z') && p + 1 == t.size()) return true;
    if (t[p] != '+' && t[p] != '-') return false;
    ++p;
    if (!digits(t, p, 2)) return false;
    p += 2;
    if (p < t.size() && t[p] == ':') ++p;
    if (p < t.size() && !digits(t, p, 2)) return false;
    if (p < t.size()) p += 2;
    return p == t.size();
}

} // namespace

std::optional<std::string> parse_iso_date(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    if (text.size() < 10 || !digits(text, 0, 4) || text[4] != '-' || !digits(text, 5, 2) ||
        text[7] != '-' || !digits(text, 8, 2)) {
        return std::nullopt;
    }
    int year = number(text, 0, 4), month = number(text, 5, 2), day = number(text, 8, 2);
    if (year < kMinYear || year > kMaxYear || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month)) {
        return std::nullopt;
    }
    if (!valid_time(text.substr(10))) return std::nullopt;
    return std::string(text.substr(0, 10));
}

std::optional<std::string> parse_period(std::string_view text, PeriodEnd end) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    if (text.size() == 10) return parse_iso_date(text);
    const bool year_only = text.size() == 4 && digits(text, 0, 4);
    const bool year_month = text.size() == 7 && digits(text, 0, 4) && text[4] == '-' && digits(text, 5, 2);
    if (!year_only && !year_month) return std::nullopt;
    const int year = number(text, 0, 4);
    const int month = year_month ? number(text, 5, 2) : (end == PeriodEnd::start ? 1 : 12);
    if (year < kMinYear || year > kMaxYear || month < 1 || month > 12) return std::nullopt;
    const int day = end == PeriodEnd::start ? 1 : days_in_month(year, month);
    char out[11];
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, month, day);
    return std::string(out);
}

std::string date_to_value(std::string_view iso_date) {
    std::string out;
    for (char c : iso_date) {
        if (c != '-') out.push_back(c);
    }
    return out;
}

std::string value_to_date(std::string_view value) {
    if (value.size() != 8) return {};
    std::string out(value.substr(0, 4));
    out += '-';
    out += value.substr(4, 2);
    out += '-';
    out += value.substr(6, 2);
    return out;
}

} // namespace pundit
