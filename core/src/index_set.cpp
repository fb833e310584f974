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
    unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 1 : std::min<std::size_t>(cores, kMaxShards);
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

IndexSet::IndexSet(const std::string& path, std::size_t shards_if_new) : m_path(path) {
    std::error_code ec;
    bool exists = fs::exists(path, ec) && !fs::is_empty(path, ec);
    std::size_t shards = std::clamp<std::size_t>(shards_if_new, 1, kMaxShards);
    if (!exists && shards > 1) {
        fs::create_directories(path, ec);
        if (ec) throw Error(ErrorKind::index, "cannot create the index directory '" + path + "': " + ec.message());
        // Shards first, the stub last: a stub never names a missing shard.
        for (std::size_t k = 0; k < shards; ++k) {
            m_shards.push_back(std::make_unique<IndexWriter>((fs::path(path) / shard_name(k)).string()));
        }
        std::ofstream stub(fs::path(path) / kStubName);
        for (std::size_t k = 0; k < shards; ++k) stub << "auto " << shard_name(k) << '\n';
        stub.close();
        if (!stub) throw Error(ErrorKind::index, "cannot write '" + (fs::path(path) / kStubName).string() + "'");
        return;
    }
    for (const std::string& shard : shard_paths(path)) m_shards.push_back(std::make_unique<IndexWriter>(shard));
}

std::size_t IndexSet::shard_of(const std::string& id) const {
    if (m_shards.size() == 1) return 0;
    return static_cast<std::size_t>(XXH3_64bits(id.data(), id.size()) % m_shards.size());
}

void IndexSet::commit() {
    for (auto& shard : m_shards) shard->commit();
}

} // namespace pundit
