#include "pundit/timeline.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "pundit/error.hpp"
#include "pundit/text_format.hpp"

namespace pundit {
namespace {

// ANSI SGR sequences, as in result_printer.cpp.
const std::string kBold = "\x1b[1m";
const std::string kDim = "\x1b[2m";
const std::string kBarColour = "\x1b[36m";
const std::string kReset = "\x1b[0m";

// A full block, and the blocks of 1/8 to 7/8 of a cell (U+258F down to U+2589).
const std::string kFullBlock = "\u2588";
const std::array<std::string, 8> kPartialBlocks{
    "", "\u258F", "\u258E", "\u258D", "\u258C", "\u258B", "\u258A", "\u2589"};
constexpr std::size_t kEighths = 8;

// Cells between the columns of a chart line, and kept free at its end so
// that a bar of the full width never wraps.
constexpr std::size_t kColumnGap = 2;
constexpr std::size_t kSpareCells = 1;

// The SVG canvas and the plot area inside it, in pixels.
constexpr double kSvgWidth = 800;
constexpr double kSvgHeight = 420;
constexpr double kPlotLeft = 64;
constexpr double kPlotRight = 20;
constexpr double kPlotTop = 64;
constexpr double kPlotBottom = 56;
// Share of its slot a bar fills (the rest is the gap between bars).
constexpr double kBarShare = 0.8;
// Room a period label needs along the time axis, so labels never overlap.
constexpr double kYearLabelWidth = 40;
constexpr double kMonthLabelWidth = 60;
// At most this many steps on the count axis.
constexpr Xapian::doccount kMaxAxisSteps = 5;

struct YearMonth {
    int year = 0;
    int month = 0; // 1-12; 0 for a year period
    auto operator<=>(const YearMonth&) const = default;
};

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view digits) {
    int n = 0;
    for (char c : digits) n = n * 10 + (c - '0');
    return n;
}

std::string label(const YearMonth& p) {
    char buf[16];
    if (p.month == 0) {
        std::snprintf(buf, sizeof buf, "%04d", p.year);
    } else {
        std::snprintf(buf, sizeof buf, "%04d-%02d", p.year, p.month);
    }
    return buf;
}

YearMonth next(YearMonth p) {
    if (p.month == 0) return {p.year + 1, 0};
    return p.month == 12 ? YearMonth{p.year + 1, 1} : YearMonth{p.year, p.month + 1};
}

std::string articles(Xapian::doccount n) { return format_count(n) + (n == 1 ? " article" : " articles"); }

std::string escape_xml(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
            // Control characters are not allowed in XML 1.0 text.
            if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                out += ' ';
            } else {
                out += c;
            }
        }
    }
    return out;
}

// A pixel coordinate, with two decimals (independent of the locale: the
// binaries never call setlocale).
std::string px(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

// The step of the count axis: 1, 2 or 5 times a power of ten, so that the
// axis from 0 to `highest` has at most kMaxAxisSteps steps.
Xapian::doccount axis_step(Xapian::doccount highest) {
    for (Xapian::doccount power = 1;; power *= 10) {
        for (Xapian::doccount m : {1u, 2u, 5u}) {
            const Xapian::doccount step = m * power;
            if ((highest + step - 1) / step <= kMaxAxisSteps) return step;
        }
    }
}

// The description holds the query and filter values as typed: the terminal
// chart shows it made safe (sanitise_for_terminal); the SVG escapes it.
std::string heading(const Timeline& t) {
    std::string h = "Articles per " + std::string(timeline_period_name(t.period));
    if (!t.description.empty()) h += ": " + t.description;
    return h;
}

std::string range(const Timeline& t) {
    if (t.bars.empty()) return "";
    return t.bars.size() == 1 ? t.bars.front().period : t.bars.front().period + " to " + t.bars.back().period;
}

} // namespace

TimelinePeriod parse_timeline_period(const std::string& name) {
    if (name == "year") return TimelinePeriod::year;
    if (name == "month") return TimelinePeriod::month;
    throw Error(ErrorKind::query, "unknown timeline period '" + name + "' (expected year or month)");
}

std::string_view timeline_period_name(TimelinePeriod period) {
    return period == TimelinePeriod::year ? "year" : "month";
}

