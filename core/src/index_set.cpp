#include "pundit/index_set.hpp"

#include "pundit/facet_cache.hpp"
#include "pundit/index.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <xxhash.h>

#include "pundit/error.hpp"
#include "pundit/schema.hpp"

namespace pundit {
namespace {

namespace fs = std::filesystem;

// The stub while it is written.
const char* const kStubStaging = "XAPIANDB.new";

std::string hash_shard_name(std::size_t k) {
    char name[16];
    std::snprintf(name, sizeof name, "shard-%02zu", k);
    return name;
}

} // namespace

std::size_t default_shard_count() {
    // Two per core: the reading thread shares the cores, and smaller shards
    // are cheaper to write (Xapian's cost per document grows with the shard).
    unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 2 : std::min<std::size_t>(2 * cores, kMaxShards);
}

std::vector<std::string> shard_paths(const std::string& path) {
    std::vector<std::string> out;
    for (const StubEntry& entry : index_databases(path)) {
        if (entry.remote) throw Error(ErrorKind::index, "'" + path + "' lists a remote shard ('" + entry.line + "'); write it where it lives");
        out.push_back(entry.target);
    }
    if (out.empty()) throw Error(ErrorKind::index, "'" + (fs::path(path) / kStubFileName).string() + "' lists no databases");
    return out;
}

namespace {

// The names a shard directory can have: shard-NN, year-YYYY, undated.
bool is_shard_name(const std::string& name) {
    auto digits = [&](std::size_t from, std::size_t count) {
        if (name.size() != from + count) return false;
        for (std::size_t i = from; i < name.size(); ++i) {
            if (!std::isdigit(static_cast<unsigned char>(name[i]))) return false;
        }
        return true;
    };
    return (name.starts_with("shard-") && digits(6, 2)) || (name.starts_with("year-") && digits(5, 4)) ||
           name == kUndatedShard;
}

// A sharded index being created: its shards exist before its stub. A crash
// in between (even SIGKILL) leaves shard directories and no stub, and nothing
// in them, as articles are written only once the stub exists.
bool interrupted_creation(const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(dir / kStubFileName, ec)) return false;
    bool any = false;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name == kStubStaging) continue;
        if (!is_shard_name(name) || !entry.is_directory(ec)) return false;
        any = true;
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
    if ((a == kUndatedShard) != (b == kUndatedShard)) return b == kUndatedShard;
    return a < b;
}

// Writes the stub listing `names` under a temporary name and renames it into
// place, so that a stub is never seen half-written.
void write_stub(const fs::path& dir, const std::vector<std::string>& names) {
    const fs::path staging = dir / kStubStaging;
    std::ofstream stub(staging);
    for (const std::string& name : names) stub << "auto " << name << '\n';
    stub.close();
    std::error_code ec;
    if (stub) fs::rename(staging, dir / kStubFileName, ec);
    if (!stub || ec) throw Error(ErrorKind::index, "cannot write '" + (dir / kStubFileName).string() + "'");
}

std::string no_stub_error(const std::string& path) {
    return "'" + path + "' has shards but no '" + std::string(kStubFileName) + "' stub; choose another --index";
}

