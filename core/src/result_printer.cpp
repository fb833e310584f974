#include "pundit/result_printer.hpp"

#include <algorithm>
#include <cctype>
#include <ostream>

#include <nlohmann/json.hpp>

#include "json_text.hpp"
#include "pundit/clock.hpp"
#include "pundit/entity.hpp"
#include "pundit/schema.hpp"
#include "pundit/text_format.hpp"

namespace pundit {
namespace {

using ordered_json = nlohmann::ordered_json;

// ANSI SGR sequences.
const std::string kBold = "\x1b[1m";
const std::string kDim = "\x1b[2m";
const std::string kMatch = "\x1b[1;31m";
const std::string kReset = "\x1b[0m";

// Indentation of the lines under a hit's first line.
const std::string kIndent = "   ";
// Leaders listed under a hit before "…".
constexpr std::size_t kLeadersPerHit = 4;
// After a headline made from the body, in `--show`. Read back, it is not the
// body's first paragraph, so the body keeps it.
constexpr std::string_view kDerivedTitleNote = "   [no headline: the opening words of the body]";

ordered_json nullable(const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); }

// Text from an article or the index, made safe for the terminal (one line).
std::string safe(std::string_view text) { return sanitise_for_terminal(text); }

// A snippet made safe for the terminal, its highlights moved to match.
Snippet safe(const Snippet& snippet) {
    Snippet out;
    std::size_t pos = 0;
    for (auto [begin, end] : snippet.highlights) {
        out.text += safe(std::string_view(snippet.text).substr(pos, begin - pos));
        const std::size_t start = out.text.size();
        out.text += safe(std::string_view(snippet.text).substr(begin, end - begin));
        out.highlights.emplace_back(start, out.text.size());
        pos = end;
    }
    out.text += safe(std::string_view(snippet.text).substr(pos));
    return out;
}

// The JSON key of an entity kind, indexed by EntityKind: its plural.
std::string entity_list_key(std::size_t kind) { return std::string(schema::kEntityKinds[kind].plural); }

// {"leaders":[names...],"countries":[...],"organisations":[...]} entries of a hit.
void add_entity_names(const Article& a, ordered_json& j) {
    for (std::size_t kind = 0; kind < schema::kEntityKinds.size(); ++kind) j[entity_list_key(kind)] = ordered_json::array();
    for (const EntityTag& tag : a.entities) j[entity_list_key(static_cast<std::size_t>(tag.kind))].push_back(tag.name);
}

// "A", "A and B", "A, B and C".
std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    }
    return out;
}

// Identical articles listed after a hit's id before "…".
constexpr std::size_t kDuplicatesPerHit = 3;

// "+1 identical: tech/315", "+5 identical: a, b, c, …".
std::string identical_note(const std::vector<std::string>& ids) {
    std::string out = "+" + format_count(ids.size()) + " identical: ";
    for (std::size_t i = 0; i < ids.size() && i <= kDuplicatesPerHit; ++i) {
        out += (i == 0 ? "" : ", ") + (i == kDuplicatesPerHit ? std::string("…") : safe(ids[i]));
    }
    return out;
}

// The plural of an entity facet's kind in headings: "leaders", "countries", "organisations".
std::string kind_plural(const std::string& facet) { return entity_kind_plural(parse_entity_kind(facet)); }

// How many matched, in words: "355 results"; "at least 355 results" when
// shards are missing; "about 400 results" when Xapian estimated the total
// from the matches it counted (count_bounds says between what).
std::string count_text(const SearchResults& r, const char* one, const char* many) {
    if (r.total_exact) return format_count(r.total) + " " + (r.total == 1 ? one : many);
    if (r.total_min >= r.total_max) return "at least " + format_count(r.total_min) + " " + many;
    return "about " + format_count(r.total) + " " + many;
}

// The bounds of an estimated total, "300 to 450"; empty when it is counted.
// (Xapian's estimate alone, rounded, said 500 for 355 on BBC News.)
std::string count_bounds(const SearchResults& r) {
    if (r.total_exact || r.total_min >= r.total_max) return {};
    return format_count(r.total_min) + " to " + format_count(r.total_max);
}

// "a (b; c)", leaving out what is empty.
std::string with_brackets(const std::string& text, const std::vector<std::string>& notes) {
    std::string inside;
    for (const std::string& note : notes) {
        if (!note.empty()) inside += (inside.empty() ? "" : "; ") + note;
    }
    return inside.empty() ? text : text + " (" + inside + ")";
}

// The line of a facet's matches without a value: "(undated)", "(no author)".
std::string missing_label(const std::string& facet) {
    if (facet == "year") return "(undated)";
    if (facet == "author" || facet == "source") return "(no " + facet + ")";
    return std::string("(no ") + entity_kind_noun(parse_entity_kind(facet)) + ")";
}

