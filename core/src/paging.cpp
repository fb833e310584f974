#include "pundit/paging.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "pundit/stored_article.hpp"
#include "pundit/schema.hpp"
#include "pundit/searcher.hpp"

namespace pundit {

const Article& PageHit::decoded() {
    if (!article) article = deserialise_article(document.get_data());
    return *article;
}

SortOrder date_order_of(SortOrder sort) { return sort == SortOrder::prominence ? SortOrder::newest : sort; }

void set_result_order(Xapian::Enquire& enquire, SortOrder sort, bool ranked) {
    if (sort == SortOrder::newest) {
        enquire.set_sort_by_value(schema::kNewestKeySlot, true);
    } else if (sort == SortOrder::oldest || !ranked) {
        // Without query words every weight is 0: relevance order is key order.
        enquire.set_sort_by_value(schema::kOldestKeySlot, false);
    }
}

namespace {

// The fingerprints of `page` that more than one article of the index holds,
// whether or not the others match the search: read from the articles of
// each hit's fingerprint term, which few share, so that the search's query
// runs again only for hits with copies. (It ran for every page, and was
// the largest part of what folding cost a search for a phrase.)
std::unordered_set<std::string> shared_fingerprints(const Xapian::Database& db, const std::vector<PageHit>& page) {
    std::unordered_map<std::string, Xapian::doccount> holders;
    std::unordered_set<std::string> terms;
    for (const PageHit& hit : page) {
        std::string fingerprint = hit.document.get_value(schema::kFingerprintSlot);
        if (fingerprint.empty()) continue;
        terms.insert(schema::fingerprint_term(fingerprint));
        holders.emplace(std::move(fingerprint), 0);
    }
    std::unordered_set<std::string> shared;
    for (const std::string& term : terms) {
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
            auto held = holders.find(db.get_document(*it, Xapian::DOC_ASSUME_VALID).get_value(schema::kFingerprintSlot));
            if (held != holders.end() && ++held->second == 2) shared.insert(held->first);
        }
    }
    return shared;
}

} // namespace

void name_duplicates(const Xapian::Database& db, const Xapian::Query& query, const Xapian::Query& bonus,
                     SortOrder sort, bool ranked, bool local, std::vector<PageHit>& page) {
    // Through the fingerprint terms when every fingerprinted article has
    // its term: the articles of the hit's term, grouped below by their
    // values. (Not FILTER(term, VALUE_RANGE): Xapian runs the range over
    // every article, which took 30 ms a search at 10^5 articles.) Else
    // (articles built before the terms, until `indexer add` builds them
    // again) by the fingerprint values of every match, which reads the
    // value of each.
    const bool by_term = db.get_termfreq(std::string(schema::kFingerprintMarker)) ==
                         db.get_value_freq(schema::kFingerprintSlot);
    std::unordered_set<std::string> shared;
    if (by_term && local) shared = shared_fingerprints(db, page);
    std::vector<Xapian::Query> identical;
    for (PageHit& hit : page) {
        const std::string fingerprint = hit.document.get_value(schema::kFingerprintSlot);
        if (fingerprint.empty()) continue;
        if (by_term && local && !shared.contains(fingerprint)) continue;
        if (by_term) identical.emplace_back(schema::fingerprint_term(fingerprint));
        else identical.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kFingerprintSlot, fingerprint, fingerprint);
    }
    if (identical.empty()) return;
    Xapian::Enquire lookup(db);
    const Xapian::Query copies(Xapian::Query::OP_OR, identical.begin(), identical.end());
    Xapian::Query matching(Xapian::Query::OP_FILTER, query, copies);
    if (!bonus.empty()) {
        matching = Xapian::Query(Xapian::Query::OP_AND_MAYBE, matching, Xapian::Query(Xapian::Query::OP_FILTER, bonus, copies));
    }
    lookup.set_query(matching);
    // The same weights as the search's, for the score of a hit shown in place of another.
    lookup.set_weighting_scheme(Xapian::IneB2Weight(kIneB2C));
    if (ranked && sort == SortOrder::relevance) {
        lookup.set_sort_by_relevance_then_value(schema::kOldestKeySlot, false);
    } else {
        set_result_order(lookup, sort, ranked);
    }
    const Xapian::MSet found = lookup.get_mset(0, db.get_doccount());
    std::unordered_map<std::string, std::vector<PageHit>> by_fingerprint;
    for (auto it = found.begin(); it != found.end(); ++it) {
        Xapian::Document document = it.get_document();
        by_fingerprint[document.get_value(schema::kFingerprintSlot)].push_back(
            PageHit{document, it.get_weight(), std::nullopt, {}});
    }
    for (PageHit& hit : page) {
        auto group = by_fingerprint.find(hit.document.get_value(schema::kFingerprintSlot));
        if (group == by_fingerprint.end() || group->second.empty()) continue;
        std::vector<PageHit>& members = group->second;
        PageHit& first = members.front();
        if (first.decoded().id != hit.decoded().id) {
            hit.document = first.document;
            hit.weight = first.weight;
            hit.article = first.article;
        }
        for (PageHit& member : members) {
            if (member.decoded().id != hit.decoded().id) hit.duplicates.push_back(member.decoded().id);
        }
    }
}

