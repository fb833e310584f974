#include "pundit/index_set.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <thread>

#include <xxhash.h>

#include "pundit/error.hpp"
#include "pundit/fault_point.hpp"
#include "pundit/index.hpp"
#include "pundit/index_layout.hpp"
#include "pundit/index_maintenance.hpp"
#include "pundit/schema.hpp"

namespace pundit {

namespace fs = std::filesystem;

std::size_t default_shard_count() {
    // Two per core: the reading thread shares the cores, and smaller shards
    // are cheaper to write (Xapian's cost per document grows with the shard).
    unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 2 : std::min<std::size_t>(2 * cores, kMaxShards);
}

std::vector<std::string> shard_paths(const std::string& path) {
    std::vector<std::string> out;
    if (is_database_directory(path) || !fs::exists(fs::path(path) / kStubFileName)) return {path};
    for (const StubEntry& entry : writable_shards(path)) out.push_back(entry.target);
    return out;
}

namespace {

// A sharded index being created: its shards exist before its stub. A crash
// in between (even SIGKILL) leaves shard directories and no stub, and nothing
// in them, as articles are written only once the stub exists. Called under
// the IndexLock: whoever created them is gone.
bool interrupted_creation(const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(dir / kStubFileName, ec) || is_database_directory(dir.string())) return false;
    bool any = false;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
        if (is_shard_name(entry.path().filename().string()) && entry.is_directory(ec)) any = true;
    }
    return any && !ec;
}

// The shard directories in `dir`, listed before any is removed.
std::vector<fs::path> shard_directories(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
        if (is_shard_name(entry.path().filename().string()) && entry.is_directory(ec)) out.push_back(entry.path());
    }
    return out;
}

// Stub order for year shards: years ascending, then undated.
bool stub_order(const std::string& a, const std::string& b) {
    const std::string name_a = fs::path(a).filename().string(), name_b = fs::path(b).filename().string();
    if ((name_a == kUndatedShard) != (name_b == kUndatedShard)) return name_b == kUndatedShard;
    return name_a < name_b;
}

std::string no_stub_error(const std::string& path) {
    return "'" + path + "' has shards but no '" + std::string(kStubFileName) +
           "' stub; run indexer repair --index '" + path + "' to list them again, or choose another --index";
}

// Removes a shard directory left by an interrupted creation, which cannot
// hold articles (they are written only once the stub lists the shard).
void remove_leftover_shard(const std::string& index, const fs::path& shard) {
    std::error_code ec;
    if (is_database_directory(shard.string())) {
        Xapian::doccount count = 0;
        try {
            count = open_local_database(shard.string()).get_doccount();
        } catch (const Xapian::Error&) {
            throw Error(ErrorKind::index, no_stub_error(index));
        }
        if (count != 0) throw Error(ErrorKind::index, no_stub_error(index));
    }
    fs::remove_all(shard, ec);
}

const std::string kYearRecord = "year";
std::string hash_record(std::size_t shards) { return "hash " + std::to_string(shards); }

// Records the sharding in a shard created just now, before any stub lists it.
void record_sharding(IndexWriter& shard, const std::string& record) {
    const std::string key(schema::kShardByKey);
    if (shard.metadata(key) == record) return;
    shard.set_metadata(key, record);
    shard.commit();
}

IndexLock::OnLocked lock_mode(IndexWriter::OnLocked on_locked) {
    return on_locked == IndexWriter::OnLocked::wait ? IndexLock::OnLocked::wait : IndexLock::OnLocked::fail;
}

// Why a shard the stub lists cannot be written, saying what to do.
std::string unusable_shard(const std::string& index, const StubEntry& entry, const std::string& why) {
    return "shard '" + entry.target + "' of the index at '" + index + "' " + why + " (listed in '" + entry.stub +
           "'); nothing was written: restore it, or run indexer repair --index '" + index +
           "' to recreate it empty, without its articles";
}

} // namespace

ShardBy parse_shard_by(std::string_view text) {
    if (text == "hash") return ShardBy::hash;
    if (text == "year") return ShardBy::year;
    throw Error(ErrorKind::input, "unknown --shard-by '" + std::string(text) + "' (expected hash or year)");
}

std::string year_shard_name(std::string_view date) {
    bool year = date.size() >= 4;
    for (std::size_t i = 0; year && i < 4; ++i) year = std::isdigit(static_cast<unsigned char>(date[i]));
    return year ? "year-" + std::string(date.substr(0, 4)) : std::string(kUndatedShard);
}

IndexSet::IndexSet(const std::string& path, std::size_t shards_if_new, IndexWriter::OnLocked on_locked)
    : m_path(writable_index_directory(path)), m_on_locked(on_locked) {
    open(ShardingRequest{}, shards_if_new, false);
}

IndexSet::IndexSet(const std::string& path, const ShardingRequest& request, IndexWriter::OnLocked on_locked)
    : m_path(writable_index_directory(path)), m_on_locked(on_locked) {
    if (request.by == ShardBy::year && request.shards) {
        throw Error(ErrorKind::index, "--shards goes with --shard-by hash: an index sharded by year gets a shard "
                                      "for each year as its articles arrive; leave out --shards " +
                                          std::to_string(*request.shards));
    }
    open(request, request.shards.value_or(default_shard_count()), true);
}

