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

[[noreturn]] void throw_unknown(const Gazetteer& gazetteer, EntityKind kind, const std::string& name,
                                Normaliser& normaliser) {
    std::string message = std::string("unknown ") + entity_kind_noun(kind) + " '" + name + "'";
    const std::vector<std::string> near = gazetteer.suggest(kind, name, kSuggestedNames, normaliser);
    if (!near.empty()) {
        message += "; did you mean ";
        for (std::size_t i = 0; i < near.size(); ++i) {
            message += (i == 0 ? "" : i + 1 == near.size() ? " or " : ", ") + near[i];
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