// The "filters" object of the JSON results: every key present, null or []
// when the filter was not given.
ordered_json filters_json(const SearchFilters& f) {
    auto optional = [](const std::optional<std::string>& s) { return s ? ordered_json(*s) : ordered_json(nullptr); };
    ordered_json j;
    j["since"] = optional(f.since);
    j["until"] = optional(f.until);
    for (std::size_t kind = 0; kind < f.entities.size(); ++kind) j[entity_list_key(kind)] = f.entities[kind];
    j["authors"] = f.authors;
    j["sources"] = f.sources;
    j["languages"] = f.languages;
    j["added_since"] = f.added_since ? ordered_json(format_utc(*f.added_since)) : ordered_json(nullptr);
    return j;
}

} // namespace

void print_entities_json(const Article& a, std::ostream& out) {
    ordered_json j;
    j["id"] = a.id;
    j["title"] = a.title;
    j["date"] = nullable(a.date);
    for (std::size_t kind = 0; kind < schema::kEntityKinds.size(); ++kind) j[entity_list_key(kind)] = ordered_json::array();
    for (const EntityTag& tag : a.entities) {
        j[entity_list_key(static_cast<std::size_t>(tag.kind))].push_back(
            {{"id", tag.id}, {"name", tag.name}, {"count", tag.count}, {"main", tag.main}});
    }
    out << dump_json(j) << '\n';
}

void print_results_text(const SearchResults& results, const TextStyle& style, std::ostream& out) {
    auto paint = [&](const std::string& code, const std::string& text) {
        return style.colour ? code + text + kReset : text;
    };
    if (results.suggestion) {
        const Suggestion& s = *results.suggestion;
        out << "Did you mean: " << paint(kBold, safe(s.query)) << " (" << (s.total_exact ? "" : "about ")
            << format_count(s.total) << (s.total == 1 && s.total_exact ? " article" : " articles") << ")\n";
    }
    std::string showing;
    if (!results.hits.empty() && results.limit > 0) {
        showing = "showing " + std::to_string(results.hits.front().rank) + "-" + std::to_string(results.hits.back().rank);
    }
    out << with_brackets(count_text(results, "result", "results"), {count_bounds(results), showing}) << '\n';
    for (const Hit& hit : results.hits) {
        const Article& a = hit.article;
        out << '\n' << hit.rank << ". ";
        out << paint(kDim, a.date.empty() ? std::string("----------") : safe(a.date)) << "  ";
        const Snippet title = safe(hit.title);
        out << paint(kBold, style.colour ? render_snippet(title, kMatch, kReset + kBold) : title.text) << '\n';
        std::string meta;
        for (const std::string* part : {&a.author, &a.source}) {
            if (!part->empty()) meta += (meta.empty() ? "" : " \xC2\xB7 ") + safe(*part);
        }
        meta += (meta.empty() ? "" : " \xC2\xB7 ") + std::string("id: ") + safe(a.id);
        if (!hit.duplicates.empty()) meta += " \xC2\xB7 " + identical_note(hit.duplicates);
        out << kIndent << paint(kDim, meta) << '\n';
        if (!hit.snippet.text.empty()) {
            const Snippet snippet = safe(hit.snippet);
            out << kIndent << (style.colour ? render_snippet(snippet, kMatch, kReset) : snippet.text) << '\n';
        }
        std::string leaders;
        std::size_t shown = 0;
        for (const EntityTag& tag : a.entities) {
            if (tag.kind != EntityKind::leader) continue;
            if (shown++ == kLeadersPerHit) {
                leaders += ", …";
                break;
            }
            leaders += (leaders.empty() ? "" : ", ") + safe(tag.name);
        }
        if (!leaders.empty()) out << kIndent << paint(kDim, "leaders: " + leaders) << '\n';
    }
    for (const Facet& facet : results.facets) {
        if (!facet.together_with.empty()) {
            // Under a filter of its own kind the facet answers "who else?".
            std::string heading = kind_plural(facet.name);
            heading[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(heading[0])));
            heading += " discussed together with " + safe(join_names(facet.together_with));
            std::string top;
            if (facet.values.size() < facet.distinct) {
                top = "top " + std::to_string(facet.values.size()) + " of " + format_count(facet.distinct);
            }
            // Facets count every match: the total has no bounds to give.
            out << '\n' << paint(kBold, heading) << " (" << count_text(results, "article", "articles")
                << (top.empty() ? "" : "; " + top) << "):\n";
            if (facet.values.empty()) out << kIndent << "no other " << kind_plural(facet.name) << '\n';
        } else {
            out << '\n' << paint(kBold, facet.name) << " (" << format_count(static_cast<Xapian::doccount>(facet.distinct))
            << (facet.distinct == 1 ? " value" : " distinct values");
            if (facet.values.size() < facet.distinct) out << ", top " << facet.values.size();
            out << ")\n";
        }
        std::size_t width = facet.values.empty() ? 1 : format_count(facet.values.front().count).size();
        if (facet.missing > 0) width = std::max(width, format_count(facet.missing).size());
        for (const FacetValue& v : facet.values) {
            std::string n = format_count(v.count);
            out << kIndent << std::string(width - n.size(), ' ') << n << "  " << safe(v.value) << '\n';
        }
        if (facet.missing > 0) {
            // Last, whatever its count, and in brackets: it is no value.
            const std::string n = format_count(facet.missing);
            out << kIndent << std::string(width - n.size(), ' ') << n << "  " << paint(kDim, missing_label(facet.name))
                << '\n';
        }
    }
    if (results.timeline) {
        out << '\n';
        print_timeline_text(*results.timeline, style.colour, style.columns, out);
    }
}

