#include "pundit/text_reader.hpp"

#include <algorithm>
#include <cctype>

#include "pundit/date.hpp"

namespace pundit {
namespace {

struct Line {
    std::string text; // trimmed
    std::size_t number = 0;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

std::string trim(std::string_view s) {
    // Also strip no-break spaces (U+00A0), common in text saved from the web.
    auto strip_front = [&] {
        if (!s.empty() && is_space(s.front())) { s.remove_prefix(1); return true; }
        if (s.substr(0, 2) == "\xC2\xA0") { s.remove_prefix(2); return true; }
        return false;
    };
    auto strip_back = [&] {
        if (!s.empty() && is_space(s.back())) { s.remove_suffix(1); return true; }
        if (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0") { s.remove_suffix(2); return true; }
        return false;
    };
    while (strip_front()) {}
    while (strip_back()) {}
    return std::string(s);
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && lower_ascii(s.substr(0, prefix.size())) == prefix;
}

// Comparison key for repeated text: typographic quotes unified, runs of
// spaces collapsed, ASCII case ignored, surrounding quotes removed.
std::string repeat_key(std::string_view s) {
    std::string out;
    bool space = false;
    for (std::size_t i = 0; i < s.size();) {
        std::string_view rest = s.substr(i);
        if (rest.starts_with("\xE2\x80\x9C") || rest.starts_with("\xE2\x80\x9D") ||
            rest.starts_with("\xE2\x80\x98") || rest.starts_with("\xE2\x80\x99") ||
            rest.starts_with("\xC2\xAB") || rest.starts_with("\xC2\xBB")) {
            // Quotes are dropped: a pull quote often adds or changes them.
            i += rest.starts_with("\xC2") ? 2 : 3;
            continue;
        }
        char c = s[i++];
        if (c == '"' || c == '\'') continue;
        if (is_space(c)) {
            space = true;
            continue;
        }
        if (space && !out.empty()) out.push_back(' ');
        space = false;
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return out;
}

// Bullets that open a bio line.
bool starts_with_bullet(std::string_view s) {
    for (std::string_view bullet : {"\xE2\x80\xA2", "\xC2\xB7", "\xE2\x96\xAA", "\xE2\x97\x8F", "* ", "- "}) {
        if (s.starts_with(bullet)) return true;
    }
    return false;
}

std::string strip_bullet(std::string_view s) {
    for (std::string_view bullet : {"\xE2\x80\xA2", "\xC2\xB7", "\xE2\x96\xAA", "\xE2\x97\x8F", "*", "-"}) {
        if (s.starts_with(bullet)) return trim(s.substr(bullet.size()));
    }
    return std::string(s);
}

// Lower-case particles allowed inside a personal name.
bool is_name_particle(std::string_view w) {
    for (std::string_view p : {"de", "da", "do", "dos", "das", "di", "du", "del", "della", "van",
                               "von", "der", "den", "ter", "bin", "bint", "al", "el", "la", "le",
                               "y", "e", "and"}) {
        if (w == p) return true;
    }
    return false;
}

std::string strip_by(std::string_view s) {
    if (starts_with_ci(s, "by ")) return trim(s.substr(3));
    return std::string(s);
}

// A line that reads as a person's name: a few words, each capitalised (or a
// particle), no sentence punctuation.
bool looks_like_name(std::string_view line) {
    std::string name = strip_by(line);
    if (name.empty() || name.size() > kMaxBylineBytes) return false;
    char last = name.back();
    if (std::string_view(".!?:;,\"'").find(last) != std::string_view::npos) {
        // "George H. W. Bush Jr." style endings are rare; bylines do not end a sentence.
        return false;
    }
    std::size_t words = 0;
    std::size_t i = 0;
    while (i < name.size()) {
        while (i < name.size() && name[i] == ' ') ++i;
        std::size_t j = i;
        while (j < name.size() && name[j] != ' ') ++j;
        if (j == i) break;
        std::string_view w(name.data() + i, j - i);
        ++words;
        unsigned char first = static_cast<unsigned char>(w[0]);
        bool capital = (first >= 'A' && first <= 'Z') || first >= 0xC0; // non-ASCII: trust it
        if (!capital && !is_name_particle(w)) return false;
        for (char c : w) {
            if (std::isdigit(static_cast<unsigned char>(c))) return false;
        }
        i = j;
    }
    return words >= 1 && words <= kMaxBylineWords;
}

// The writer a bio line names: "NAME is ..." or "NAME was ...", NAME a
// person's name of two words or more (looks_like_name) after an optional
// honorific; empty when the line opens otherwise ("He is ...", "The author
// is ...").
std::string bio_name(std::string_view bio) {
    std::size_t verb = std::string_view::npos;
    for (std::string_view v : {" is ", " was "}) verb = std::min(verb, bio.find(v));
    if (verb == std::string_view::npos) return {};
    std::string_view name = bio.substr(0, verb);
    for (std::string_view honorific : {"Mr. ", "Mrs. ", "Ms. ", "Dr. ", "Mr ", "Mrs ", "Ms ", "Dr ", "Prof. "}) {
        if (name.starts_with(honorific)) {
            name.remove_prefix(honorific.size());
            break;
        }
    }
    const std::string trimmed = trim(name);
    if (starts_with_ci(trimmed, "by ") || trimmed.find(' ') == std::string::npos || !looks_like_name(trimmed)) {
        return {};
    }
    return trimmed;
}

struct Header {
    std::string key; // lower case
    std::string value;
};

std::optional<Header> parse_header(std::string_view line) {
    static constexpr std::string_view kKeys[] = {"title", "date", "author", "source", "url", "id", "language"};
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string key = lower_ascii(trim(line.substr(0, colon)));
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) return std::nullopt;
    // A value that shows nothing (control or zero-width characters only) is
    // an empty value, as a line that shows nothing is a blank line.
    std::string value = trim(line.substr(colon + 1));
    if (!has_visible_text(value)) value.clear();
    return Header{key, std::move(value)};
}

// The lines of `text`, trimmed, numbered from 1; a line that shows nothing
// is blank.
std::vector<Line> split_lines(std::string_view text) {
    std::vector<Line> lines;
    std::size_t number = 1, start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string line = trim(text.substr(start, end - start));
        // A line that shows nothing (zero-width characters, say) is a blank line.
        if (!has_visible_text(line)) line.clear();
        lines.push_back(Line{std::move(line), number++});
        start = end + 1;
    }
    return lines;
}

// The header block: consecutive "Key: value" lines of known keys at the very
// top, closed by a blank line (or the end of the file), with their line
// numbers. `i` is left on the first line past it (or past the leading blank
// lines when there is none).
std::vector<std::pair<Header, std::size_t>> read_header_block(const std::vector<Line>& lines, std::size_t& i) {
    while (i < lines.size() && lines[i].text.empty()) ++i;
    std::vector<std::pair<Header, std::size_t>> headers;
    std::size_t j = i;
    std::vector<std::pair<Header, std::size_t>> found;
    while (j < lines.size() && !lines[j].text.empty()) {
        auto header = parse_header(lines[j].text);
        if (!header) break;
        found.emplace_back(*header, lines[j].number);
        ++j;
    }
    if (!found.empty() && (j == lines.size() || lines[j].text.empty())) {
        headers = std::move(found);
        i = j;
    }
    return headers;
}

// Takes the trailing furniture off `paras`, from the bottom up: disclaimer,
// bio, byline; the author comes from the byline, else from the bio lines.
void strip_furniture(std::vector<Line>& paras, Article& article, TextArticle& result) {
    if (!paras.empty() && starts_with_ci(paras.back().text, "disclaimer:")) {
        paras.pop_back();
        result.disclaimer = true;
    }
    std::string bio;              // the first bio line
    std::vector<std::string> bios; // all of them, bottom up
    while (!paras.empty() && starts_with_bullet(paras.back().text)) {
        bio = strip_bullet(paras.back().text);
        bios.push_back(bio);
        paras.pop_back();
        result.bio = true;
    }
    if (paras.size() >= 2 && looks_like_name(paras.back().text)) {
        std::string name = strip_by(paras.back().text);
        bool named_in_bio = !bio.empty() && bio.starts_with(name);
        bool explicit_by = starts_with_ci(paras.back().text, "by ");
        std::size_t words = static_cast<std::size_t>(std::count(name.begin(), name.end(), ' ')) + 1;
        // Without a bio or disclaimer to vouch for it, a one-word last line is
        // more likely a body fragment ("Enough.") than a byline.
        if (named_in_bio || explicit_by || result.bio || result.disclaimer || words >= 2) {
            article.author = name;
            paras.pop_back();
            result.byline = true;
        }
    }

    // Pages saved from news sites often name the writer only in the bio:
    // "• Andrew Hammond is an Associate at LSE IDEAS ...".
    if (!result.byline && !bios.empty()) {
        std::vector<std::string> names;
        for (auto it = bios.rbegin(); it != bios.rend(); ++it) {
            std::string name = bio_name(*it);
            if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        }
        for (std::size_t k = 0; k < names.size(); ++k) {
            article.author += (k == 0 ? "" : k + 1 == names.size() ? " and " : ", ") + names[k];
        }
        result.bio_byline = !names.empty();
    }
}

// Drops pull quotes from `paras`: a paragraph near the end that repeats text
// found earlier.
void drop_pull_quotes(std::vector<Line>& paras, TextArticle& result) {
    if (paras.size() >= 2) {
        std::size_t window_start = paras.size() > kPullQuoteWindow ? paras.size() - kPullQuoteWindow : 1;
        for (std::size_t k = paras.size(); k-- > window_start;) {
            std::string key = repeat_key(paras[k].text);
            if (key.size() < kMinPullQuoteBytes) continue;
            bool repeated = false;
            for (std::size_t m = 0; m < k && !repeated; ++m) {
                repeated = repeat_key(paras[m].text).find(key) != std::string::npos;
            }
            if (repeated) {
                paras.erase(paras.begin() + static_cast<std::ptrdiff_t>(k));
                result.pull_quote = true;
            }
        }
    }
}

// The header block's values, which win over what the text says.
void apply_headers(const std::vector<std::pair<Header, std::size_t>>& headers, const std::string& path, Article& article,
                   TextArticle& result) {
    for (const auto& [header, number] : headers) {
        if (header.key == "title") {
            article.title = header.value;
        } else if (header.key == "author") {
            article.author = header.value;
        } else if (header.key == "source") {
            article.source = header.value;
        } else if (header.key == "url") {
            article.url = header.value;
        } else if (header.key == "id") {
            article.id = header.value;
        } else if (header.key == "language") {
            article.language = lower_ascii(header.value);
        } else if (header.key == "date") {
            if (auto date = parse_iso_date(header.value)) {
                article.date = *date;
            } else {
                result.diagnostics.push_back(Diagnostic{
                    path, number, Severity::warning,
                    "unrecognised date '" + header.value +
                        "' (expected YYYY-MM-DD between " + std::to_string(kMinYear) + " and " +
                        std::to_string(kMaxYear) + "); indexed without a date"});
            }
        }
    }
}

} // namespace

TextArticle read_text_article(std::string_view text, const std::string& path) {
    TextArticle result;
    const std::vector<Line> lines = split_lines(text);
    // Header block: consecutive "Key: value" lines of known keys at the very
    // top, closed by a blank line (or the end of the file).
    std::size_t i = 0;
    const std::vector<std::pair<Header, std::size_t>> headers = read_header_block(lines, i);

    std::vector<Line> paras;
    for (; i < lines.size(); ++i) {
        if (!lines[i].text.empty()) paras.push_back(lines[i]);
    }

    Article& article = result.article.emplace();
    article.origin_path = path;
    article.origin_line = paras.empty() ? 1 : paras.front().number;

    if (!paras.empty()) {
        article.title = paras.front().text;
        paras.erase(paras.begin());
        if (!paras.empty() && repeat_key(paras.front().text) == repeat_key(article.title)) {
            paras.erase(paras.begin());
            result.repeated_headline = true;
        }
    }

    strip_furniture(paras, article, result);

    drop_pull_quotes(paras, result);

    for (const Line& para : paras) {
        if (!article.body.empty()) article.body += "\n\n";
        article.body += para.text;
    }

    apply_headers(headers, path, article, result);

    if (!has_visible_text(article.title) && paras.empty() && headers.empty()) {
        result.diagnostics.push_back(Diagnostic{path, lines.empty() ? 0u : 1u, Severity::error,
                                                "empty file: no headline or text"});
        result.article.reset();
        return result;
    }
    // A headline left empty (an empty Title: header) is made from the body
    // when the article is delivered (InputReader).
    if (has_visible_text(article.title) && article.body.empty()) {
        result.diagnostics.push_back(Diagnostic{path, article.origin_line, Severity::warning,
                                                "article has a headline but no body text"});
    }
    return result;
}

} // namespace pundit
