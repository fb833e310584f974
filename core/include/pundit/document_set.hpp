// A set of documents of a local index as a Xapian posting source, so that a
// query can be tested on those documents only: the second pass of an --any
// search weighs its best matches again with the proximity bonus
// (Searcher's rerank), and a filter by id terms would look each id up in
// every shard (35 ms for 100 ids at 10^6 articles). Not for remote shards:
// a posting source of our own does not travel to them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

namespace pundit {

class DocumentSet : public Xapian::PostingSource {
public:
    // The documents `docids` of `db` (as its matches number them: ids of
    // documents it holds; one past its last document is left out). Null
    // when the shards of `db` cannot be told apart by their uuids (a
    // backend without them, or a shard listed twice).
    static std::unique_ptr<DocumentSet> of(const Xapian::Database& db, const std::vector<Xapian::docid>& docids);

    // A query matching those documents at weight 0 (it owns the source).
    static Xapian::Query query(std::unique_ptr<DocumentSet> set);

    Xapian::doccount get_termfreq_min() const override;
    Xapian::doccount get_termfreq_est() const override;
    Xapian::doccount get_termfreq_max() const override;
    void next(double min_wt) override;
    void skip_to(Xapian::docid did, double min_wt) override;
    bool check(Xapian::docid did, double min_wt) override;
    bool at_end() const override;
    Xapian::docid get_docid() const override;
    // Each shard of a sharded database gets a copy, which init() points at
    // that shard's documents (found by the shard's uuid).
    DocumentSet* clone() const override;
    void init(const Xapian::Database& db) override;
    std::string get_description() const override;

private:
    struct Shards {
        std::vector<std::string> uuids;                   // in the order of the database's shards
        std::vector<std::vector<Xapian::docid>> docids;   // per shard, its own ids, ascending
    };
    explicit DocumentSet(std::shared_ptr<const Shards> shards) : m_shards(std::move(shards)) {}

    std::shared_ptr<const Shards> m_shards;
    const std::vector<Xapian::docid>* m_docids = nullptr; // of the shard init() was given
    std::size_t m_end = 0; // m_docids up to here are documents of the shard
    std::size_t m_at = 0;
    bool m_started = false;
};

} // namespace pundit