void IndexSet::open(const ShardingRequest& request, std::size_t shards_if_new, bool check_request) {
    // Nothing is written into a directory that holds something else, not
    // even the lock file; then the lock, before anything else is looked at.
    refuse_foreign_directory(m_path);
    m_lock = std::make_unique<IndexLock>(m_path, lock_mode(m_on_locked));
    m_notes = recover_index_directory(m_path);
    // Segments a killed ingest left: their articles were committed, so they
    // are merged in before anything else happens to the index.
    for (std::string& note : pundit::merge_segments(m_path, true)) m_notes.push_back(std::move(note));
    std::error_code ec;
    if (is_database_directory(m_path) || fs::exists(fs::path(m_path) / kStubFileName, ec)) {
        open_existing(request, check_request);
        return;
    }
    // Compacted shards without a stub: the stub was lost, not a creation cut short.
    for (const fs::directory_entry& entry : fs::directory_iterator(m_path, ec)) {
        if (is_compact_dir_name(entry.path().filename().string())) throw Error(ErrorKind::index, no_stub_error(m_path));
    }
    // What a crash during creation left is created again, in place.
    const bool resume = interrupted_creation(m_path);
    const std::size_t shards = std::clamp<std::size_t>(shards_if_new, 1, kMaxShards);
    if (request.by == ShardBy::year) {
        create_by_year(resume);
    } else if (shards > 1) {
        create_by_hash(shards, resume);
    } else if (resume) {
        throw Error(ErrorKind::index, "'" + m_path + "' holds the shards of an index whose creation was interrupted; "
                                                   "run indexer add again with --shards 2 or more, or --shard-by year");
    } else {
        m_shards.push_back(std::make_unique<IndexWriter>(m_path, m_on_locked));
        m_names.emplace_back();
        m_relatives.emplace_back();
    }
}

void IndexSet::create_by_hash(std::size_t shards, bool resume) {
    std::error_code ec;
    if (resume) {
        // A shard whose own creation was cut short (no version file yet),
        // and what an interrupted creation by year left.
        for (const fs::path& shard : shard_directories(m_path)) {
            const std::string name = shard.filename().string();
            if (!name.starts_with("shard-")) remove_leftover_shard(m_path, shard);
            else if (!is_database_directory(shard.string())) fs::remove_all(shard, ec);
        }
    }
    // Shards first, the stub last: a stub never names a missing shard.
    for (std::size_t k = 0; k < shards; ++k) {
        m_shards.push_back(std::make_unique<IndexWriter>((fs::path(m_path) / hash_shard_name(k)).string(), m_on_locked));
        m_names.push_back(hash_shard_name(k));
        m_relatives.push_back(hash_shard_name(k));
        if (resume && m_shards.back()->document_count() != 0) throw Error(ErrorKind::index, no_stub_error(m_path));
        record_sharding(*m_shards.back(), hash_record(shards));
        fault_point("create-after-shard");
    }
    if (resume) {
        // Shards beyond the count asked for now, from a crashed run that asked for more.
        for (std::size_t k = shards; k < kMaxShards; ++k) remove_leftover_shard(m_path, fs::path(m_path) / hash_shard_name(k));
    }
    write_stub(m_path, m_relatives);
}

void IndexSet::create_by_year(bool resume) {
    if (resume) {
        for (const fs::path& shard : shard_directories(m_path)) remove_leftover_shard(m_path, shard);
    }
    m_by = ShardBy::year;
    add_year_shard(kUndatedShard);
}