std::vector<Xapian::doccount> first_of_each(const Xapian::MSet& mset) {
    std::vector<Xapian::doccount> rows;
    std::unordered_set<std::string> seen;
    // Over remote shards, the documents in one exchange rather than one each.
    mset.fetch();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        std::string fingerprint = it.get_document().get_value(schema::kFingerprintSlot);
        if (fingerprint.empty() || seen.insert(std::move(fingerprint)).second) rows.push_back(it.get_rank());
    }
    return rows;
}

std::vector<Xapian::doccount> every_position(const Xapian::MSet& mset) {
    std::vector<Xapian::doccount> rows(mset.size());
    std::iota(rows.begin(), rows.end(), Xapian::doccount{0});
    return rows;
}

std::optional<std::vector<Xapian::doccount>> order_ties(const Xapian::MSet& mset,
                                                        const std::vector<Xapian::doccount>& rows, bool complete,
                                                        Xapian::doccount offset, Xapian::doccount wanted,
                                                        std::map<Xapian::doccount, Article>& decoded) {
    const auto fetched = static_cast<Xapian::doccount>(rows.size());
    const Xapian::doccount shown = std::min(wanted, fetched);
    std::vector<Xapian::doccount> order;
    if (shown <= offset) return order;
    std::vector<double> weight(fetched);
    for (Xapian::doccount i = 0; i < fetched; ++i) weight[i] = mset[rows[i]].get_weight();
    // Hits that tie with the last one shown and lie past it compete for the page.
    Xapian::doccount end = shown;
    while (end < fetched && weight[end] == weight[shown - 1]) ++end;
    if (end == fetched && !complete && end > shown) return std::nullopt;

    std::vector<std::string> keys(end);
    for (Xapian::doccount i = 0; i < end; ++i) {
        const bool tied = (i > 0 && weight[i - 1] == weight[i]) || (i + 1 < end && weight[i + 1] == weight[i]);
        if (!tied) continue;
        const Xapian::Document document = mset[rows[i]].get_document();
        if (i >= offset && i < shown) {
            Article& article = decoded[rows[i]] = deserialise_article(document.get_data());
            keys[i] = oldest_first_key(article);
        } else {
            keys[i] = document.get_value(schema::kOldestKeySlot);
        }
    }
    order.resize(end);
    for (Xapian::doccount i = 0; i < end; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](Xapian::doccount a, Xapian::doccount b) {
        if (weight[a] != weight[b]) return weight[a] > weight[b];
        return keys[a] < keys[b];
    });
    std::vector<Xapian::doccount> positions;
    for (auto i = order.begin() + offset; i != order.begin() + shown; ++i) positions.push_back(rows[*i]);
    return positions;
}

std::optional<std::vector<PageHit>> page_from_places(const std::vector<std::unique_ptr<CachedFacetSpy>>& counted,
                                                     const std::vector<Xapian::Database>& shards,
                                                     Xapian::doccount offset, Xapian::doccount wanted, bool collapse) {
    std::vector<std::tuple<std::uint32_t, std::size_t, Xapian::docid>> first;
    bool every_match_kept = true;
    for (std::size_t k = 0; k < counted.size(); ++k) {
        for (auto [place, docid] : counted[k]->first()) first.emplace_back(place, k, docid);
        if (counted[k]->first().size() < counted[k]->matched()) every_match_kept = false;
    }
    std::sort(first.begin(), first.end());
    std::vector<PageHit> page;
    std::unordered_set<std::string> seen;
    Xapian::doccount position = 0;
    for (const auto& [place, k, docid] : first) {
        if (position == wanted) break;
        Xapian::Document document = shards[k].get_document(docid);
        if (collapse) {
            std::string fingerprint = document.get_value(schema::kFingerprintSlot);
            if (!fingerprint.empty() && !seen.insert(std::move(fingerprint)).second) continue;
        }
        if (position++ >= offset) page.push_back(PageHit{std::move(document), 0, std::nullopt, {}});
    }
    if (position < wanted && !every_match_kept) return std::nullopt;
    return page;
}

} // namespace pundit
