#include "pundit/date_range_set.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <mutex>

namespace pundit {

// The handles serialise() gives out, to the ranges of the sets alive.
struct DateRangeSet::Handles {
    std::mutex mutex;
    std::uint64_t next = 1;
    std::map<std::uint64_t, std::weak_ptr<const Range>> ranges;

    static Handles& instance() {
        static Handles handles;
        return handles;
    }
};

DateRangeSet::DateRangeSet(const FacetCache::Slot& dates, const std::string& low, const std::string& high,
                           const std::vector<ShardState>& shards) {
    auto range = std::make_shared<Range>();
    range->dates = &dates;
    range->shards = shards;
    // The dates (the slot's values) in the range: a date value is one name.
    range->in_range.assign(std::size_t{dates.value_count} + 1, 0);
    for (std::uint32_t v = 0; v < dates.value_count; ++v) {
        if (dates.name_starts[v + 1] != dates.name_starts[v] + 1) continue;
        const std::string_view date = dates.name(dates.name_ids[dates.name_starts[v]]);
        range->in_range[std::size_t{v} + 1] = (low.empty() || date >= low) && (high.empty() || date <= high);
    }
    // The cache numbers documents as the shards combined (FacetCache::Slot):
    // shard k holds the ids k + 1, k + 1 + n, ... Ids of no document are 0.
    range->counts.assign(shards.size(), 0);
    for (std::uint32_t did = 1; did < dates.id_count && !shards.empty(); ++did) {
        range->counts[(did - 1) % shards.size()] += range->in_range[dates.id(did)];
    }
    m_range = std::move(range);
}

bool DateRangeSet::in_range(Xapian::docid own) const {
    // The cache numbers documents as the shards combined (FacetCache::Slot).
    const std::uint64_t combined = (std::uint64_t{own} - 1) * m_range->shards.size() + m_shard + 1;
    return combined < m_range->dates->id_count &&
           m_range->in_range[m_range->dates->id(static_cast<std::uint32_t>(combined))] != 0;
}

void DateRangeSet::settle() {
    while (m_at <= m_last && !in_range(m_at)) ++m_at;
}

void DateRangeSet::next(double) {
    if (!m_started) {
        m_started = true;
        m_at = 1;
    } else if (m_at <= m_last) {
        ++m_at;
    }
    settle();
}

void DateRangeSet::skip_to(Xapian::docid did, double) {
    if (!m_started) {
        m_started = true;
        m_at = 1;
    }
    if (did > m_at) m_at = did;
    settle();
}

bool DateRangeSet::check(Xapian::docid did, double) {
    // Dated in the range: positioned on it. Else indeterminate: next() and
    // skip_to() go on from past it.
    m_started = true;
    m_at = did;
    return in_range(did);
}

bool DateRangeSet::at_end() const { return m_started && m_at > m_last; }

Xapian::docid DateRangeSet::get_docid() const { return m_at; }

DateRangeSet* DateRangeSet::clone() const { return new DateRangeSet(m_range); }

void DateRangeSet::init(const Xapian::Database& db) {
    // No weight: it only says which documents take part.
    set_maxweight(0);
    m_started = false;
    m_at = 0;
    const std::vector<ShardState>& shards = m_range->shards;
    const std::string uuid = db.get_uuid();
    const auto found = std::find_if(shards.begin(), shards.end(), [&](const ShardState& s) { return s.uuid == uuid; });
    if (found == shards.end()) {
        throw Xapian::DatabaseModifiedError("shard " + uuid + " is not one of those the facet cache was written for");
    }
    if (db.get_revision() != found->revision) {
        throw Xapian::DatabaseModifiedError("shard " + uuid + " is at revision " + std::to_string(db.get_revision()) +
                                            ", the facet cache's dates at revision " + std::to_string(found->revision));
    }
    m_shard = static_cast<std::size_t>(found - shards.begin());
    // Its documents that the cache numbers: combined id below id_count.
    const std::uint64_t numbered = m_range->dates->id_count > m_shard + 1
                                       ? (m_range->dates->id_count - m_shard - 2) / shards.size() + 1
                                       : 0;
    m_last = static_cast<Xapian::docid>(std::min<std::uint64_t>(db.get_lastdocid(), numbered));
    m_count = m_range->counts[m_shard];
}

std::string DateRangeSet::get_description() const {
    if (!m_range) return "DateRangeSet()";
    return "DateRangeSet(" + std::to_string(std::count(m_range->in_range.begin(), m_range->in_range.end(), 1)) +
           " dates over " + std::to_string(m_range->shards.size()) + " shards)";
}

std::string DateRangeSet::name() const { return "pundit::DateRangeSet"; }

std::string DateRangeSet::serialise() const {
    Handles& handles = Handles::instance();
    const std::lock_guard lock(handles.mutex);
    std::erase_if(handles.ranges, [](const auto& entry) { return entry.second.expired(); });
    const std::uint64_t handle = handles.next++;
    handles.ranges.emplace(handle, m_range);
    return std::to_string(handle);
}

DateRangeSet* DateRangeSet::unserialise_with_registry(const std::string& serialised, const Xapian::Registry&) const {
    Handles& handles = Handles::instance();
    const std::lock_guard lock(handles.mutex);
    std::shared_ptr<const Range> range;
    std::uint64_t handle = 0;
    const char* end = serialised.data() + serialised.size();
    const auto parsed = std::from_chars(serialised.data(), end, handle);
    if (parsed.ec == std::errc() && parsed.ptr == end) {
        if (auto found = handles.ranges.find(handle); found != handles.ranges.end()) range = found->second.lock();
    }
    if (!range) throw Xapian::InvalidArgumentError("no date range set of handle '" + serialised + "' in this process");
    return new DateRangeSet(std::move(range));
}

const Xapian::Registry& DateRangeSet::registry() {
    static const Xapian::Registry registry = [] {
        Xapian::Registry r;
        r.register_posting_source(DateRangeSet(std::shared_ptr<const Range>()));
        return r;
    }();
    return registry;
}

} // namespace pundit
