#include "pundit/paging.hpp"

#include <algorithm>
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

void name_duplicates(const Xapian::Database& db, const Xapian::Query& query, const Xapian::Query& bonus,
                     SortOrder sort, bool ranked, std::vector<PageHit>& page) {
    // Through the fingerprint terms when every fingerprinted article has
    // its term: the articles of the hit's term, grouped below by their
    // values. (Not FILTER(term, VALUE_RANGE): Xapian runs the range over
    // every article, which took 30 ms a search at 10^5 articles.) Else
    // (articles built before the terms, until `indexer add` builds them
    // again) by the fingerprint values of every match, which reads the
    // value of each.
    const bool by_term = db.get_termfreq(std::string(schema::kFingerprintMarker)) ==
                         db.get_value_freq(schema::kFingerprintSlot);
    std::vector<Xapian::Query> identical;
    for (PageHit& hit : page) {
        const std::string fingerprint = hit.document.get_value(schema::kFingerprintSlot);
        if (fingerprint.empty()) continue;
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

std::optional<std::vector<Xapian::doccount>> order_ties(const Xapian::MSet& mset, Xapian::doccount offset,
                                                        Xapian::doccount wanted,
                                                        std::map<Xapian::doccount, Article>& decoded) {
    const Xapian::doccount fetched = mset.size();
    const Xapian::doccount shown = std::min(wanted, fetched);
    std::vector<Xapian::doccount> order;
    if (shown <= offset) return order;
    std::vector<double> weight(fetched);
    for (Xapian::doccount i = 0; i < fetched; ++i) weight[i] = mset[i].get_weight();
    const bool complete = fetched < saturating_add(wanted, kTieMargin);
    // Hits that tie with the last one shown and lie past it compete for the page.
    Xapian::doccount end = shown;
    while (end < fetched && weight[end] == weight[shown - 1]) ++end;
    if (end == fetched && !complete && end > shown) return std::nullopt;

    std::vector<std::string> keys(end);
    for (Xapian::doccount i = 0; i < end; ++i) {
        const bool tied = (i > 0 && weight[i - 1] == weight[i]) || (i + 1 < end && weight[i + 1] == weight[i]);
        if (!tied) continue;
        if (i >= offset && i < shown) {
            Article& article = decoded[i] = deserialise_article(mset[i].get_document().get_data());
            keys[i] = oldest_first_key(article);
        } else {
            keys[i] = mset[i].get_document().get_value(schema::kOldestKeySlot);
        }
    }
    order.resize(end);
    for (Xapian::doccount i = 0; i < end; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](Xapian::doccount a, Xapian::doccount b) {
        if (weight[a] != weight[b]) return weight[a] > weight[b];
        return keys[a] < keys[b];
    });
    return std::vector<Xapian::doccount>(order.begin() + offset, order.begin() + shown);
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