void IndexSet::open_existing(const ShardingRequest& request, bool check_request) {
    const bool stub = !is_database_directory(m_path);
    const std::vector<StubEntry> entries =
        stub ? writable_shards(m_path) : std::vector<StubEntry>{StubEntry{false, m_path, m_path, "", ""}};
    // Every shard the stub lists must be there: one recreated empty would
    // lose its articles without a word.
    for (const StubEntry& entry : entries) {
        std::error_code ec;
        if (!fs::exists(entry.target, ec)) throw Error(ErrorKind::index, unusable_shard(m_path, entry, "is missing"));
        if (stub && !is_database_directory(entry.target)) {
            throw Error(ErrorKind::index, unusable_shard(m_path, entry, "is not a database"));
        }
    }
    for (const StubEntry& entry : entries) {
        try {
            m_shards.push_back(std::make_unique<IndexWriter>(entry.target, m_on_locked,
                                                             stub ? IndexWriter::IfMissing::fail
                                                                  : IndexWriter::IfMissing::create));
        } catch (const Error& e) {
            const std::string why = e.what();
            if (why.find("locked by another") != std::string::npos || why.find("not writable") != std::string::npos) throw;
            throw Error(ErrorKind::index, unusable_shard(m_path, entry, "cannot be opened: " + why));
        }
        m_names.push_back(stub ? fs::path(entry.target).filename().string() : std::string());
        m_relatives.push_back(entry.relative);
    }
    // What the shards record: one answer, or none (an index written before
    // the record, or merged into one database, which is hashed).
    std::string record;
    for (std::size_t k = 0; k < m_shards.size(); ++k) {
        std::string here = m_shards[k]->metadata(std::string(schema::kShardByKey));
        if (here.empty()) continue;
        if (!record.empty() && here != record) {
            throw Error(ErrorKind::index, "the shards of the index at '" + m_path + "' disagree on how it is sharded ('" +
                                              record + "', but '" + here + "' in '" + m_shards[k]->path() +
                                              "'); rebuild it in a new --index");
        }
        record = here;
    }
    m_by = stub && record == kYearRecord ? ShardBy::year : ShardBy::hash;
    if (!check_request) return;
    std::string conflicts;
    if (request.by && *request.by != m_by) {
        conflicts = std::string("--shard-by ") + (*request.by == ShardBy::year ? "year" : "hash");
    }
    if (request.shards && (m_by == ShardBy::year || *request.shards != m_shards.size())) {
        conflicts += (conflicts.empty() ? "" : " and ") + std::string("--shards ") + std::to_string(*request.shards);
    }
    if (!conflicts.empty()) {
        throw Error(ErrorKind::index, "the index at '" + m_path + "' is " + describe() +
                                          ", chosen when it was created; leave out " + conflicts +
                                          ", or give a new --index");
    }
}

std::size_t IndexSet::add_year_shard(const std::string& name) {
    const fs::path shard = fs::path(m_path) / name;
    auto writer = std::make_unique<IndexWriter>(shard.string(), m_on_locked);
    // A shard the stub does not list yet is one whose addition was cut
    // short: empty, as articles are written only once the stub lists it.
    if (writer->document_count() != 0) {
        throw Error(ErrorKind::index, "'" + shard.string() + "' holds articles but the stub of '" + m_path +
                                          "' does not list it; move it out of the index and run indexer add again");
    }
    record_sharding(*writer, kYearRecord);
    std::vector<std::string> relatives = m_relatives;
    relatives.push_back(name);
    std::sort(relatives.begin(), relatives.end(), stub_order);
    write_stub(m_path, relatives);
    m_shards.push_back(std::move(writer));
    m_names.push_back(name);
    m_relatives.push_back(name);
    return m_shards.size() - 1;
}

std::string IndexSet::describe() const {
    if (m_by == ShardBy::year) return "sharded by year";
    if (m_shards.size() == 1) return "a single database";
    return "sharded by hash into " + std::to_string(m_shards.size()) + " shards";
}

std::size_t IndexSet::shard_of(const std::string& id) const {
    if (m_by == ShardBy::year) throw Error(ErrorKind::internal, "shard_of on an index sharded by year");
    if (m_shards.size() == 1) return 0;
    return static_cast<std::size_t>(XXH3_64bits(id.data(), id.size()) % m_shards.size());
}

std::size_t IndexSet::shard_for_date(std::string_view date) {
    const std::string name = year_shard_name(date);
    for (std::size_t k = 0; k < m_names.size(); ++k) {
        if (m_names[k] == name) return k;
    }
    return add_year_shard(name);
}

bool IndexSet::remove(const std::string& id) {
    if (m_by == ShardBy::hash) return m_shards[shard_of(id)]->remove(id);
    bool removed = false;
    for (auto& shard : m_shards) removed = shard->remove(id) || removed;
    return removed;
}

void IndexSet::commit() {
    for (auto& shard : m_shards) shard->commit();
}

bool IndexSet::can_segment() const {
    if (m_by != ShardBy::hash || m_shards.empty()) return false;
    return std::none_of(m_names.begin(), m_names.end(), [](const std::string& name) { return name.empty(); });
}

std::string IndexSet::segment_path(std::size_t k, std::size_t number) const {
    return (fs::path(m_path) / segment_relative(m_names[k], number)).string();
}

void IndexSet::merge_segments() {
    if (list_segments(m_path).empty()) return;
    // Closed first: the merged shards replace them, and are opened instead.
    m_shards.clear();
    m_names.clear();
    m_relatives.clear();
    pundit::merge_segments(m_path, false);
    open_existing(ShardingRequest{}, false);
}

std::size_t IndexSet::spelling_shard() const {
    for (std::size_t k = 0; m_by == ShardBy::year && k < m_names.size(); ++k) {
        if (m_names[k] == kUndatedShard) return k;
    }
    return 0;
}

void IndexSet::fill_spelling(const Gazetteer* gazetteer, bool clear_first) {
    IndexWriter& home = *m_shards[spelling_shard()];
    if (clear_first) home.clear_spelling();
    if (gazetteer) home.seed_spelling(*gazetteer);
    std::vector<const IndexWriter*> shards;
    for (const auto& shard : m_shards) shards.push_back(shard.get());
    home.add_index_spelling(shards);
}

} // namespace pundit
