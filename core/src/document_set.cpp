#include "pundit/document_set.hpp"

#include <algorithm>
#include <set>

namespace pundit {
namespace {

const std::vector<Xapian::docid> kNone;

} // namespace

std::unique_ptr<DocumentSet> DocumentSet::of(const Xapian::Database& db, const std::vector<Xapian::docid>& docids) {
    // A sharded database's uuid is its shards' uuids joined by ':'. Its
    // document ids interleave theirs: shard (id - 1) % n holds id, as its
    // own document (id - 1) / n + 1.
    auto shards = std::make_shared<Shards>();
    const std::string uuid = db.get_uuid();
    std::size_t start = 0;
    while (start <= uuid.size()) {
        const std::size_t end = std::min(uuid.find(':', start), uuid.size());
        shards->uuids.push_back(uuid.substr(start, end - start));
        start = end + 1;
    }
    const std::set<std::string> distinct(shards->uuids.begin(), shards->uuids.end());
    if (distinct.size() != shards->uuids.size() || distinct.count(std::string()) != 0) return nullptr;
    const std::size_t n = shards->uuids.size();
    shards->docids.resize(n);
    for (Xapian::docid did : docids) {
        if (did == 0) continue;
        shards->docids[(did - 1) % n].push_back(static_cast<Xapian::docid>((did - 1) / n + 1));
    }
    for (auto& ids : shards->docids) {
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    }
    return std::unique_ptr<DocumentSet>(new DocumentSet(std::move(shards)));
}

Xapian::Query DocumentSet::query(std::unique_ptr<DocumentSet> set) {
    // The query holds the source and deletes it with its last copy.
    return Xapian::Query(set.release()->release());
}

Xapian::doccount DocumentSet::get_termfreq_min() const { return static_cast<Xapian::doccount>(m_end); }
Xapian::doccount DocumentSet::get_termfreq_est() const { return get_termfreq_min(); }
Xapian::doccount DocumentSet::get_termfreq_max() const { return get_termfreq_min(); }

void DocumentSet::next(double) {
    if (!m_started) {
        m_started = true;
        m_at = 0;
    } else if (m_at < m_end) {
        ++m_at;
    }
}

void DocumentSet::skip_to(Xapian::docid did, double) {
    if (!m_started) {
        m_started = true;
        m_at = 0;
    }
    const auto first = m_docids->begin();
    m_at = static_cast<std::size_t>(std::lower_bound(first + static_cast<std::ptrdiff_t>(m_at),
                                                     first + static_cast<std::ptrdiff_t>(m_end), did) -
                                    first);
}

bool DocumentSet::check(Xapian::docid did, double min_wt) {
    skip_to(did, min_wt);
    return true; // the position is exact: at did, or past it when did is not in the set
}

bool DocumentSet::at_end() const { return m_started && m_at >= m_end; }

Xapian::docid DocumentSet::get_docid() const { return (*m_docids)[m_at]; }

DocumentSet* DocumentSet::clone() const { return new DocumentSet(m_shards); }

void DocumentSet::init(const Xapian::Database& db) {
    // No weight: it only says which documents take part.
    set_maxweight(0);
    m_started = false;
    m_at = 0;
    m_docids = &kNone;
    const std::string uuid = db.get_uuid();
    for (std::size_t i = 0; i < m_shards->uuids.size(); ++i) {
        if (m_shards->uuids[i] == uuid) m_docids = &m_shards->docids[i];
    }
    // Ids past the shard's last document are no documents.
    m_end = static_cast<std::size_t>(std::upper_bound(m_docids->begin(), m_docids->end(), db.get_lastdocid()) -
                                     m_docids->begin());
}

std::string DocumentSet::get_description() const {
    std::size_t count = 0;
    for (const auto& ids : m_shards->docids) count += ids.size();
    return "DocumentSet(" + std::to_string(count) + " documents in " + std::to_string(m_shards->uuids.size()) +
           " shards)";
}

} // namespace pundit
