// Writes built documents into an index: add, replace or skip an unchanged
// article by its id and content hash, delete by id, commit explicitly.
// Owns the WritableDatabase (and so Xapian's single-writer lock). Not for
// building documents (document_builder.hpp) or walking input (ingest.hpp).
#pragma once

#include <cstdint>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "pundit/document_builder.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/spelling.hpp"

namespace pundit {

// Room a commit must leave on the file system: 5% of it, at least 256 KiB
// and at most 64 MiB (Elasticsearch stops writing at 95% full, too).
inline constexpr std::uint64_t kMinFreeBytes = 64ull << 20;
inline constexpr std::uint64_t kMinFreeFloorBytes = 256ull << 10;
inline constexpr std::uint64_t kMinFreeFraction = 20;

enum class PutOutcome { added, replaced, unchanged };

class IndexWriter {
public:
    // What to do when another writer holds the index.
    enum class OnLocked { fail, wait };
    // What to do when there is no database at the path.
    enum class IfMissing { create, fail };

    // Opens the index at `path` (always as a glass database, never through
    // a stub), creating it (and missing parent directories) when absent
    // unless told to fail then. Throws Error(index) when the directory holds
    // something else, is locked by another writer (unless told to wait for
    // it), may not be written, or has another schema.
    explicit IndexWriter(const std::string& path, OnLocked on_locked = OnLocked::fail,
                         IfMissing if_missing = IfMissing::create);

    IndexWriter(const IndexWriter&) = delete;
    IndexWriter& operator=(const IndexWriter&) = delete;

    // Adds the document, replaces the stored article with the same id when
    // its content hash differs, or leaves it alone when equal. A new article
    // is stamped with the added time (schema::kAddedSlot); a replaced one
    // keeps the time of the version it replaces.
    PutOutcome put(const BuiltDocument& built);
    // put() of an article the caller knows the shard does not hold (a shard
    // empty when the run began, an id this run has not seen before): added
    // without looking the id up, which was 2.4% of a first import's CPU.
    PutOutcome add_new(const BuiltDocument& built);

    // The time new articles are stamped with, in seconds since the epoch:
    // now_seconds() when the writer was opened, so one run stamps them all
    // alike. Changed only by tests.
    void set_added_time(std::int64_t seconds);
    // Stamps new articles with the time `other` stamps them with: a segment
    // written for a shard stamps what the shard would.
    void take_added_time(const IndexWriter& other) { m_added_value = other.m_added_value; }

    // The stored content hash for `id`, if the index holds it.
    std::optional<std::string> stored_hash(const std::string& id) const;

    // Deletes the article with this id; false when there was none.
    bool remove(const std::string& id);

    // Makes every change so far durable. Throws Error(index) on failure (disk
    // full, ...); what was committed before stays intact.
    void commit();

    // Records the gazetteer version the articles put from now on are tagged
    // with. The index metadata (schema::kGazetteerVersionKey) lists, space
    // separated, the versions its articles carry: at the next commit this
    // version replaces the list once this writer has put every article or
    // found it unchanged (a re-run over all of them re-tags them, as the
    // content hash covers the gazetteer version), else it joins the list.
    void set_gazetteer_version(const std::string& version);

    // Counts an article the caller found unchanged by its content hash (so
    // already tagged with this gazetteer version) without putting it.
    void note_unchanged() { ++m_current; }

    // The index metadata under `key` as last committed or set ("" if none).
    std::string metadata(const std::string& key) const;
    // Sets the metadata under `key`; durable at the next commit().
    void set_metadata(const std::string& key, const std::string& value);
    // Adds words to the spelling table with the next commit. An index keeps
    // its whole spelling table in its first shard (SpellingCollector).
    void add_spelling(const SpellingWords& words);
    // Adds the gazetteer's names to the spelling table once per gazetteer
    // version (recorded in the metadata, schema::kSpellingGazetteerKey).
    void seed_spelling(const Gazetteer& gazetteer);
    // Adds the headline and body words that `shards` hold (this shard
    // among them, or not) to the spelling table with the next commit, each
    // counted once per article holding it (add_index_words): a first
    // import's words, read from the term lists at the end of the run.
    void add_index_spelling(const std::vector<const IndexWriter*>& shards);

    // Empties the spelling table (and forgets which gazetteer seeded it),
    // with the next commit.
    void clear_spelling();

    // Changes since the last commit.
    std::size_t pending() const { return m_pending; }

    Xapian::doccount document_count() const;
    const std::string& path() const { return m_path; }

private:
    // Throws Error(index) when the file system is nearly full: Xapian 1.4
    // can abort the process when a commit runs out of space part way, so a
    // commit is not started without some room in reserve.
    void check_free_space() const;
    // Drops the changes since the last commit, after a commit that failed:
    // Xapian commits them when the database is closed, which would leave
    // the index with part of a batch that the error said it does not keep.
    void discard_pending() noexcept;

    // The stored document with this id, if any.
    std::optional<Xapian::Document> stored_document(const std::string& id) const;

    std::string m_path;
    Xapian::WritableDatabase m_db;
    std::string m_added_value; // schema::kAddedSlot of new articles
    std::size_t m_pending = 0;
    bool m_metadata_dirty = false;
    std::string m_gazetteer_version;
    // Articles this writer put or found unchanged: tagged with m_gazetteer_version.
    Xapian::doccount m_current = 0;
};

} // namespace pundit
