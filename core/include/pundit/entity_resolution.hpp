// Resolves an entity filter value as the user typed it (--leader bush,
// country:moscow, --org opec) to the one gazetteer entity it means. A name
// that several entities share is settled by the index: the one with by far
// the most articles is taken, with a note that names the others; otherwise
// the error lists them with their article counts. A name the gazetteer does
// not know gets "did you mean" when it looks like a typo of a known name,
// and is said plainly not to be in the gazetteer when it only shares a
// leader's surname ("hillary clinton"). Not for finding entities in article
// text (entity_extractor.hpp), nor for looking a name up in the gazetteer
// alone (Gazetteer::resolve, which this builds on).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <xapian.h>

#include "pundit/entity.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/normaliser.hpp"

namespace pundit {

// A name several entities share is taken as the one with more than
// kDominantShare times the articles of the next (so at least one article
// when the next has none). Someone who types "bush" or "obama" means the one
// the archive is about: in the BBC News collection George W. Bush has 27
// articles and his father none, Gordon Brown 84 against none for the other
// Browns. With ten times the articles of any namesake, at most one article
// in eleven about that name is about another, and the note says how to pick
// it; counts closer than that (the two Bushes in an archive of the 1990s and
// 2000s) are a real choice, left to the user with the counts in front of them.
inline constexpr Xapian::doccount kDominantShare = 10;

// Namesakes named in a note or an error, most articles first; the rest are
// counted ("and 10 more"): "lee" names 18 leaders, and a line with all of
// them would bury the ones that matter.
inline constexpr std::size_t kListedNamesakes = 8;

// How many "did you mean" names an unknown name gets.
inline constexpr std::size_t kSuggestedNames = 3;

// A name of several words that the gazetteer does not know, but whose last
// words are a leader's surname (or whose first are, for a leader whose
// family name comes first: "xi mingze"), is taken for a typo of the nearest
// name when that is at most one edit per kLettersPerTypo letters away (at
// least one edit): "bil clinton" (1 edit in 10 letters) is Bill Clinton
// misspelt and gets "did you mean"; "hillary clinton" (4 edits from Bill
// Clinton in 14 letters) is someone else, who is not in the gazetteer.
inline constexpr std::size_t kLettersPerTypo = 5;

// An entity and the articles of an index tagged with it.
struct Namesake {
    const Entity* entity = nullptr;
    Xapian::doccount articles = 0;
};

// `entities` with the number of articles of `db` tagged with each (one term
// frequency each, over every shard, local or remote), most articles first,
// then by canonical name.
std::vector<Namesake> count_articles(const std::vector<const Entity*>& entities, const Xapian::Database& db);

// Whether the first of `namesakes` (as count_articles sorts them) has more
// than kDominantShare times the articles of the second. True for one alone.
bool dominates(const std::vector<Namesake>& namesakes);

struct EntityResolution {
    const Entity* entity = nullptr; // never null in a returned resolution
    // Set when `entity` was taken among namesakes for its article count:
    // "'bush' taken as George W. Bush (27 articles); also George H. W. Bush
    // (0), McKeeva Bush (0): give a full name to choose another".
    std::string note;
};

// The entity of `kind` that `name` names, by id, canonical name, alias or
// surname (Gazetteer::resolve), namesakes settled by their articles in `db`.
// Throws Error(query):
//   - several entities and none dominates: "'bush' could be several leaders:
//     George H. W. Bush (1 article), George W. Bush (1), McKeeva Bush (0);
//     give the full name";
//   - a name of several words, unknown, not a typo (kLettersPerTypo), with a
//     leader's surname: "'hillary clinton' is not in the leader gazetteer (it
//     has Bill Clinton); search the words instead: searcher 'hillary clinton'";
//   - any other unknown name: "unknown leader 'putn'; did you mean Vladimir
//     Putin, Hun Manet or William Ruto?".
EntityResolution resolve_entity_name(const Gazetteer& gazetteer, EntityKind kind, const std::string& name,
                                     const Xapian::Database& db, Normaliser& normaliser);

} // namespace pundit
