#include "writer_text.hpp"

#include <array>

namespace pundit {
namespace {

struct Span {
    std::size_t begin;
    std::size_t end;
};

// Honorifics that may open a bio's name: "Mr. Phillips is ...".
constexpr std::array<std::string_view, 8> kHonorifics{"Mr.", "Mr", "Mrs.", "Mrs", "Ms.", "Ms", "Dr.", "Dr"};
// Lower-case words inside a name: "Ursula von der Leyen".
constexpr std::array<std::string_view, 12> kParticles{"de", "da", "di", "du", "del", "van", "von",
                                                      "der", "den", "la", "le", "bin"};
// What follows the writer's name in a bio or a reporting credit. Not " was "
// nor an apposition (", the"): "Mike Moore, the WTO's director-general,
// welcomed China." closes news stories too.
constexpr std::array<std::string_view, 5> kBioVerbs{" is ", " has been ", " teaches ", " writes ", " contributed "};
// Words of a writer's trade, one of which a bio holds: a last paragraph
// "Mr. Trump is the nominee." is no bio.
constexpr std::array<std::string_view, 30> kBioRoles{
    "columnist", "contributor", "contributing", "professor",  "fellow",     "author",      "editor",
    "writer",    "director",    "correspondent", "reporter",  "reporting",  "journalist",  "analyst",
    "lecturer",  "researcher",  "scholar",      "founder",    "chair",      "chairman",    "chairwoman",
    "executive", "partner",     "attorney",     "economist",  "historian",  "strategist",  "consultant",
    "adviser",   "commentator"};
// Opening quotation marks and bullets before a bio: "• Jane Roe is ...".
constexpr std::array<std::string_view, 7> kBullets{"\xE2\x80\xA2", "\xE2\x80\x94", "\xE2\x80\x93", "*", "-", "_",
                                                   "\xC2\xB7"};

template <std::size_t N>
bool is_one_of(std::string_view word, const std::array<std::string_view, N>& list) {
    for (std::string_view w : list) {
        if (word == w) return true;
    }
    return false;
}

bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }

// The paragraphs of a body: its non-empty lines.
std::vector<Span> paragraphs(std::string_view body) {
    std::vector<Span> out;
    std::size_t start = 0;
    while (start < body.size()) {
        std::size_t end = body.find('\n', start);
        if (end == std::string_view::npos) end = body.size();
        std::size_t b = body.find_first_not_of(" \t\r", start);
        if (b != std::string_view::npos && b < end) {
            std::size_t e = body.find_last_not_of(" \t\r", end - 1) + 1;
            out.push_back(Span{b, e});
        }
        start = end + 1;
    }
    return out;
}

// The word of `text` at `at` (up to a space), or empty.
std::string_view word_at(std::string_view text, std::size_t at) {
    if (at >= text.size()) return {};
    std::size_t end = text.find(' ', at);
    return text.substr(at, (end == std::string_view::npos ? text.size() : end) - at);
}

// A name at `at`: up to kMaxWriterNameWords words, each capitalised, an
// initial ("L.") or a particle, separated by single spaces; a comma or colon
// ends it. Returns the byte after the name and sets `name`; `at` when there
// is none.
std::size_t read_name(std::string_view text, std::size_t at, std::string& name) {
    name.clear();
    std::string read; // the words so far, particles included
    std::size_t end = at, i = at;
    for (std::size_t words = 0; words < kMaxWriterNameWords; ++words) {
        std::string_view word = word_at(text, i);
        const bool stops = !word.empty() && (word.back() == ',' || word.back() == ':' || word.back() == ';');
        if (stops) word.remove_suffix(1);
        if (word.size() < 2) break;
        const bool initial = word.size() == 2 && is_ascii_upper(word[0]) && word[1] == '.';
        const bool particle = is_one_of(word, kParticles);
        const bool capitalised = is_ascii_upper(word[0]) || static_cast<unsigned char>(word[0]) >= 0xC0;
        // A full stop ends a sentence unless it closes an initial.
        const bool sentence_end = !initial && word.back() == '.';
        if ((!capitalised && !particle) || sentence_end || word.find_first_of("0123456789") != std::string_view::npos) {
            break;
        }
        read += (read.empty() ? "" : " ") + std::string(word);
        // A name ends on a capitalised word, not on a particle.
        if (!particle) {
            name = read;
            end = i + word.size();
        }
        if (stops) break;
        i += word.size() + 1;
    }
    return end;
}

// Names joined by " and " from `at`: "Jane Roe and John Doe". Returns the
// byte after the last one.
std::size_t read_names(std::string_view text, std::size_t at, std::vector<std::string>& names) {
    std::string name;
    std::size_t end = read_name(text, at, name);
    if (end == at) return at;
    names.push_back(name);
    while (text.substr(end, 5) == " and ") {
        std::size_t next = read_name(text, end + 5, name);
        if (next == end + 5) break;
        names.push_back(name);
        end = next;
    }
    return end;
}

std::size_t word_count(const std::string& name) {
    std::size_t words = 1;
    for (char c : name) words += c == ' ';
    return words;
}

// "By Jo Twist", "By Jane Roe and John Doe, Reuters": a short first or last
// paragraph naming people in full, not a sentence ("By Monday, it was over.").
bool read_byline(std::string_view para, std::vector<std::string>& names) {
    if (para.size() > kMaxBylineParagraphBytes || !(para.starts_with("By ") || para.starts_with("BY "))) {
        return false;
    }
    char last = para.back();
    if (last == '.' || last == '!' || last == '?' || last == '"') return false;
    std::vector<std::string> found;
    if (read_names(para, 3, found) == 3 || word_count(found.front()) < 2) return false;
    names.insert(names.end(), found.begin(), found.end());
    return true;
}

// One of the first kBioRoleWindow words of `text` is a word of the writer's
// trade: "is a senior fellow", "is co-author of", not "has been dropping in
// the polls, FBI Director James Comey said".
bool holds_role_word(std::string_view text) {
    std::size_t i = 0;
    for (std::size_t words = 0; i < text.size() && words < kBioRoleWindow; ++words) {
        while (i < text.size() && !is_ascii_upper(text[i]) && !is_ascii_lower(text[i])) ++i;
        std::size_t j = i;
        std::string word;
        while (j < text.size() && (is_ascii_upper(text[j]) || is_ascii_lower(text[j]))) {
            word += static_cast<char>(is_ascii_upper(text[j]) ? text[j] - 'A' + 'a' : text[j]);
            ++j;
        }
        if (is_one_of(std::string_view(word), kBioRoles)) return true;
        i = j;
    }
    return false;
}

// "Mr. Phillips is Director of ...", "• Jane Roe is a columnist ...", "John
// Doe contributed reporting.": a short paragraph that opens with a name, a
// verb of bios and holds a word of the writer's trade.
bool read_bio(std::string_view para, std::vector<std::string>& names) {
    if (para.size() > kMaxBioBytes) return false;
    std::size_t at = 0;
    for (std::string_view bullet : kBullets) {
        if (para.starts_with(bullet)) {
            at = para.find_first_not_of(' ', bullet.size());
            break;
        }
    }
    if (at == std::string_view::npos) return false;
    if (is_one_of(word_at(para, at), kHonorifics)) at += word_at(para, at).size() + 1;
    std::vector<std::string> found;
    std::size_t end = read_names(para, at, found);
    if (end == at) return false;
    bool verb = false;
    for (std::string_view v : kBioVerbs) verb = verb || para.substr(end, v.size()) == v;
    if (!verb || !holds_role_word(para.substr(end))) return false;
    names.insert(names.end(), found.begin(), found.end());
    return true;
}

// A comma and a closing quotation mark right before `at`, in either order:
// the end of the title of a piece whose credit follows. Without the comma a
// quotation is somebody's words ('"taken for granted" by Tony Blair').
bool after_quoted_title(std::string_view text, std::size_t at) {
    std::string_view before = text.substr(0, at);
    for (std::string_view end : {",\"", "\",", ",\xE2\x80\x9D", "\xE2\x80\x9D,"}) {
        if (before.ends_with(end)) return true;
    }
    return false;
}

// The credits of pieces cited in the body: '"Title," by The Wall Street
// Journal's Jennifer Smith:'. Either an outlet's possessive comes first or a
// colon follows the names: '"Rates," by Tony Blair, who ...' stays a
// mention.
void read_credits(std::string_view body, std::vector<std::pair<std::size_t, std::size_t>>& spans,
                  std::vector<std::string>& names) {
    for (std::size_t at = body.find("by "); at != std::string_view::npos; at = body.find("by ", at + 3)) {
        if (at == 0 || body[at - 1] != ' ' || !after_quoted_title(body, at - 1)) continue;
        std::size_t from = at + 3;
        // "The Wall Street Journal's": capitalised words up to a possessive.
        for (std::size_t i = from, words = 0; words < kMaxWriterNameWords; ++words) {
            std::string_view word = word_at(body, i);
            if (word.empty() || !(is_ascii_upper(word[0]) || word == "the" || word == "of")) break;
            if (word.ends_with("'s") || word.ends_with("\xE2\x80\x99s")) {
                from = i + word.size() + 1;
                break;
            }
            i += word.size() + 1;
        }
        std::vector<std::string> found;
        std::size_t end = read_names(body, from, found);
        bool outlet = from != at + 3, colon = end < body.size() && body[end] == ':';
        if (end == from || word_count(found.front()) < 2 || !(outlet || colon)) continue;
        spans.emplace_back(at, end);
        names.insert(names.end(), found.begin(), found.end());
    }
}

// The names in the author field: "By Jane Roe and John Doe", "Jane Roe, John Doe".
void read_author(const std::string& author, std::vector<std::string>& names) {
    std::string_view rest(author);
    if (rest.starts_with("By ") || rest.starts_with("by ")) rest.remove_prefix(3);
    while (!rest.empty()) {
        std::size_t cut = std::min(rest.find(','), rest.find(" and "));
        std::string_view part = rest.substr(0, cut);
        while (part.starts_with(" ")) part.remove_prefix(1);
        while (part.ends_with(" ")) part.remove_suffix(1);
        if (!part.empty()) names.emplace_back(part);
        if (cut == std::string_view::npos) break;
        rest.remove_prefix(cut + (rest[cut] == ',' ? 1 : 5));
    }
}

} // namespace

WriterText find_writer_text(std::string_view body, const std::string& author) {
    WriterText out;
    read_author(author, out.names);
    std::vector<Span> paras = paragraphs(body);
    for (std::size_t k = 0; k < paras.size(); ++k) {
        std::string_view para = body.substr(paras[k].begin, paras[k].end - paras[k].begin);
        bool first_or_last = k == 0 || k + 1 == paras.size();
        bool near_end = k + kBioParagraphs >= paras.size() && k > 0;
        if ((first_or_last && read_byline(para, out.names)) || (near_end && read_bio(para, out.names))) {
            out.spans.emplace_back(paras[k].begin, paras[k].end);
        }
    }
    read_credits(body, out.spans, out.names);
    return out;
}

} // namespace pundit
