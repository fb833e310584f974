// The index schema, in one place: term prefixes, value slots, field weights,
// the positional gap between fields and the schema version. The indexer
// (document_builder.cpp) and the searcher (query_builder.cpp) both read these
// tables; no prefix or slot literal appears anywhere else.
#pragma once

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include <xapian.h>

namespace pundit::schema {

// Bumped whenever a change to this file, the normaliser or the document layout
// makes old indexes give wrong answers. Stored in the index metadata under
// kVersionKey and checked on open.
inline constexpr int kVersion = 12;
inline constexpr std::string_view kVersionKey = "pundit.schema_version";
// The gazetteer version the articles were last tagged with.
inline constexpr std::string_view kGazetteerVersionKey = "pundit.gazetteer_version";
// How the index a shard belongs to is sharded: "hash N" (N shards, by a hash
// of the id) or "year" (a shard per year of the article's date). Written in
// every shard when it is created; absent from a single database and from
// shards written before it existed (which are hashed).
inline constexpr std::string_view kShardByKey = "pundit.shard_by";
// The gazetteer version whose names were added to the spelling table (on
// the first shard only; the spelling table holds normalised words).
inline constexpr std::string_view kSpellingGazetteerKey = "pundit.spelling_gazetteer";

// Boolean (filter) terms. Values are normalised before the prefix is added.
inline constexpr std::string_view kIdPrefix = "Q";            // unique article id, verbatim
inline constexpr std::string_view kLanguagePrefix = "L";            // "Len", "Lru", "Lzh"

// Entity tags: prefix + gazetteer id ("XLEADER:vladimir-putin", "XCOUNTRY:ru",
// "XORG:nato"), boolean (the mention count is in the stored data, not the
// wdf, which would lengthen the document for the weighting). Indexed by EntityKind.
inline constexpr std::array<std::string_view, 3> kEntityPrefixes{"XLEADER:", "XCOUNTRY:", "XORG:"};
// The names of each entity kind, indexed by EntityKind: the query-syntax
// name of its filter and facet (leader:putin, --facet org), the word for it
// in messages, and the plural (headings, and the JSON keys of a hit's
// entities). The parser, the printers, the gazetteer and the binaries'
// option checks all read this table.
struct EntityKindNames {
    std::string_view field;  // "org"
    std::string_view noun;   // "organisation"
    std::string_view plural; // "organisations"
};
inline constexpr std::array<EntityKindNames, 3> kEntityKinds{{
    {"leader", "leader", "leaders"},
    {"country", "country", "countries"},
    {"org", "organisation", "organisations"},
}};
// Query-syntax names of the entity filters, as in leader:putin; same order.
inline constexpr std::array<std::string_view, 3> kEntityFieldNames{kEntityKinds[0].field, kEntityKinds[1].field,
                                                                   kEntityKinds[2].field};

// The facets a search can count (searcher --facet), in the order they are
// listed: the entity kinds', then these.
inline constexpr std::array<std::string_view, 6> kFacetNames{kEntityKinds[0].field, kEntityKinds[1].field,
                                                            kEntityKinds[2].field, "author", "source", "year"};

// Field prefixes are capital letters (Xapian's convention): a term that
// starts with one is a prefixed term, any other a word of the general text
// (headline and body), which is folded to lower case.
constexpr bool is_prefixed(std::string_view term) { return !term.empty() && term.front() >= 'A' && term.front() <= 'Z'; }
// The least term that can be a spelling word: the prefixed terms and the
// numbers (no spelling word starts with a digit) sort before it.
inline constexpr std::string_view kFirstSpellingTerm = "a";

// How prominent each tagged entity is in its article, for ranking by
// prominence (searcher --sort prominence): one boolean term per tag, its
// kind's prefix, the level, ':' and the gazetteer id
// ("XPLEADER:23:vladimir-putin"). The level is the mention count, capped at
// kProminenceCountCap, plus kProminenceCountCap when the headline or the
// first paragraph names the entity (EntityTag::main): an article that opens
// with a leader is about them more than one that mentions them often in
// passing. Terms, not values, because the level belongs to one entity of
// many, and a query can weigh terms on remote shards too. Same order as
// kEntityPrefixes.
inline constexpr std::array<std::string_view, 3> kProminencePrefixes{"XPLEADER:", "XPCOUNTRY:", "XPORG:"};
// Mentions beyond this many rank no higher: in the BBC News collection an
// article about a leader names them 5 to 15 times; 20 leaves the long
// profiles a step above and keeps the levels few (each a term of the query).
inline constexpr unsigned kProminenceCountCap = 20;
inline constexpr unsigned kMaxProminenceLevel = 2 * kProminenceCountCap;

constexpr unsigned prominence_level(unsigned mentions, bool main) {
    const unsigned counted = mentions < kProminenceCountCap ? mentions : kProminenceCountCap;
    return (main ? kProminenceCountCap : 0) + (counted == 0 ? 1 : counted);
}

// The prominence term of an entity of kind `kind` (EntityKind) at `level`.
inline std::string prominence_term(std::size_t kind, unsigned level, std::string_view id) {
    std::string term(kProminencePrefixes[kind]);
    term += std::to_string(level);
    term += ':';
    term += id;
    return term;
}

// Free-text fields. A field with a prefix is indexed under it (for
// `title:putin` style queries); a field with `general_wdf` > 0 is also indexed
// without prefix, so that plain query words find it, each occurrence counting
// `general_wdf` times.
//
// How a field's query words find other forms of the word (FieldStems):
// - `terms`: "Z" + prefix + stem terms are indexed, and the parser searches
//   them.
// - `vocabulary` (headlines): no stem terms are indexed; the query builder
//   looks up the field's words that share the query word's stem in the
//   index's own vocabulary and searches for each of them
//   (QueryBuilder::expand_field_stems). A headline's stems were 1.0% of a
//   compacted index, and the headline words that share one stem are few.
// - `none` (names: authors, sources): "Mays" is not "may", and the stems
//   cost 0.4% of a compacted index for nothing.
// In the last two the query builder capitalises the field's words, which
// the query parser then takes as written (QueryBuilder::normalise_query,
// expand_field_stems). Words of scripts
// without capital letters keep their "Z" terms in every field, as the
// parser stems those.
//
// A field without `positions` keeps none under its prefix: a headline's
// words are in the general text at the same positions, so the query builder
// answers title:"belt and road" with the phrase in the general text and each
// word in the title (QueryBuilder::build). Title positions were 2.3% of a
// compacted index.
enum class FieldStems { terms, vocabulary, none };

struct TextField {
    std::string_view name;         // query-syntax name, e.g. "title" in title:putin
    std::string_view prefix;       // Xapian term prefix; empty = general text only
    Xapian::termcount general_wdf; // 0 = not part of the general text
    FieldStems stems = FieldStems::terms;
    bool positions = true; // positions for the prefixed terms
};

// The headline counts kTitleWeight times a body word in the general text.
inline constexpr Xapian::termcount kTitleWeight = 3;
inline constexpr Xapian::termcount kBodyWeight = 1;

inline constexpr std::array kTextFields{
    TextField{"title", "S", kTitleWeight, FieldStems::vocabulary, false},
    TextField{"body", "", kBodyWeight},
    TextField{"author", "A", 0, FieldStems::none},
    TextField{"source", "XS", 0, FieldStems::none},
};

// The text field of that query-syntax name ("title"), or null.
constexpr const TextField* text_field(std::string_view name) {
    for (const TextField& field : kTextFields) {
        if (field.name == name) return &field;
    }
    return nullptr;
}

// Indexes into kTextFields, for the document builder.
inline constexpr std::size_t kTitleField = 0;
inline constexpr std::size_t kBodyField = 1;
inline constexpr std::size_t kAuthorField = 2;
inline constexpr std::size_t kSourceField = 3;

// Positions of consecutive fields are this far apart so that a phrase or NEAR
// query never matches across the end of one field and the start of the next.
inline constexpr Xapian::termpos kFieldGap = 100;

// Prefix of stemmed terms (Xapian's convention): "Z" + field prefix + stem.
inline constexpr std::string_view kStemPrefix = "Z";

// Value slots.
inline constexpr Xapian::valueno kDateSlot = 0;  // "YYYYMMDD", sortable as a string
inline constexpr Xapian::valueno kHashSlot = 1;  // content hash, to skip unchanged articles
inline constexpr Xapian::valueno kAuthorSlot = 2; // display author, for facets
inline constexpr Xapian::valueno kSourceSlot = 3; // display source, for facets
// The year facet is the first kYearBytes of kDateSlot's values ("YYYY").
// kYearSlot names it (the facet cache's section, Searcher::facet_slot):
// articles built before held the year as a value of its own, which nothing
// reads now (0.14% of a compacted index).
inline constexpr Xapian::valueno kYearSlot = 4;
inline constexpr std::size_t kYearBytes = 4;
// The slot a facet's values are read from, and how many of their first
// bytes name it (npos: all).
inline constexpr Xapian::valueno facet_value_slot(Xapian::valueno facet) {
    return facet == kYearSlot ? kDateSlot : facet;
}
inline constexpr std::size_t facet_value_bytes(Xapian::valueno facet) {
    return facet == kYearSlot ? kYearBytes : std::string_view::npos;
}
// Sort keys: date then article id, undated articles last in both date
// orders. Plain value slots, because a Xapian::KeyMaker does not travel to
// remote shards. Newest first sorts kNewestKeySlot in reverse, so articles of
// one day come in descending id order there. kOldestKeySlot also breaks ties
// in relevance order, by a key that does not depend on docids: a sharded and
// a single index list the same articles in the same order.
inline constexpr Xapian::valueno kOldestKeySlot = 6; // date or "99999999", then id
inline constexpr Xapian::valueno kNewestKeySlot = 7; // date or "00000000", then id
// When the article first entered this index: whole seconds since the epoch,
// sortable_serialise'd (clock.hpp), so `searcher --run NAME --new-since-last`
// is one OP_VALUE_GE that also runs on remote shards. Kept when an article
// is found unchanged or is replaced by a new version (a correction is not
// news); only removing it and adding it again gives it a new time.
inline constexpr Xapian::valueno kAddedSlot = 8;
// The fingerprint of the article's normalised body (DocumentBuilder::
// fingerprint): identical articles, such as a wire story filed twice or a
// re-post under another id, share it, and the searcher folds them into one
// hit with Xapian's collapse key. Every article built since has one (an
// article without body words has its content hash, which no other article
// shares), so fewer values than articles mark an index built before.
inline constexpr Xapian::valueno kFingerprintSlot = 9;
// The fingerprint's first kFingerprintTermDigits hex digits as a boolean
// term: the copies of a page's hits are found through its posting list,
// grouped by the value (name_duplicates), rather than by reading the
// fingerprint of every match (which took 400 ms a search at 10^6
// articles). A term per fingerprint was one term per article, 1.1% of a
// compacted 10^5 index. 65,536 terms hold the same postings in fewer
// lists (0.5% less at 10^5, more at 10^6) and keep the lookup small: some
// 15 articles a term at 10^6. With 4,096 terms (three digits) the lookup
// read 2,400 articles a page at 10^6 and took 20 ms of a 100 ms search.
// kFingerprintMarker is in every article with a term: while fewer
// articles hold it than hold the value (an index built before these
// terms), the searcher finds copies by value instead. It was "XFPALL"
// when each fingerprint had a term of its own.
inline constexpr std::string_view kFingerprintPrefix = "XFP";
inline constexpr std::size_t kFingerprintTermDigits = 4;
inline constexpr std::string_view kFingerprintMarker = "XFPBUCKETS";
// The term of a fingerprint value (kFingerprintSlot): "XFP" + its first
// kFingerprintTermDigits hex digits.
inline std::string fingerprint_term(std::string_view print) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string term(kFingerprintPrefix);
    for (unsigned char c : print) {
        term += kHex[c >> 4];
        term += kHex[c & 0xfu];
    }
    term.resize(std::min(term.size(), kFingerprintPrefix.size() + kFingerprintTermDigits));
    return term;
}

