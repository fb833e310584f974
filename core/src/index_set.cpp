#include "pundit/index_set.hpp"

#include <algorithm>
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

const char* const kStubName = "XAPIANDB";

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
    const fs::path stub = fs::path(path) / kStubName;
    std::error_code ec;
    if (!fs::exists(stub, ec)) return {path};
    std::ifstream in(stub);
    if (!in) throw Error(ErrorKind::index, "cannot read '" + stub.string() + "'");
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        // Lines are "auto RELATIVE-PATH" (the only form the indexer writes).
        auto space = line.find(' ');
        std::string target = space == std::string::npos ? line : line.substr(space + 1);
        out.push_back((fs::path(path) / target).string());
    }
    if (out.empty()) throw Error(ErrorKind::index, "'" + stub.string() + "' lists no databases");
    return out;
}

IndexSet::IndexSet(const std::string& path, std::size_t shards_if_new, IndexWriter::OnLocked on_locked)
    : m_path(path) {
    std::error_code ec;
    bool exists = fs::exists(path, ec) && !fs::is_empty(path, ec);
    std::size_t shards = std::clamp<std::size_t>(shards_if_new, 1, kMaxShards);
    if (!exists && shards > 1) {
        fs::create_directories(path, ec);
        if (ec) throw Error(ErrorKind::index, "cannot create the index directory '" + path + "': " + ec.message());
        // Shards first, the stub last: a stub never names a missing shard.
        for (std::size_t k = 0; k < shards; ++k) {
            m_shards.push_back(std::make_unique<IndexWriter>((fs::path(path) / shard_name(k)).string(), on_locked));
        }
        std::ofstream stub(fs::path(path) / kStubName);
        for (std::size_t k = 0; k < shards; ++k) stub << "auto " << shard_name(k) << '\n';
        stub.close();
        if (!stub) throw Error(ErrorKind::index, "cannot write '" + (fs::path(path) / kStubName).string() + "'");
        return;
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
                fs::copy_file(fs::path(path) / kStubName, staging / kStubName);
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
    summary.shards_after = shard_paths(path).size();
    summary.bytes_after = directory_bytes(path);
    return summary;
}

} // namespace pundit
