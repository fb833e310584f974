#include "pundit/gazetteer.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string_view>

#include <xapian.h>

#include "pundit/edit_distance.hpp"
#include "pundit/error.hpp"
#include "pundit/schema.hpp"

#ifndef PUNDIT_GAZETTEER_INSTALL_DIR
#define PUNDIT_GAZETTEER_INSTALL_DIR ""
#endif
#ifndef PUNDIT_GAZETTEER_SOURCE_DIR
#define PUNDIT_GAZETTEER_SOURCE_DIR ""
#endif

namespace pundit {
namespace {

namespace fs = std::filesystem;

// The whole of a gazetteer file.
std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw Error(ErrorKind::input, "cannot read gazetteer file '" + path.string() + "'");
    std::string content(static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg())), '\0');
    in.seekg(0);
    if (!in.read(content.data(), static_cast<std::streamsize>(content.size()))) {
        throw Error(ErrorKind::input, "cannot read gazetteer file '" + path.string() + "'");
    }
    return content;
}

// Splits `line` at `sep` into `out`, reusing its strings' storage: a
// searcher loads the gazetteer for each entity filter, and allocating each
// field of its 8,000 rows anew was a third of that.
void split_into(std::string_view line, char sep, std::vector<std::string>& out) {
    std::size_t n = 0;
    for (std::size_t start = 0;; ++n) {
        const std::size_t at = line.find(sep, start);
        const std::string_view field = line.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start);
        if (n < out.size()) out[n].assign(field);
        else out.emplace_back(field);
        if (at == std::string_view::npos) break;
        start = at + 1;
    }
    out.resize(n + 1);
}

// The items of a '|'-separated list field, without empty ones.
std::vector<std::string> split_list(std::string_view field) {
    std::vector<std::string> out;
    split_into(field, '|', out);
    std::erase_if(out, [](const std::string& item) { return item.empty(); });
    return out;
}

// Reads the data rows of `content`, the TSV file `path` holds: skips '#'
// comments, blank lines and the header (the first row, whose first column is
// `header`). Calls `row` with the fields and the 1-based line number.
template <typename RowFn>
std::string parse_tsv(const fs::path& path, const std::string& content, const std::string& header,
                      std::size_t columns, RowFn row) {
    std::string version;
    std::vector<std::string> fields;
    std::size_t number = 0;
    bool seen_header = false;
    for (std::size_t start = 0; start < content.size();) {
        std::size_t end = content.find('\n', start);
        if (end == std::string::npos) end = content.size();
        std::string_view line(content.data() + start, end - start);
        start = end + 1;
        ++number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        if (line[0] == '#') {
            constexpr std::string_view kVersionTag = "# version:";
            if (line.starts_with(kVersionTag)) {
                version = line.substr(kVersionTag.size());
                version.erase(0, version.find_first_not_of(' '));
            }
            continue;
        }
        split_into(line, '\t', fields);
        if (!seen_header && fields[0] == header) {
            seen_header = true;
            continue;
        }
        if (fields.size() != columns) {
            throw Error(ErrorKind::input, path.string() + ":" + std::to_string(number) + ": expected " +
                                              std::to_string(columns) + " tab-separated columns, found " +
                                              std::to_string(fields.size()));
        }
        row(fields, number);
    }
    return version;
}

// parse_tsv of the file at `path`.
template <typename RowFn>
std::string read_tsv(const fs::path& path, const std::string& header, std::size_t columns, RowFn row) {
    return parse_tsv(path, read_file(path), header, columns, row);
}

// The lines of a file's contents, an upper bound on its rows.
std::size_t count_lines(const std::string& content) {
    return 1 + static_cast<std::size_t>(std::count(content.begin(), content.end(), '\n'));
}

std::vector<std::string> read_lines(const fs::path& path) {
    std::ifstream in(path);
    if (!in) throw Error(ErrorKind::input, "cannot read gazetteer file '" + path.string() + "'");
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        out.push_back(line);
    }
    return out;
}

