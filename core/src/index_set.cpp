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

std::string shard_name(std::size_t k) {
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

// A sharded index being created: its shards exist before its stub. A crash
// in between (even SIGKILL) leaves shard directories and no stub, and nothing
// in them, as articles are written only once the stub exists.
bool interrupted_creation(const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(dir / kStubFileName, ec)) return false;
    bool any = false;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        bool shard = name.size() == 8 && name.starts_with("shard-") && std::isdigit(static_cast<unsigned char>(name[6])) &&
                     std::isdigit(static_cast<unsigned char>(name[7]));
        if (name == kStubStaging) continue;
        if (!shard || !entry.is_directory(ec)) return false;
        any = true;
    }
    return any && !ec;
}

// Writes the stub under a temporary name and renames it into place, so that
// a stub is never seen half-written.
void write_stub(const fs::path& dir, std::size_t shards) {
    const fs::path staging = dir / kStubStaging;
    std::ofstream stub(staging);
    for (std::size_t k = 0; k < shards; ++k) stub << "auto " << shard_name(k) << '\n';
    stub.close();
    std::error_code ec;
    if (stub) fs::rename(staging, dir / kStubFileName, ec);
    if (!stub || ec) throw Error(ErrorKind::index, "cannot write '" + (dir / kStubFileName).string() + "'");
}

} // namespace

IndexSet::IndexSet(const std::string& path, std::size_t shards_if_new, IndexWriter::OnLocked on_locked)
    : m_path(path) {
    std::error_code ec;
    bool exists = fs::exists(path, ec) && !fs::is_empty(path, ec);
    std::size_t shards = std::clamp<std::size_t>(shards_if_new, 1, kMaxShards);
    // What a crash during creation left is created again, in place.
    bool resume = exists && fs::is_directory(path, ec) && interrupted_creation(path);
    if ((!exists || resume) && shards > 1) {
        fs::create_directories(path, ec);
        if (ec) throw Error(ErrorKind::index, "cannot create the index directory '" + path + "': " + ec.message());
        if (resume) {
            // A shard whose own creation was cut short (no version file yet).
            for (std::size_t k = 0; k < kMaxShards; ++k) {
                const fs::path shard = fs::path(path) / shard_name(k);
                if (fs::exists(shard, ec) && !fs::exists(shard / "iamglass", ec)) fs::remove_all(shard, ec);
            }
        }
        // Shards first, the stub last: a stub never names a missing shard.
        for (std::size_t k = 0; k < shards; ++k) {
            m_shards.push_back(std::make_unique<IndexWriter>((fs::path(path) / shard_name(k)).string(), on_locked));
            if (resume && m_shards.back()->document_count() != 0) {
                throw Error(ErrorKind::index, "'" + path + "' has shards but no '" + std::string(kStubFileName) +
                                                  "' stub; choose another --index");
            }
        }
        if (resume) {
            // Shards beyond the count asked for now, from a crashed run that asked for more.
            for (std::size_t k = shards; k < kMaxShards; ++k) fs::remove_all(fs::path(path) / shard_name(k), ec);
        }
        write_stub(path, shards);
        return;
    }
    if (resume) {
        throw Error(ErrorKind::index, "'" + path + "' holds the shards of an index whose creation was interrupted; "
                                                 "run indexer add again with --shards 2 or more");
    }
    for (const std::string& shard : shard_paths(path)) {
        m_shards.push_back(std::make_unique<IndexWriter>(shard, on_locked));
    }
}

std::size_t IndexSet::shard_of(const std::string& id) const {
    if (m_shards.size() == 1) return 0;
    return static_cast<std::size_t>(XXH3_64bits(id.data(), id.size()) % m_shards.size());
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
            if (merge || shards.size() == 1) {
                compact_into(path, staging);
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