// Bumped when documents gain something that old indexes can do without
// (1: kFingerprintSlot; 2: the fingerprint terms; 3: those terms cut to 16
// bits), rather than answer wrongly: it is part of the content hash, so
// `indexer add` rebuilds the articles built before instead of skipping them
// as unchanged. Not checked on open.
inline constexpr int kDocumentRevision = 3;

// Multi-valued facets with stock Xapian match spies (which travel to remote
// shards): an article's entities of one kind are stored in one slot, their
// canonical names sorted and joined by kFacetSeparator. One
// ValueCountMatchSpy per kind counts the combinations; the searcher splits
// them and adds up each name. Indexed by EntityKind.
inline constexpr std::array<Xapian::valueno, 3> kEntitySlots{10, 11, 12};
inline constexpr char kFacetSeparator = '\x1f'; // ASCII unit separator: never in a name

// The weighting of a pass that only counts matches (totals, facets, a
// suggestion's matches): weight = wdf, the cheapest of Xapian's schemes
// that reads the wdf (and known to xapian-tcpsrv). Not BoolWeight, nor a
// query scaled to weight 0: then Xapian 1.4.22 reads a term that every
// document of a shard holds through the list of all documents, and once
// the shard has lost a document (a gap in its document ids) walking that
// list to its end fails with "Unexpected end of posting list" (tests:
// "search: after a removal, a term every article holds ...").
inline Xapian::TfIdfWeight counting_weight() { return Xapian::TfIdfWeight("nnn"); }

} // namespace pundit::schema