// resolve()'s last resort for a name the gazetteer lists in no single form
// ("Moammar Khadafy": the alias "Moammar Gadhafi", the surname "Khadafy"): the
// entities one of whose surnames is the last word of `text` and one of whose
// names of several words opens with its first word.
std::vector<const Entity*> given_name_and_surname(const std::vector<Entity>& entities,
                                                  const Gazetteer::KeyTable& surnames, const std::string& text,
                                                  Normaliser& normaliser) {
    std::vector<const Entity*> out;
    const std::vector<Token> words = normaliser.tokenise(text);
    if (words.size() < 2) return out;
    const std::string given = lookup_key(normaliser, words.front().text);
    for (const auto& [key, i] : surnames.find(lookup_key(normaliser, words.back().text))) {
        for (const std::string& alias : entities[i].aliases) {
            const std::vector<Token> alias_words = normaliser.tokenise(alias);
            if (alias_words.size() >= 2 && lookup_key(normaliser, alias_words.front().text) == given) {
                out.push_back(&entities[i]);
                break;
            }
        }
    }
    return out;
}

// The columns of each gazetteer file, in order; `count` is how many a row has.
// leaders.tsv: id, canonical name, surnames, aliases, names in the native script.
namespace leader_column {
enum : std::size_t { id, name, surnames, aliases, native, count };
}
// leader_terms.tsv: leader id, country, role, title, first and last day (empty: in office).
namespace term_column {
enum : std::size_t { id, country, role, title, start, end, count };
}
// countries.tsv: code, name, official name, aliases, demonyms, capitals.
namespace country_column {
enum : std::size_t { code, name, official, aliases, demonyms, capitals, count };
}
// organisations.tsv: id, name, aliases, kind.
namespace organisation_column {
enum : std::size_t { id, name, aliases, kind, count };
}
// rules/honorifics.tsv and rules/given_names.tsv: the word, its sex.
namespace sex_rule_column {
enum : std::size_t { word, sex, count };
}
// rules/titles.tsv: a title, the family of offices it names ("President|Head of State").
namespace title_column {
enum : std::size_t { title, family, count };
}
// rules/historical_countries.tsv: code, last day, successor's code.
namespace historical_column {
enum : std::size_t { code, ended, successor, count };
}
// rules/organisation_dates.tsv: id, founding day.
namespace organisation_date_column {
enum : std::size_t { id, since, count };
}

} // namespace

const char* entity_kind_name(EntityKind kind) {
    const auto k = static_cast<std::size_t>(kind);
    return k < schema::kEntityKinds.size() ? schema::kEntityKinds[k].field.data() : "?";
}

const char* entity_kind_noun(EntityKind kind) {
    const auto k = static_cast<std::size_t>(kind);
    return k < schema::kEntityKinds.size() ? schema::kEntityKinds[k].noun.data() : "entity";
}

const char* entity_kind_plural(EntityKind kind) {
    const auto k = static_cast<std::size_t>(kind);
    return k < schema::kEntityKinds.size() ? schema::kEntityKinds[k].plural.data() : "entities";
}

EntityKind parse_entity_kind(const std::string& name) {
    std::string expected;
    for (std::size_t k = 0; k < schema::kEntityKinds.size(); ++k) {
        if (name == schema::kEntityKinds[k].field) return static_cast<EntityKind>(k);
        expected += std::string(k == 0 ? "" : k + 1 == schema::kEntityKinds.size() ? " or " : ", ") +
                    std::string(schema::kEntityKinds[k].field);
    }
    throw Error(ErrorKind::query, "unknown entity kind '" + name + "' (expected " + expected + ")");
}