Xapian::doccount Timeline::dated() const {
    Xapian::doccount n = 0;
    for (const TimelineBar& bar : bars) n += bar.count;
    return n;
}

Xapian::doccount Timeline::highest() const {
    Xapian::doccount n = 0;
    for (const TimelineBar& bar : bars) n = std::max(n, bar.count);
    return n;
}

Timeline bucket_dates(const std::vector<std::pair<std::string_view, Xapian::doccount>>& day_counts,
                      Xapian::doccount undated, TimelinePeriod period) {
    Timeline t;
    t.period = period;
    t.undated = undated;
    std::map<YearMonth, Xapian::doccount> counts;
    for (const auto& [value, count] : day_counts) {
        if (value.size() != 8 || !all_digits(value)) {
            t.undated += count;
            continue;
        }
        const YearMonth p{to_int(value.substr(0, 4)), period == TimelinePeriod::month ? to_int(value.substr(4, 2)) : 0};
        if (period == TimelinePeriod::month && (p.month < 1 || p.month > 12)) {
            t.undated += count;
            continue;
        }
        counts[p] += count;
    }
    if (counts.empty()) return t;
    const YearMonth last = counts.rbegin()->first;
    for (YearMonth p = counts.begin()->first; p <= last; p = next(p)) {
        auto it = counts.find(p);
        t.bars.push_back(TimelineBar{label(p), it == counts.end() ? 0 : it->second});
    }
    return t;
}

std::size_t bar_eighths(Xapian::doccount count, Xapian::doccount highest, std::size_t cells) {
    if (count == 0 || highest == 0 || cells == 0) return 0;
    const double exact = static_cast<double>(count) * static_cast<double>(cells * kEighths) / highest;
    const auto eighths = static_cast<std::size_t>(std::lround(exact));
    return std::clamp<std::size_t>(eighths, 1, cells * kEighths);
}

std::string render_bar(std::size_t eighths) {
    std::string bar;
    for (std::size_t i = 0; i < eighths / kEighths; ++i) bar += kFullBlock;
    return bar + kPartialBlocks[eighths % kEighths];
}

void print_timeline_text(const Timeline& t, bool colour, std::size_t columns, std::ostream& out) {
    auto paint = [&](const std::string& code, const std::string& text) { return colour ? code + text + kReset : text; };
    if (t.bars.empty()) {
        out << paint(kBold, sanitise_for_terminal(heading(t))) << '\n' << "no dated articles";
    } else {
        out << paint(kBold, sanitise_for_terminal(heading(t) + " (" + range(t) + ")")) << '\n';
        const std::size_t label_width = t.bars.front().period.size();
        const std::size_t count_width = format_count(t.highest()).size();
        const std::size_t used = label_width + kColumnGap + count_width + kColumnGap + kSpareCells;
        const std::size_t cells = std::max(columns, kMinChartColumns) - used;
        const Xapian::doccount highest = t.highest();
        for (const TimelineBar& bar : t.bars) {
            const std::string n = format_count(bar.count);
            out << sanitise_for_terminal(bar.period) << std::string(kColumnGap + count_width - n.size(), ' ') << n;
            const std::size_t eighths = bar_eighths(bar.count, highest, cells);
            if (eighths) out << std::string(kColumnGap, ' ') << paint(kBarColour, render_bar(eighths));
            out << '\n';
        }
        out << articles(t.dated()) << " dated";
    }
    if (t.undated) {
        out << "; " << paint(kDim, articles(t.undated) + " without a date, not in the chart");
    }
    out << '\n';
}