// Removes a shard directory left by an interrupted creation, which cannot
// hold articles (they are written only once the stub lists the shard).
void remove_leftover_shard(const std::string& index, const fs::path& shard) {
    std::error_code ec;
    if (fs::exists(shard / "iamglass", ec)) {
        Xapian::doccount count = 0;
        try {
            count = Xapian::Database(shard.string()).get_doccount();
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
    : m_path(path), m_on_locked(on_locked) {
    open(ShardingRequest{}, shards_if_new, false);
}

IndexSet::IndexSet(const std::string& path, const ShardingRequest& request, IndexWriter::OnLocked on_locked)
    : m_path(path), m_on_locked(on_locked) {
    if (request.by == ShardBy::year && request.shards) {
        throw Error(ErrorKind::index, "--shards goes with --shard-by hash: an index sharded by year gets a shard "
                                      "for each year as its articles arrive; leave out --shards " +
                                          std::to_string(*request.shards));
    }
    open(request, request.shards.value_or(default_shard_count()), true);
}

void IndexSet::open(const ShardingRequest& request, std::size_t shards_if_new, bool check_request) {
    const std::string& path = m_path;
    std::error_code ec;
    bool exists = fs::exists(path, ec) && !fs::is_empty(path, ec);
    std::size_t shards = std::clamp<std::size_t>(shards_if_new, 1, kMaxShards);
    // What a crash during creation left is created again, in place.
    bool resume = exists && fs::is_directory(path, ec) && interrupted_creation(path);
    if ((!exists || resume) && request.by == ShardBy::year) {
        create_by_year(resume);
        return;
    }
    if ((!exists || resume) && shards > 1) {
        fs::create_directories(path, ec);
        if (ec) throw Error(ErrorKind::index, "cannot create the index directory '" + path + "': " + ec.message());
        if (resume) {
            // A shard whose own creation was cut short (no version file yet),
            // and what an interrupted creation by year left.
            for (std::size_t k = 0; k < kMaxShards; ++k) {
                const fs::path shard = fs::path(path) / hash_shard_name(k);
                if (fs::exists(shard, ec) && !fs::exists(shard / "iamglass", ec)) fs::remove_all(shard, ec);
            }
            for (const fs::path& shard : shard_directories(path)) {
                if (!shard.filename().string().starts_with("shard-")) remove_leftover_shard(path, shard);
            }
        }
        // Shards first, the stub last: a stub never names a missing shard.
        for (std::size_t k = 0; k < shards; ++k) {
            m_shards.push_back(std::make_unique<IndexWriter>((fs::path(path) / hash_shard_name(k)).string(), m_on_locked));
            m_names.push_back(hash_shard_name(k));
            if (resume && m_shards.back()->document_count() != 0) throw Error(ErrorKind::index, no_stub_error(path));
            record_sharding(*m_shards.back(), hash_record(shards));
        }
        if (resume) {
            // Shards beyond the count asked for now, from a crashed run that asked for more.
            for (std::size_t k = shards; k < kMaxShards; ++k) fs::remove_all(fs::path(path) / hash_shard_name(k), ec);
        }
        write_stub(path, m_names);
        return;
    }
    if (resume) {
        throw Error(ErrorKind::index, "'" + path + "' holds the shards of an index whose creation was interrupted; "
                                                 "run indexer add again with --shards 2 or more, or --shard-by year");
    }
    open_existing(request, check_request);
}

void IndexSet::create_by_year(bool resume) {
    std::error_code ec;
    fs::create_directories(m_path, ec);
    if (ec) throw Error(ErrorKind::index, "cannot create the index directory '" + m_path + "': " + ec.message());
    if (resume) {
        for (const fs::path& shard : shard_directories(m_path)) remove_leftover_shard(m_path, shard);
    }
    m_by = ShardBy::year;
    add_year_shard(kUndatedShard);
}

void IndexSet::open_existing(const ShardingRequest& request, bool check_request) {
    std::error_code ec;
    const bool stub = fs::exists(fs::path(m_path) / kStubFileName, ec);
    std::vector<std::string> paths = shard_paths(m_path);
    // The undated shard of an index by year is locked first and the stub read
    // again: an indexer that waited for another one then sees every shard
    // the other one added.
    const std::string undated = (fs::path(m_path) / kUndatedShard).string();
    if (stub && std::find(paths.begin(), paths.end(), undated) != paths.end()) {
        m_shards.push_back(std::make_unique<IndexWriter>(undated, m_on_locked));
        m_names.push_back(kUndatedShard);
        paths = shard_paths(m_path);
    }
    for (const std::string& shard : paths) {
        if (shard == undated && !m_names.empty()) continue;
        m_shards.push_back(std::make_unique<IndexWriter>(shard, m_on_locked));
        m_names.push_back(stub ? fs::path(shard).filename().string() : std::string());
    }
    // What the shards record: one answer, or none (an index written before
    // the record, which is hashed).
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
    std::vector<std::string> names = m_names;
    names.push_back(name);
    std::sort(names.begin(), names.end(), stub_order);
    write_stub(m_path, names);
    m_shards.push_back(std::move(writer));
    m_names.push_back(name);
    return m_shards.size() - 1;
}

std::string IndexSet::describe() const {
    if (m_by == ShardBy::year) return "sharded by year";
    if (m_shards.size() == 1 && m_names[0].empty()) return "a single database";
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

} // namespace pundit

namespace pundit {
namespace {

std::uintmax_t directory_bytes(const fs::path& dir) {
    std::uintmax_t total = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->is_regular_file(ec)) total += it->file_size(ec);
    }
    return total;
}

// Compacts `source` (a database or stub) into the new directory `target`.
void compact_into(const std::string& source, const fs::path& target) {
    std::error_code ec;
    fs::remove_all(target, ec);
    Xapian::Database db(source);
    db.compact(target.string(), Xapian::DBCOMPACT_MULTIPASS);
}

// Puts `fresh` where `old` was: old -> old.replaced, fresh -> old, then
// removes the replaced copy.
void swap_in(const fs::path& fresh, const fs::path& old) {
    fs::path aside = old.string() + ".replaced";
    std::error_code ec;
    fs::remove_all(aside, ec);
    fs::rename(old, aside);
    fs::rename(fresh, old);
    fs::remove_all(aside, ec);
}

} // namespace

CompactSummary compact_index(const std::string& path, bool merge) {
    CompactSummary summary;
    std::vector<std::string> shards = shard_paths(path);
    summary.shards_before = shards.size();
    summary.bytes_before = directory_bytes(path);
    const fs::path staging = fs::path(path).string() + ".compacting";
    try {
        {
            // The write locks, for the whole compaction.
            IndexSet locks(path, 1);
            // A stub stays a stub (a year index may have one shard).
            if (merge || !fs::exists(fs::path(path) / kStubFileName)) {
                compact_into(path, staging);
                // One database now: it is not sharded any more.
                Xapian::WritableDatabase merged(staging.string(), Xapian::DB_OPEN);
                merged.set_metadata(std::string(schema::kShardByKey), "");
                merged.commit();
            } else {
                fs::create_directories(staging);
                for (const std::string& shard : shards) {
                    compact_into(shard, staging / fs::path(shard).filename());
                }
                fs::copy_file(fs::path(path) / kStubFileName, staging / kStubFileName);
            }
        }
        swap_in(staging, path);
    } catch (const Xapian::Error& e) {
        std::error_code ec;
        fs::remove_all(staging, ec);
        throw Error(ErrorKind::index, "cannot compact '" + path + "': " + e.get_description());
    } catch (const fs::filesystem_error& e) {
        std::error_code ec;
        fs::remove_all(staging, ec);
        throw Error(ErrorKind::index, "cannot compact '" + path + "': " + e.what());
    }
    // Compaction renumbers documents: the facet cache is rebuilt.
    write_facet_cache(path);
    summary.shards_after = shard_paths(path).size();
    summary.bytes_after = directory_bytes(path);
    return summary;
}

} // namespace pundit
