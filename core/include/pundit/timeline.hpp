// Matching articles over time: counts per year or month, built from the
// per-day counts the searcher takes from the date value slot over the whole
// match set, drawn as a bar chart in the terminal or written as a standalone
// SVG file. Not for counting (searcher.cpp counts the days, with the facet
// cache or stock match spies) nor for deciding the terminal's width or
// whether to colour (the binary decides).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

namespace pundit {

enum class TimelinePeriod { year, month };

// Parses "year" or "month"; throws Error(query) otherwise.
TimelinePeriod parse_timeline_period(const std::string& name);
// "year" or "month".
std::string_view timeline_period_name(TimelinePeriod period);

struct TimelineBar {
    std::string period; // "2019" or "2019-06"
    Xapian::doccount count = 0;
};

struct Timeline {
    TimelinePeriod period = TimelinePeriod::year;
    // Every period from the first with a dated article to the last, in
    // order; the periods between with no article have a count of 0.
    std::vector<TimelineBar> bars;
    Xapian::doccount undated = 0; // matching articles without a date
    // What the chart shows, for its heading: the query and the filters
    // ("'sanctions', leader Vladimir Putin, since 2015-01-01"); empty for
    // every article.
    std::string description;

    Xapian::doccount dated() const;
    Xapian::doccount highest() const; // the largest count of one period
};

// Groups per-day counts (value-slot dates "YYYYMMDD", in any order) into
// periods. A value that is not such a date counts as undated, on top of
// `undated`.
Timeline bucket_dates(const std::vector<std::pair<std::string_view, Xapian::doccount>>& day_counts,
                      Xapian::doccount undated, TimelinePeriod period);

// The length of a bar, in eighths of a character cell: `count` against the
// `highest` count, which fills `cells` cells. Any count above zero gets at
// least one eighth, so that no period with articles looks empty.
std::size_t bar_eighths(Xapian::doccount count, Xapian::doccount highest, std::size_t cells);

// A bar of `eighths` eighths as Unicode block characters ("███▌").
std::string render_bar(std::size_t eighths);

// Narrowest terminal the chart is fitted to; a narrower width is taken as this.
inline constexpr std::size_t kMinChartColumns = 40;

// The chart as text, one line per period ("1991  3 ███▌"), fitted to
// `columns` character cells; bars in colour when `colour`.
void print_timeline_text(const Timeline& timeline, bool colour, std::size_t columns, std::ostream& out);

// The chart as a standalone SVG document: a title with the description,
// a bar per period with its count as a tooltip, a labelled count axis with
// grid lines and period labels along the time axis (thinned out so they do
// not overlap). All text is escaped.
void write_timeline_svg(const Timeline& timeline, std::ostream& out);

// write_timeline_svg to a file, replacing it. Throws Error(input) naming the
// file when it cannot be written.
void save_timeline_svg(const Timeline& timeline, const std::string& path);

} // namespace pundit
