#include "pundit/facet_counting.hpp"

#include <algorithm>
#include <unordered_map>

#include "pundit/date_range_set.hpp"
#include "pundit/schema.hpp"

namespace pundit {

CachedFacetSpy::CachedFacetSpy(const FacetCache& cache, const std::vector<Xapian::valueno>& slots)
    : m_cache(&cache) {
    for (Xapian::valueno slot : slots) {
        const FacetCache::Slot* s = cache.slot(slot);
        m_slots.push_back(s);
        m_counts.emplace_back(std::size_t{s->value_count} + 1, 0);
    }
}

void CachedFacetSpy::set_shard(std::size_t shard, std::size_t shards) {
    m_shard = static_cast<Xapian::docid>(shard);
    m_shards = static_cast<Xapian::docid>(shards);
}

void CachedFacetSpy::keep_first(Xapian::doccount count, bool newest_first) {
    m_order = m_cache->order();
    m_keep = m_order ? count : 0;
    m_newest_first = newest_first;
}

void CachedFacetSpy::operator()(const Xapian::Document& doc, double) {
    const Xapian::docid did = (doc.get_docid() - 1) * m_shards + m_shard + 1;
    ++m_matched;
    if (m_keep > 0) {
        // A max-heap of the first places seen so far.
        const std::uint32_t place = m_order->place(did, m_newest_first);
        if (m_first.size() < m_keep) {
            m_first.emplace_back(place, doc.get_docid());
            std::push_heap(m_first.begin(), m_first.end());
        } else if (place < m_first.front().first) {
            std::pop_heap(m_first.begin(), m_first.end());
            m_first.back() = {place, doc.get_docid()};
            std::push_heap(m_first.begin(), m_first.end());
        }
    }
    for (std::size_t f = 0; f < m_slots.size(); ++f) {
        const FacetCache::Slot& s = *m_slots[f];
        std::uint32_t id = s.id(did);
        if (id > s.value_count) id = 0; // a damaged cache must not crash us
        ++m_counts[f][id];
    }
}

void CachedFacetSpy::merge(const CachedFacetSpy& other) {
    m_matched += other.m_matched;
    for (std::size_t f = 0; f < m_counts.size(); ++f) {
        for (std::size_t i = 0; i < m_counts[f].size(); ++i) m_counts[f][i] += other.m_counts[f][i];
    }
}

NameCounts CachedFacetSpy::counts(std::size_t f) const {
    const FacetCache::Slot& s = *m_slots[f];
    NameCounts out;
    std::vector<Xapian::doccount> per_name(s.name_count, 0);
    for (std::uint32_t id = 1; id < m_counts[f].size(); ++id) {
        const Xapian::doccount n = m_counts[f][id];
        out.with_value += n;
        if (!n) continue;
        for (std::uint32_t k = s.name_starts[id - 1]; k < s.name_starts[id]; ++k) per_name[s.name_ids[k]] += n;
    }
    for (std::uint32_t name = 0; name < s.name_count; ++name) {
        if (per_name[name]) out.names.emplace_back(s.name(name), per_name[name]);
    }
    return out;
}

ShardFacetCount::ShardFacetCount(const FacetCache& cache, const std::vector<Xapian::valueno>& slots,
                                 const std::vector<Xapian::Database>& shards, const Xapian::Query& query,
                                 Xapian::doccount keep_first, bool newest_first)
    : m_cache(cache), m_slots(slots) {
    // A Query shares its parts by reference counts that are not atomic:
    // each thread gets a deep copy of its own.
    const std::string boolean = query.serialise();
    for (std::size_t k = 0; k < shards.size(); ++k) {
        m_counting.push_back(std::async(std::launch::async, [&cache, &slots, &shards, k, keep_first, newest_first,
                                                        boolean = Xapian::Query::unserialise(boolean, DateRangeSet::registry())] {
            auto spy = std::make_unique<CachedFacetSpy>(cache, slots);
            spy->set_shard(k, shards.size());
            if (keep_first > 0) spy->keep_first(keep_first, newest_first);
            Xapian::Enquire counter(shards[k]);
            counter.set_query(boolean);
            counter.set_weighting_scheme(schema::counting_weight());
            counter.add_matchspy(spy.get());
            counter.get_mset(0, 0, shards[k].get_doccount());
            return spy;
        }));
    }
}

ShardFacetCount::~ShardFacetCount() {
    for (auto& f : m_counting) {
        if (f.valid()) f.wait();
    }
}

const std::vector<std::unique_ptr<CachedFacetSpy>>& ShardFacetCount::per_shard() {
    if (m_counted.empty()) {
        for (auto& shard : m_counting) m_counted.push_back(shard.get());
    }
    return m_counted;
}

std::unique_ptr<CachedFacetSpy> ShardFacetCount::merged() {
    auto all = std::make_unique<CachedFacetSpy>(m_cache, m_slots);
    for (const auto& shard : per_shard()) all->merge(*shard);
    return all;
}

NameCounts split_value_counts(const Xapian::ValueCountMatchSpy& spy, std::vector<std::string>& values,
                              std::size_t name_bytes) {
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) values.push_back((*it).substr(0, name_bytes));
    std::unordered_map<std::string_view, Xapian::doccount> counts;
    NameCounts out;
    std::size_t i = 0;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it, ++i) {
        out.with_value += it.get_termfreq();
        const std::string_view value = values[i];
        std::size_t start = 0;
        while (start <= value.size()) {
            std::size_t end = value.find(schema::kFacetSeparator, start);
            if (end == std::string_view::npos) end = value.size();
            counts[value.substr(start, end - start)] += it.get_termfreq();
            start = end + 1;
        }
    }
    out.names.assign(counts.begin(), counts.end());
    return out;
}

} // namespace pundit
