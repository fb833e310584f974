// What an article is tagged with: an entity of some kind, how often the
// article mentions it and whether it is a main subject. Produced by
// entity_extractor.hpp, stored with the article, shown and counted by the
// searcher.
#pragma once

#include <string>

namespace pundit {

enum class EntityKind { leader, country, organisation };

// "leader", "country", "org"; and back (throws Error(query) for other names).
const char* entity_kind_name(EntityKind kind);
EntityKind parse_entity_kind(const std::string& name);

// The kind as a word of a message, and its plural: "leader" and "leaders",
// "country" and "countries", "organisation" and "organisations".
const char* entity_kind_noun(EntityKind kind);
const char* entity_kind_plural(EntityKind kind);

struct EntityTag {
    EntityKind kind = EntityKind::leader;
    std::string id;     // gazetteer id
    std::string name;   // canonical display name
    unsigned count = 0; // mentions in the article
    bool main = false;  // named in the headline or the first paragraph
};

} // namespace pundit