void write_timeline_svg(const Timeline& t, std::ostream& out) {
    const double plot_width = kSvgWidth - kPlotLeft - kPlotRight;
    const double plot_height = kSvgHeight - kPlotTop - kPlotBottom;
    const double bottom = kPlotTop + plot_height;
    const Xapian::doccount highest = t.highest();
    const Xapian::doccount step = axis_step(std::max<Xapian::doccount>(highest, 1));
    const Xapian::doccount top = std::max<Xapian::doccount>((highest + step - 1) / step, 1) * step;
    auto y_of = [&](Xapian::doccount n) { return bottom - plot_height * static_cast<double>(n) / top; };

    std::string subtitle = t.bars.empty() ? "no dated articles" : articles(t.dated()) + " dated, " + range(t);
    if (t.undated) subtitle += "; " + articles(t.undated) + " without a date, not shown";

    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kSvgWidth << "\" height=\"" << kSvgHeight
        << "\" viewBox=\"0 0 " << kSvgWidth << ' ' << kSvgHeight << "\" font-family=\"sans-serif\">\n"
        << "<title>" << escape_xml(heading(t)) << "</title>\n"
        << "<style>.bar{fill:#3b75af}.bar:hover{fill:#e07b39}.grid{stroke:#ddd}.axis{stroke:#333}"
           "text{fill:#222}</style>\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
        << "<text x=\"" << px(kSvgWidth / 2) << "\" y=\"26\" font-size=\"17\" text-anchor=\"middle\">"
        << escape_xml(heading(t)) << "</text>\n"
        << "<text x=\"" << px(kSvgWidth / 2) << "\" y=\"46\" font-size=\"12\" text-anchor=\"middle\">"
        << escape_xml(subtitle) << "</text>\n";

    // The count axis: grid lines and labels at every step.
    out << "<g font-size=\"11\" text-anchor=\"end\">\n";
    for (Xapian::doccount n = 0; n <= top; n += step) {
        const std::string y = px(y_of(n));
        out << "<line class=\"grid\" x1=\"" << px(kPlotLeft) << "\" y1=\"" << y << "\" x2=\""
            << px(kPlotLeft + plot_width) << "\" y2=\"" << y << "\"/>"
            << "<text x=\"" << px(kPlotLeft - 6) << "\" y=\"" << px(y_of(n) + 4) << "\">" << n << "</text>\n";
    }
    out << "</g>\n"
        << "<text transform=\"translate(16 " << px(kPlotTop + plot_height / 2)
        << ") rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">articles</text>\n";

    // A bar per period, its count in a tooltip; labels thinned to fit.
    const std::size_t n = t.bars.size();
    const double slot = n ? plot_width / static_cast<double>(n) : plot_width;
    const double label_room = t.period == TimelinePeriod::year ? kYearLabelWidth : kMonthLabelWidth;
    const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(label_room / slot)));
    out << "<g>\n";
    for (std::size_t i = 0; i < n; ++i) {
        const TimelineBar& bar = t.bars[i];
        const double x = kPlotLeft + slot * static_cast<double>(i) + slot * (1 - kBarShare) / 2;
        const double y = y_of(bar.count);
        out << "<rect class=\"bar\" x=\"" << px(x) << "\" y=\"" << px(y) << "\" width=\"" << px(slot * kBarShare)
            << "\" height=\"" << px(bottom - y) << "\"><title>" << escape_xml(bar.period) << ": "
            << articles(bar.count) << "</title></rect>\n";
    }
    out << "</g>\n<g font-size=\"11\" text-anchor=\"middle\">\n";
    for (std::size_t i = 0; i < n; i += every) {
        out << "<text x=\"" << px(kPlotLeft + slot * (static_cast<double>(i) + 0.5)) << "\" y=\""
            << px(bottom + 18) << "\">" << escape_xml(t.bars[i].period) << "</text>\n";
    }
    out << "</g>\n"
        << "<line class=\"axis\" x1=\"" << px(kPlotLeft) << "\" y1=\"" << px(bottom) << "\" x2=\""
        << px(kPlotLeft + plot_width) << "\" y2=\"" << px(bottom) << "\"/>\n"
        << "<line class=\"axis\" x1=\"" << px(kPlotLeft) << "\" y1=\"" << px(kPlotTop) << "\" x2=\""
        << px(kPlotLeft) << "\" y2=\"" << px(bottom) << "\"/>\n"
        << "<text x=\"" << px(kPlotLeft + plot_width / 2) << "\" y=\"" << px(kSvgHeight - 12)
        << "\" font-size=\"12\" text-anchor=\"middle\">" << timeline_period_name(t.period) << "</text>\n"
        << "</svg>\n";
}

void save_timeline_svg(const Timeline& t, const std::string& path) {
    std::ostringstream svg;
    write_timeline_svg(t, svg);
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (file) file << svg.str();
    if (file) file.close();
    if (!file) {
        throw Error(ErrorKind::input, "cannot write the chart to '" + path + "': " + std::strerror(errno) +
                                          " (check that the directory exists and is writable)");
    }
}

} // namespace pundit
