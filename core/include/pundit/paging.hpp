// The page of a search: which hits it shows, in which order. Hits tied in
// weight go in date and id order whatever the sharding (order_ties); a
// search without words takes its page from the facet cache's date order
// (page_from_places); identical articles name each other
// (name_duplicates). Not for counting matches or facets
// (facet_counting.hpp) nor for snippets (highlighter.hpp).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "pundit/article.hpp"
#include "pundit/facet_counting.hpp"
#include "pundit/query_builder.hpp"

namespace pundit {

// Relevance order fetches hits past the page, so that hits tied in weight
// can be put in key order without asking Xapian to read the key of every
// candidate (see order_ties). IneB2 weights seldom tie (BM25's floor on
// the length normalisation tied every short article): 10 is plenty, and
// each hit fetched past the page costs.
inline constexpr Xapian::doccount kTieMargin = 10;
// Weights are recomputed identically, but a cutoff must never lose a tied hit.
inline constexpr double kWeightCutoffSlack = 1e-9;
// A search without words that folds identical articles keeps this many
// places past the page per shard (CachedFacetSpy::keep_first), so that the
// copies folded away still leave enough to fill the page; when they do not,
// the page comes from Xapian instead.
inline constexpr Xapian::doccount kCollapseMargin = 10;

// A search in relevance order that folds identical articles fetches its
// matches unfolded, this many past what it needs, and folds them itself
// (first_of_each): Xapian's collapsing reads the fingerprint of every
// candidate it weighs, most of the slot for a common word at 10^6
// articles. When the copies leave too few, Xapian folds after all.
inline constexpr Xapian::doccount kFoldMargin = 10;

// A hit of the page: its document and weight, its stored article once
// decoded, and the ids of the identical matches folded into it.
struct PageHit {
    Xapian::Document document;
    double weight = 0;
    std::optional<Article> article;
    std::vector<std::string> duplicates;

    const Article& decoded();
};

// The date order that stands for `sort` where only a value sort will do:
// equally prominent articles go newest first.
SortOrder date_order_of(SortOrder sort);

// Puts `enquire` in result order: by relevance when `ranked` (ties are put
// in key order afterwards, see order_ties), else by a date key.
void set_result_order(Xapian::Enquire& enquire, SortOrder sort, bool ranked);

// Names, for each hit of `page`, the matches of `query` identical to it
// (sharing its fingerprint), which collapsing folded into it, in result
// order. The hit shown is the first of them in result order, ties by key:
// Xapian keeps the one of lowest docid, which depends on the sharding. One
// query for the whole page: only the hits and their copies match it.
// `bonus` (QueryBuilder::bonus, or empty) adds to the weights of the
// matches, as it did to the hits'; it is tested on the copies only. With
// `local` shards, the query runs only for the hits whose fingerprint other
// articles hold (read from the articles of its fingerprint term).
void name_duplicates(const Xapian::Database& db, const Xapian::Query& query, const Xapian::Query& bonus,
                     SortOrder sort, bool ranked, bool local, std::vector<PageHit>& page);

// The positions in `mset` (fetched unfolded, in result order) of the first
// match of each fingerprint, and of every match without one: the matches
// Xapian's collapsing would have kept, as it keeps the best placed.
std::vector<Xapian::doccount> first_of_each(const Xapian::MSet& mset);

// The positions 0..mset.size()-1: a ranking with nothing folded away.
std::vector<Xapian::doccount> every_position(const Xapian::MSet& mset);

// A ranking of hits in weight order from rank 0, as positions `rows` in
// `mset` (every_position, or first_of_each), with kTieMargin to spare;
// `complete` when it holds every match. Gives the positions in `mset` of
// ranks offset..wanted-1 after putting hits of equal weight in key order
// (oldest_first_key). The keys of hits that will be shown come from their
// stored articles, which are kept in `decoded` (by position in `mset`) for
// the page; other tied hits have their key slot read. Empty when hits tied
// with the last one shown may lie beyond the ranking.
std::optional<std::vector<Xapian::doccount>> order_ties(const Xapian::MSet& mset,
                                                        const std::vector<Xapian::doccount>& rows, bool complete,
                                                        Xapian::doccount offset, Xapian::doccount wanted,
                                                        std::map<Xapian::doccount, Article>& decoded);

// The page of a search without words from the first places each shard's
// counting spy kept (keep_first), merged; with `collapse`, only the first
// of identical articles. Empty when that leaves too few to fill the page
// while a shard matched more than it kept.
std::optional<std::vector<PageHit>> page_from_places(const std::vector<std::unique_ptr<CachedFacetSpy>>& counted,
                                                     const std::vector<Xapian::Database>& shards,
                                                     Xapian::doccount offset, Xapian::doccount wanted, bool collapse);

} // namespace pundit