void print_results_json(const SearchResults& results, std::ostream& out) {
    ordered_json j;
    j["format_version"] = kJsonFormatVersion;
    j["query"] = results.query;
    j["filters"] = filters_json(results.filters);
    j["sort"] = sort_order_name(results.sort);
    j["total"] = results.total;
    j["total_exact"] = results.total_exact;
    if (!results.total_exact) {
        j["total_min"] = results.total_min;
        j["total_max"] = results.total_max;
    }
    j["offset"] = results.offset;
    j["limit"] = results.limit;
    ordered_json hits = ordered_json::array();
    for (const Hit& hit : results.hits) {
        const Article& a = hit.article;
        ordered_json h;
        h["rank"] = hit.rank;
        // Four decimals: enough to compare, stable across runs of the same index.
        h["score"] = static_cast<double>(static_cast<long long>(hit.score * 10000.0 + 0.5)) / 10000.0;
        h["id"] = a.id;
        h["title"] = a.title;
        if (a.title_derived) h["title_derived"] = true;
        h["date"] = nullable(a.date);
        h["author"] = nullable(a.author);
        h["source"] = nullable(a.source);
        h["url"] = nullable(a.url);
        h["snippet"] = hit.snippet.text;
        add_entity_names(a, h);
        if (!hit.duplicates.empty()) h["duplicates"] = hit.duplicates;
        hits.push_back(std::move(h));
    }
    j["hits"] = std::move(hits);
    ordered_json facets = ordered_json::object();
    ordered_json distinct = ordered_json::object();
    ordered_json missing = ordered_json::object();
    for (const Facet& facet : results.facets) {
        ordered_json values = ordered_json::array();
        for (const FacetValue& v : facet.values) values.push_back({{"value", v.value}, {"count", v.count}});
        facets[facet.name] = std::move(values);
        distinct[facet.name] = facet.distinct;
        missing[facet.name] = facet.missing;
    }
    j["facets"] = std::move(facets);
    j["facet_distinct"] = std::move(distinct);
    j["facet_missing"] = std::move(missing);
    // The entity filters an entity facet leaves out (see Facet::together_with).
    ordered_json together = ordered_json::object();
    for (const Facet& facet : results.facets) {
        if (!facet.together_with.empty()) together[facet.name] = facet.together_with;
    }
    if (!together.empty()) j["facet_together_with"] = std::move(together);
    if (results.timeline) {
        const Timeline& t = *results.timeline;
        ordered_json series = ordered_json::array();
        for (const TimelineBar& bar : t.bars) series.push_back({{"period", bar.period}, {"count", bar.count}});
        j["timeline"] = {{"period", std::string(timeline_period_name(t.period))},
                         {"series", std::move(series)},
                         {"dated", t.dated()},
                         {"undated", t.undated}};
    }
    if (!results.missing_shards.empty()) j["missing_shards"] = results.missing_shards;
    if (!results.notes.empty()) j["notes"] = results.notes;
    if (!results.like.empty()) j["like"] = results.like;
    if (results.suggestion) {
        j["suggestion"] = {{"query", results.suggestion->query},
                           {"total", results.suggestion->total},
                           {"total_exact", results.suggestion->total_exact}};
    }
    out << dump_json(j) << '\n';
}

void print_article_text(const Article& a, std::ostream& out) {
    // Each header is one line: a line break in a field would start another
    // header ("Date: ...") when the text is read back, even in an index
    // built before the readers folded such breaks.
    // A headline made from the body is shown as such: the Title: header is
    // left empty, which the indexer reads as "none" and derives again, and
    // the headline line says where it came from.
    const std::string title = safe(a.title);
    out << (a.title_derived ? "Title:" : "Title: " + title) << '\n';
    if (!a.date.empty()) out << "Date: " << safe(a.date) << '\n';
    if (!a.author.empty()) out << "Author: " << safe(a.author) << '\n';
    if (!a.source.empty()) out << "Source: " << safe(a.source) << '\n';
    if (!a.url.empty()) out << "URL: " << safe(a.url) << '\n';
    if (!a.language.empty()) out << "Language: " << safe(a.language) << '\n';
    out << "ID: " << safe(a.id) << "\n\n" << title << (a.title_derived ? std::string(kDerivedTitleNote) : "") << "\n\n";
    if (!a.body.empty()) out << sanitise_for_terminal(a.body, LineBreaks::keep) << '\n';
}

void print_article_json(const Article& a, std::ostream& out) {
    ordered_json j;
    j["format_version"] = kJsonFormatVersion;
    j["article"] = {
        {"id", a.id},           {"title", a.title},       {"date", nullable(a.date)},
        {"author", nullable(a.author)}, {"source", nullable(a.source)}, {"url", nullable(a.url)},
        {"language", nullable(a.language)}, {"body", a.body},
    };
    if (a.title_derived) j["article"]["title_derived"] = true;
    out << dump_json(j) << '\n';
}

} // namespace pundit