std::uint32_t parse_term_date(const std::string& text, bool end) {
    auto digits = [&](std::size_t pos, std::size_t n) {
        if (pos + n > text.size()) return -1;
        int v = 0;
        for (std::size_t i = pos; i < pos + n; ++i) {
            if (text[i] < '0' || text[i] > '9') return -1;
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    int year = digits(0, 4);
    if (year < 0) return 0;
    int month = end ? 12 : 1, day = end ? 31 : 1;
    if (text.size() >= 7) {
        if (text[4] != '-' || (month = digits(5, 2)) < 1 || month > 12) return 0;
        if (end) day = 31;
    }
    if (text.size() >= 10) {
        if (text[7] != '-' || (day = digits(8, 2)) < 1 || day > 31) return 0;
    }
    if (text.size() != 4 && text.size() != 7 && text.size() != 10) return 0;
    return static_cast<std::uint32_t>(year * 10000 + month * 100 + day);
}

std::string lookup_key(Normaliser& normaliser, const std::string& text) {
    // ASCII, as most names are: its letters and digits, lower-cased, which
    // is what the folding below gives them, without its three copies.
    if (std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
        std::string key;
        key.reserve(text.size());
        for (char c : text) {
            if (c >= 'A' && c <= 'Z') key += static_cast<char>(c - 'A' + 'a');
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) key += c;
        }
        return key;
    }
    // The letters and digits, folded as a whole rather than segmented: the
    // key joins the words anyway, and segmenting native-script names costs
    // ICU's dictionaries milliseconds. Punctuation goes first, so that a
    // middle dot never calls up the Latin-ASCII transliterator.
    std::string letters;
    letters.reserve(text.size());
    for (Xapian::Utf8Iterator it(text), end; it != end; ++it) {
        const unsigned ch = *it;
        if (ch != '_' && Xapian::Unicode::is_wordchar(ch)) Xapian::Unicode::append_utf8(letters, ch);
    }
    const std::string folded = normaliser.fold_word(letters);
    std::string key;
    key.reserve(folded.size());
    for (Xapian::Utf8Iterator it(folded), end; it != end; ++it) {
        const unsigned ch = *it;
        if (ch != '_' && Xapian::Unicode::is_wordchar(ch)) Xapian::Unicode::append_utf8(key, ch);
    }
    return key;
}

std::string Gazetteer::locate(const std::optional<std::string>& explicit_dir) {
    if (explicit_dir && !explicit_dir->empty()) return *explicit_dir;
    if (const char* env = std::getenv("PUNDIT_GAZETTEER"); env && *env) return env;
    std::error_code ec;
    for (const char* candidate : {PUNDIT_GAZETTEER_SOURCE_DIR, PUNDIT_GAZETTEER_INSTALL_DIR}) {
        if (*candidate && fs::exists(fs::path(candidate) / "leaders.tsv", ec)) return candidate;
    }
    throw Error(ErrorKind::input, "cannot find the gazetteer (leaders.tsv and friends); "
                                  "give its directory with --gazetteer DIR or PUNDIT_GAZETTEER");
}

std::vector<CountryForms> Gazetteer::load_country_forms(const std::string& dir_name) {
    std::vector<CountryForms> out;
    read_tsv(fs::path(dir_name) / "countries.tsv", "code", country_column::count,
             [&](const std::vector<std::string>& f, std::size_t) {
                 out.push_back(CountryForms{f[country_column::name], split_list(f[country_column::demonyms])});
             });
    return out;
}

namespace {

// Term titles that say a monarch's sex ("King", "Queen").
Sex sex_of_title(const std::string& title) {
    static const char* const kMale[] = {"King", "Emperor", "Sultan", "Emir", "Shah", "Pope", "Grand Duke"};
    static const char* const kFemale[] = {"Queen", "Empress", "Grand Duchess"};
    for (const char* word : kFemale) {
        if (title.find(word) != std::string::npos) return Sex::female;
    }
    for (const char* word : kMale) {
        if (title.find(word) != std::string::npos) return Sex::male;
    }
    return Sex::unknown;
}

Sex parse_sex(const std::string& text, const fs::path& path, std::size_t line) {
    if (text == "f") return Sex::female;
    if (text == "m") return Sex::male;
    throw Error(ErrorKind::input, path.string() + ":" + std::to_string(line) + ": sex must be f or m");
}

} // namespace

// The sex of honorifics and given names, and of each leader: a monarch's by
// the title, anyone else's by the first word of the name (a family name
// opens some names, and says nothing).
void Gazetteer::read_sex_rules(const std::string& dir_name, Gazetteer& g, Normaliser& normaliser) {
    const fs::path dir(dir_name);
    const fs::path honorifics = dir / "rules" / "honorifics.tsv";
    read_tsv(honorifics, "honorific", sex_rule_column::count, [&](const std::vector<std::string>& f, std::size_t line) {
        g.m_honorific_sex[normaliser.normalise(f[sex_rule_column::word])] =
            parse_sex(f[sex_rule_column::sex], honorifics, line);
    });
    const fs::path given_names = dir / "rules" / "given_names.tsv";
    read_tsv(given_names, "name", sex_rule_column::count, [&](const std::vector<std::string>& f, std::size_t line) {
        g.m_given_name_sex[normaliser.normalise(f[sex_rule_column::word])] =
            parse_sex(f[sex_rule_column::sex], given_names, line);
    });
    for (Entity& e : g.m_entities) {
        if (e.kind != EntityKind::leader) continue;
        for (const LeaderTerm& t : e.terms) {
            if (Sex s = sex_of_title(t.title); s != Sex::unknown) e.sex = s;
        }
        std::vector<Token> words = normaliser.tokenise(e.name);
        if (e.sex == Sex::unknown && !e.surname_first && words.size() > 1) e.sex = g.given_name_sex(words[0].text);
    }
}

Sex Gazetteer::honorific_sex(const std::string& key) const {
    auto it = m_honorific_sex.find(key);
    return it == m_honorific_sex.end() ? Sex::unknown : it->second;
}

Sex Gazetteer::given_name_sex(const std::string& key) const {
    auto it = m_given_name_sex.find(key);
    return it == m_given_name_sex.end() ? Sex::unknown : it->second;
}

bool held_office(const Entity& leader, const std::string& family) {
    std::size_t from = 0;
    while (from <= family.size()) {
        std::size_t bar = std::min(family.find('|', from), family.size());
        std::string_view word(family.data() + from, bar - from);
        for (const LeaderTerm& t : leader.terms) {
            if (!word.empty() && t.title.find(word) != std::string::npos) return true;
        }
        from = bar + 1;
    }
    return false;
}

std::shared_ptr<Gazetteer> Gazetteer::read_entities(const std::string& dir_name, bool all_terms) {
    std::shared_ptr<Gazetteer> g(new Gazetteer);
    const fs::path dir(dir_name);
    const std::string leaders = read_file(dir / "leaders.tsv");
    const std::string countries = read_file(dir / "countries.tsv");
    const std::string organisations = read_file(dir / "organisations.tsv");
    // Room for every entity at once, a row a line at most: growing the
    // vector moved them all some twelve times.
    g->m_entities.reserve(count_lines(leaders) + count_lines(countries) + count_lines(organisations));
    read_leaders(dir_name, leaders, *g, all_terms);
    read_countries(dir_name, countries, *g);
    read_organisations(dir_name, organisations, *g);
    make_names_unique(*g);
    return g;
}

std::shared_ptr<const Gazetteer> Gazetteer::load_names(const std::string& dir_name) {
    return read_entities(dir_name, false);
}

std::shared_ptr<const Gazetteer> Gazetteer::load(const std::string& dir_name) {
    std::shared_ptr<Gazetteer> g = read_entities(dir_name, true);
    Normaliser normaliser;
    read_titles(dir_name, *g, normaliser);
    read_historical_countries(dir_name, *g);
    read_sex_rules(dir_name, *g, normaliser);
    read_organisation_dates(dir_name, *g);
    read_word_lists(dir_name, *g, normaliser);
    return g;
}

void Gazetteer::read_leaders(const std::string& dir_name, const std::string& leaders, Gazetteer& g,
                             bool all_terms) {
    const fs::path dir(dir_name);
    std::unordered_map<std::string, std::size_t> leader_index;
    g.m_version = parse_tsv(dir / "leaders.tsv", leaders, "id", leader_column::count,
                            [&](const std::vector<std::string>& f, std::size_t) {
        Entity e;
        e.kind = EntityKind::leader;
        e.id = f[leader_column::id];
        e.name = f[leader_column::name];
        e.surnames = split_list(f[leader_column::surnames]);
        e.aliases.push_back(f[leader_column::name]);
        for (auto& a : split_list(f[leader_column::aliases])) e.aliases.push_back(std::move(a));
        for (auto& a : split_list(f[leader_column::native])) e.aliases.push_back(std::move(a));
        e.widely_covered = !f[leader_column::native].empty();
        // "Xi Jinping": the family name opens the canonical name.
        for (const std::string& s : e.surnames) {
            if (e.name.size() > s.size() && e.name.starts_with(s + " ")) e.surname_first = true;
        }
        if (all_terms) leader_index[e.id] = g.m_entities.size();
        g.m_entities.push_back(std::move(e));
    });
    if (g.m_version.empty()) {
        throw Error(ErrorKind::input, (dir / "leaders.tsv").string() + ": no '# version:' line");
    }
    if (!all_terms) {
        // The leaders whose canonical names others share: make_names_unique
        // tells them apart by the country of their first term.
        std::vector<std::size_t> by_name(g.m_entities.size());
        for (std::size_t i = 0; i < by_name.size(); ++i) by_name[i] = i;
        std::sort(by_name.begin(), by_name.end(),
                  [&](std::size_t a, std::size_t b) { return g.m_entities[a].name < g.m_entities[b].name; });
        for (std::size_t k = 0; k < by_name.size(); ++k) {
            const std::string& name = g.m_entities[by_name[k]].name;
            if ((k > 0 && g.m_entities[by_name[k - 1]].name == name) ||
                (k + 1 < by_name.size() && g.m_entities[by_name[k + 1]].name == name)) {
                leader_index[g.m_entities[by_name[k]].id] = by_name[k];
            }
        }
    }
    read_tsv(dir / "leader_terms.tsv", "id", term_column::count, [&](const std::vector<std::string>& f, std::size_t line) {
        auto it = leader_index.find(f[term_column::id]);
        if (it == leader_index.end() && !all_terms) return;
        std::string where = (dir / "leader_terms.tsv").string() + ":" + std::to_string(line) + ": ";
        if (it == leader_index.end()) {
            throw Error(ErrorKind::input, where + "unknown leader id '" + f[term_column::id] + "'");
        }
        LeaderTerm term{f[term_column::country], f[term_column::role], f[term_column::title],
                        parse_term_date(f[term_column::start], false),
                        f[term_column::end].empty() ? kInOffice : parse_term_date(f[term_column::end], true)};
        if (term.start == 0 || term.end == 0) throw Error(ErrorKind::input, where + "malformed date");
        g.m_entities[it->second].terms.push_back(std::move(term));
    });
}

void Gazetteer::read_countries(const std::string& dir_name, const std::string& countries, Gazetteer& g) {
    const fs::path dir(dir_name);
    parse_tsv(dir / "countries.tsv", countries, "code", country_column::count,
              [&](const std::vector<std::string>& f, std::size_t) {
        Entity e;
        e.kind = EntityKind::country;
        e.id = f[country_column::code];
        std::transform(e.id.begin(), e.id.end(), e.id.begin(), [](unsigned char c) { return std::tolower(c); });
        e.name = f[country_column::name];
        e.aliases.push_back(f[country_column::name]);
        if (!f[country_column::official].empty()) e.aliases.push_back(f[country_column::official]);
        // A country is also named by its demonyms and its capitals ("Moscow said").
        for (std::size_t col : {country_column::aliases, country_column::demonyms, country_column::capitals}) {
            for (auto& a : split_list(f[col])) e.aliases.push_back(std::move(a));
        }
        e.capitals = split_list(f[country_column::capitals]);
        e.demonyms = split_list(f[country_column::demonyms]);
        g.m_entities.push_back(std::move(e));
    });
}

void Gazetteer::read_organisations(const std::string& dir_name, const std::string& organisations, Gazetteer& g) {
    const fs::path dir(dir_name);
    parse_tsv(dir / "organisations.tsv", organisations, "id", organisation_column::count,
              [&](const std::vector<std::string>& f, std::size_t) {
        Entity e;
        e.kind = EntityKind::organisation;
        e.id = f[organisation_column::id];
        e.name = f[organisation_column::name];
        e.aliases.push_back(f[organisation_column::name]);
        for (auto& a : split_list(f[organisation_column::aliases])) e.aliases.push_back(std::move(a));
        g.m_entities.push_back(std::move(e));
    });
}

void Gazetteer::make_names_unique(Gazetteer& g) {
    std::set<std::pair<EntityKind, std::string>> names;
    for (Entity& e : g.m_entities) {
        if (!names.insert({e.kind, e.name}).second && e.kind == EntityKind::leader && !e.terms.empty()) {
            e.name += " (" + e.terms.front().country + ")";
            names.insert({e.kind, e.name});
        }
    }
}

void Gazetteer::read_titles(const std::string& dir_name, Gazetteer& g, Normaliser& normaliser) {
    const fs::path dir(dir_name);
    read_tsv(dir / "rules" / "titles.tsv", "title", title_column::count, [&](const std::vector<std::string>& f, std::size_t) {
        g.m_titles[normaliser.normalise(f[title_column::title])] = TitleRule{f[title_column::family]};
        // "Prime", "Minister", "Supreme": words of titles are not given names.
        for (const Token& word : normaliser.tokenise(f[title_column::title])) {
            g.m_not_names[word.text] = 1;
            g.m_not_names[word.text + "s"] = 1; // "Prime Ministers Zhao Ziyang and ..."
        }
    });
}

void Gazetteer::read_historical_countries(const std::string& dir_name, Gazetteer& g) {
    const fs::path dir(dir_name);
    read_tsv(dir / "rules" / "historical_countries.tsv", "code", historical_column::count,
             [&](const std::vector<std::string>& f, std::size_t line) {
        std::string id = f[historical_column::code], successor = f[historical_column::successor];
        for (std::string* s : {&id, &successor}) {
            std::transform(s->begin(), s->end(), s->begin(), [](unsigned char c) { return std::tolower(c); });
        }
        for (Entity& e : g.m_entities) {
            if (e.kind == EntityKind::country && e.id == id) {
                e.ended = parse_term_date(f[historical_column::ended], true);
                e.successor = successor;
                if (e.ended == 0) {
                    throw Error(ErrorKind::input, (dir / "rules" / "historical_countries.tsv").string() + ":" +
                                                      std::to_string(line) + ": malformed date");
                }
            }
        }
    });
}

void Gazetteer::read_organisation_dates(const std::string& dir_name, Gazetteer& g) {
    const fs::path dir(dir_name);
    read_tsv(dir / "rules" / "organisation_dates.tsv", "id", organisation_date_column::count,
             [&](const std::vector<std::string>& f, std::size_t line) {
        std::string where = (dir / "rules" / "organisation_dates.tsv").string() + ":" + std::to_string(line) + ": ";
        auto it = std::find_if(g.m_entities.begin(), g.m_entities.end(), [&](const Entity& e) {
            return e.kind == EntityKind::organisation && e.id == f[organisation_date_column::id];
        });
        if (it == g.m_entities.end()) {
            throw Error(ErrorKind::input, where + "unknown organisation id '" + f[organisation_date_column::id] + "'");
        }
        it->since = parse_term_date(f[organisation_date_column::since], false);
        if (it->since == 0) throw Error(ErrorKind::input, where + "malformed date");
    });
}

void Gazetteer::read_word_lists(const std::string& dir_name, Gazetteer& g, Normaliser& normaliser) {
    const fs::path dir(dir_name);
    for (const std::string& w : read_lines(dir / "rules" / "not_names.txt")) g.m_not_names[normaliser.normalise(w)] = 1;
    for (const std::string& w : read_lines(dir / "ambiguous.txt")) g.m_ambiguous[normaliser.normalise(w)] = 1;
    g.m_not_entities = read_lines(dir / "rules" / "not_entities.txt");
    for (const std::string& w : read_lines(dir / "rules" / "named_after.txt")) g.m_named_after[normaliser.normalise(w)] = 1;
    for (const std::string& w : read_lines(dir / "rules" / "company_nouns.txt")) g.m_company_nouns[normaliser.normalise(w)] = 1;
}

void Gazetteer::index_lookup_keys(EntityKind kind, Normaliser& normaliser) const {
    std::lock_guard<std::mutex> lock(m_lookup_mutex);
    Lookup& lookup = m_lookup[static_cast<std::size_t>(kind)];
    if (lookup.indexed) return;
    for (std::size_t i = 0; i < m_entities.size(); ++i) {
        const Entity& e = m_entities[i];
        if (e.kind != kind) continue;
        lookup.names.add(e.id, i);
        for (const std::string& a : e.aliases) lookup.names.add(lookup_key(normaliser, a), i);
        for (const std::string& s : e.surnames) lookup.surnames.add(lookup_key(normaliser, s), i);
    }
    lookup.names.finish();
    lookup.surnames.finish();
    lookup.indexed = true;
}

void Gazetteer::KeyTable::finish() {
    std::erase_if(m_entries, [](const Entry& entry) { return entry.first.empty(); });
    std::sort(m_entries.begin(), m_entries.end());
    m_entries.erase(std::unique(m_entries.begin(), m_entries.end()), m_entries.end());
}

std::span<const Gazetteer::KeyTable::Entry> Gazetteer::KeyTable::find(std::string_view key) const {
    auto first = std::lower_bound(m_entries.begin(), m_entries.end(), key,
                                  [](const Entry& entry, std::string_view k) { return entry.first < k; });
    auto last = first;
    while (last != m_entries.end() && last->first == key) ++last;
    return {first, last};
}

std::vector<const Entity*> Gazetteer::resolve(EntityKind kind, const std::string& text,
                                              Normaliser& normaliser) const {
    const std::string key = lookup_key(normaliser, text);
    // An id ("george-w-bush", "ru") is its own key; so is every alias. A
    // surname counts only when no name or alias matches.
    for (bool surnames : {false, true}) {
        std::vector<const Entity*> out = scan_keys(kind, text, key, surnames, normaliser);
        if (!out.empty()) return out;
    }
    index_lookup_keys(kind, normaliser);
    return given_name_and_surname(m_entities, m_lookup[static_cast<std::size_t>(kind)].surnames, text, normaliser);
}

std::vector<const Entity*> Gazetteer::scan_keys(EntityKind kind, const std::string& text, const std::string& key,
                                                bool surnames, Normaliser& normaliser) const {
    std::vector<const Entity*> by_text, by_key;
    for (const Entity& e : m_entities) {
        if (e.kind != kind) continue;
        bool text_matches = false, key_matches = false;
        auto compare = [&](const std::string& entry) {
            if (entry.empty()) return;
            text_matches = text_matches || entry == text;
            key_matches = key_matches || entry == key;
        };
        if (surnames) {
            for (const std::string& s : e.surnames) compare(lookup_key(normaliser, s));
        } else {
            compare(e.id);
            for (const std::string& a : e.aliases) compare(lookup_key(normaliser, a));
        }
        if (text_matches) by_text.push_back(&e);
        if (key_matches) by_key.push_back(&e);
    }
    // Those the text names as typed first, as the lookup tables give them.
    for (const Entity* e : by_key) {
        if (std::find(by_text.begin(), by_text.end(), e) == by_text.end()) by_text.push_back(e);
    }
    return by_text;
}

std::vector<const Entity*> Gazetteer::with_surname(EntityKind kind, const std::string& text,
                                                   Normaliser& normaliser) const {
    std::vector<const Entity*> out;
    index_lookup_keys(kind, normaliser);
    const Lookup& lookup = m_lookup[static_cast<std::size_t>(kind)];
    for (const auto& [key, i] : lookup.surnames.find(lookup_key(normaliser, text))) out.push_back(&m_entities[i]);
    return out;
}

std::vector<NameSuggestion> Gazetteer::suggest(EntityKind kind, const std::string& text, std::size_t count,
                                               Normaliser& normaliser) const {
    const std::string key = lookup_key(normaliser, text);
    index_lookup_keys(kind, normaliser);
    const Lookup& lookup = m_lookup[static_cast<std::size_t>(kind)];
    // Best distance per entity, over its name, aliases and surnames.
    std::unordered_map<const Entity*, std::size_t> best;
    for (const auto* table : {&lookup.names, &lookup.surnames}) {
        const std::string* alias = nullptr;
        std::size_t distance = std::string::npos;
        for (const auto& [entry_key, i] : table->entries()) {
            if (entry_key.find('-') != std::string::npos) continue; // an id, not something a person types
            const Entity* e = &m_entities[i];
            if (e->kind != kind) continue;
            if (!alias || *alias != entry_key) {
                alias = &entry_key;
                distance = edit_distance(key, entry_key);
            }
            auto [it, fresh] = best.emplace(e, distance);
            if (!fresh) it->second = std::min(it->second, distance);
        }
    }
    std::vector<std::pair<std::size_t, const Entity*>> scored;
    for (const auto& [e, distance] : best) scored.emplace_back(distance, e);
    std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
        // Equally close: the better-known leader first, then by name.
        if (a.first != b.first) return a.first < b.first;
        if (a.second->widely_covered != b.second->widely_covered) return a.second->widely_covered;
        return a.second->name < b.second->name;
    });
    std::vector<NameSuggestion> out;
    for (std::size_t i = 0; i < scored.size() && out.size() < count; ++i) {
        out.push_back(NameSuggestion{scored[i].second->name, scored[i].first});
    }
    return out;
}

} // namespace pundit
