#include "pundit/entity_resolution.hpp"

#include <algorithm>
#include <cstdint>

#include "pundit/error.hpp"
#include "pundit/schema.hpp"
#include "pundit/text_format.hpp"

namespace pundit {
namespace {

// Up to kListedNamesakes of `items`, then how many more:
// "A, B, C and 10 more", or "A, B and C" with `last_joined_by` " and ".
std::string list_some(const std::vector<std::string>& items, const char* last_joined_by) {
    const std::size_t shown = std::min(items.size(), kListedNamesakes);
    std::string out;
    for (std::size_t i = 0; i < shown; ++i) {
        if (i > 0) out += i + 1 == shown && shown == items.size() ? last_joined_by : ", ";
        out += items[i];
    }
    if (shown < items.size()) out += " and " + format_count(items.size() - shown) + " more";
    return out;
}

// "Barack Obama (5 articles)" for the first namesake of a list,
// "Tony Brown (0)" for those after it.
std::vector<std::string> with_counts(std::vector<Namesake>::const_iterator begin,
                                     std::vector<Namesake>::const_iterator end, bool first_of_list) {
    std::vector<std::string> out;
    for (auto it = begin; it != end; ++it) {
        std::string count = format_count(it->articles);
        if (first_of_list && out.empty()) count += it->articles == 1 ? " article" : " articles";
        out.push_back(it->entity->name + " (" + count + ")");
    }
    return out;
}

// `text` as one word for a POSIX shell: 'hillary clinton', 'o'\''neill'.
std::string shell_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// The leaders whose surname is the run of `name`'s words after its first
// ("clinton" in "hillary clinton", "rodham clinton" and "clinton" in
// "hillary rodham clinton"), or before its last for a leader whose family
// name comes first ("xi" in "xi mingze", for Xi Jinping; but not "gordon"
// in "gordon smith" for Pamela Gordon), by canonical name. Empty for a
// single word.
std::vector<const Entity*> surname_holders(const Gazetteer& gazetteer, EntityKind kind, const std::string& name,
                                           Normaliser& normaliser) {
    const std::vector<Token> words = normaliser.tokenise(name);
    std::vector<const Entity*> out;
    auto add = [&](const std::string& run, bool family_name_first) {
        for (const Entity* e : gazetteer.with_surname(kind, run, normaliser)) {
            if (e->surname_first == family_name_first && std::find(out.begin(), out.end(), e) == out.end()) {
                out.push_back(e);
            }
        }
    };
    for (std::size_t i = 1; i < words.size(); ++i) {
        add(name.substr(words[i].begin), false);
        add(name.substr(0, words[i - 1].end), true);
    }
    std::sort(out.begin(), out.end(), [](const Entity* a, const Entity* b) { return a->name < b->name; });
    return out;
}

// Whether a name `edits` away from `name` is a plausible typo of it
// (kLettersPerTypo).
bool within_typo(const std::string& name, std::size_t edits, Normaliser& normaliser) {
    const std::string key = lookup_key(normaliser, name);
    std::size_t letters = 0;
    for (Xapian::Utf8Iterator it(key), end; it != end; ++it) ++letters;
    return edits <= std::max<std::size_t>(1, letters / kLettersPerTypo);
}

[[noreturn]] void throw_unknown(const Gazetteer& gazetteer, EntityKind kind, const std::string& name,
                                Normaliser& normaliser) {
    const std::vector<NameSuggestion> near = gazetteer.suggest(kind, name, kSuggestedNames, normaliser);
    if (near.empty() || !within_typo(name, near.front().edits, normaliser)) {
        const std::vector<const Entity*> holders = surname_holders(gazetteer, kind, name, normaliser);
        if (!holders.empty()) {
            std::vector<std::string> names;
            for (const Entity* e : holders) names.push_back(e->name);
            throw Error(ErrorKind::query, "'" + name + "' is not in the " + entity_kind_noun(kind) + " gazetteer (it has " +
                                              list_some(names, " and ") +
                                              "); search the words instead: searcher " + shell_quoted(name));
        }
    }
    std::string message = std::string("unknown ") + entity_kind_noun(kind) + " '" + name + "'";
    if (!near.empty()) {
        message += "; did you mean ";
        for (std::size_t i = 0; i < near.size(); ++i) {
            message += (i == 0 ? "" : i + 1 == near.size() ? " or " : ", ") + near[i].name;
        }
        message += "?";
    }
    throw Error(ErrorKind::query, message);
}

} // namespace

std::vector<Namesake> count_articles(const std::vector<const Entity*>& entities, const Xapian::Database& db) {
    std::vector<Namesake> out;
    for (const Entity* e : entities) {
        const std::string term = std::string(schema::kEntityPrefixes[static_cast<std::size_t>(e->kind)]) + e->id;
        out.push_back(Namesake{e, db.get_termfreq(term)});
    }
    std::sort(out.begin(), out.end(), [](const Namesake& a, const Namesake& b) {
        return a.articles != b.articles ? a.articles > b.articles : a.entity->name < b.entity->name;
    });
    return out;
}

bool dominates(const std::vector<Namesake>& namesakes) {
    if (namesakes.size() < 2) return !namesakes.empty();
    // In 64 bits: ten times a 32-bit count may not fit in 32.
    return std::uint64_t{namesakes[0].articles} > std::uint64_t{kDominantShare} * namesakes[1].articles;
}

EntityResolution resolve_entity_name(const Gazetteer& gazetteer, EntityKind kind, const std::string& name,
                                     const Xapian::Database& db, Normaliser& normaliser) {
    const std::vector<const Entity*> found = gazetteer.resolve(kind, name, normaliser);
    if (found.empty()) throw_unknown(gazetteer, kind, name, normaliser);
    if (found.size() == 1) return EntityResolution{found.front(), ""};
    const std::vector<Namesake> namesakes = count_articles(found, db);
    if (!dominates(namesakes)) {
        throw Error(ErrorKind::query, "'" + name + "' could be several " + entity_kind_plural(kind) + ": " +
                                          list_some(with_counts(namesakes.begin(), namesakes.end(), true), ", ") +
                                          "; give the full name");
    }
    const std::string chosen = with_counts(namesakes.begin(), namesakes.begin() + 1, true).front();
    const std::vector<std::string> others = with_counts(namesakes.begin() + 1, namesakes.end(), false);
    return EntityResolution{namesakes.front().entity, "'" + name + "' taken as " + chosen + "; also " +
                                                          list_some(others, ", ") +
                                                          ": give a full name to choose another"};
}

} // namespace pundit
