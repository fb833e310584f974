#include "pundit/facet_cache.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_map>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pundit/error.hpp"
#include "pundit/index.hpp"
#include "pundit/schema.hpp"

namespace pundit {
namespace {

namespace fs = std::filesystem;

// File layout, every field a little-endian uint32 on a 4-byte boundary:
//   magic (2 words), schema version, shard count,
//   per shard: uuid byte length, uuid bytes padded to 4, revision (2 words)
//   id count (last docid + 1), slot count,
//   per slot: slot number, value count, name count, name id count,
//             name byte length, name_starts[value count + 1],
//             name_ids[name id count], name_offsets[name count + 1],
//             names padded to 4, ids[id count] padded to 4, each id of
//             id_width(value count) bytes,
//   oldest-first places[id count], newest-first places[id count]
constexpr std::array<char, 8> kMagic{'P', 'N', 'D', 'F', 'C', 'v', '4', '\n'};

// Bytes per id for a slot with this many values (ids go up to value_count).
unsigned id_width(std::uint32_t value_count) {
    if (value_count <= 0xffu) return 1;
    if (value_count <= 0xffffu) return 2;
    return 4;
}
constexpr const char* kFileName = "facets.cache";

// Commits landing while the cache is built: try again this many times.
constexpr int kBuildAttempts = 3;

// The slots a facet can be asked of (searcher.cpp, facet_slot), and the
// date, which timelines count by day. A cache written before the date was
// added lacks it: timelines are then counted with stock spies.
constexpr std::array<Xapian::valueno, 7> kCachedSlots{
    schema::kEntitySlots[0], schema::kEntitySlots[1], schema::kEntitySlots[2],
    schema::kAuthorSlot,     schema::kSourceSlot,     schema::kYearSlot, schema::kDateSlot};

// The shard paths of an index, or nullopt when one is remote or the stub
// cannot be read.
std::optional<std::vector<std::string>> local_shards(const std::string& index_path) {
    std::vector<std::string> out;
    try {
        for (const StubEntry& entry : index_databases(index_path)) {
            if (entry.remote || entry.target.empty()) return std::nullopt;
            out.push_back(entry.target);
        }
    } catch (const Error&) {
        return std::nullopt;
    }
    if (out.empty()) return std::nullopt;
    return out;
}

void put32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffu));
}

void pad4(std::string& out) {
    while (out.size() % 4) out.push_back('\0');
}

std::uint32_t narrow(std::size_t n) {
    if (n > UINT32_MAX) throw Error(ErrorKind::index, "the index is too large for a facet cache");
    return static_cast<std::uint32_t>(n);
}

// The place of every document of `db` in the order of the values in `slot`
// (descending when `descending`), by document id; FacetCache::kNoPlace for
// ids without a document. The values are copied into one buffer: at 10^6
// articles some 30 MB for a moment, and a second to sort.
std::vector<std::uint32_t> places(const Xapian::Database& db, Xapian::valueno slot, bool descending,
                                  std::uint32_t id_count) {
    std::string bytes;
    std::vector<std::uint32_t> starts, docids;
    for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
        starts.push_back(narrow(bytes.size()));
        bytes += *it;
        docids.push_back(it.get_docid());
    }
    starts.push_back(narrow(bytes.size()));
    auto value = [&](std::uint32_t k) { return std::string_view(bytes).substr(starts[k], starts[k + 1] - starts[k]); };
    std::vector<std::uint32_t> order(docids.size());
    for (std::uint32_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return descending ? value(b) < value(a) : value(a) < value(b);
    });
    std::vector<std::uint32_t> place(id_count, FacetCache::kNoPlace);
    for (std::uint32_t p = 0; p < order.size(); ++p) place[docids[order[p]]] = p;
    return place;
}

// The cache of `db`, built from `states`, as file contents.
std::string build(const Xapian::Database& db, const std::vector<ShardState>& states) {
    std::string out(kMagic.begin(), kMagic.end());
    put32(out, static_cast<std::uint32_t>(schema::kVersion));
    put32(out, narrow(states.size()));
    for (const ShardState& s : states) {
        put32(out, narrow(s.uuid.size()));
        out += s.uuid;
        pad4(out);
        put32(out, static_cast<std::uint32_t>(s.revision & 0xffffffffu));
        put32(out, static_cast<std::uint32_t>(static_cast<std::uint64_t>(s.revision) >> 32));
    }
    const std::uint32_t id_count = narrow(std::size_t{db.get_lastdocid()} + 1);
    put32(out, id_count);
    put32(out, narrow(kCachedSlots.size()));
    for (Xapian::valueno slot : kCachedSlots) {
        std::vector<std::uint32_t> ids(id_count, 0);
        std::unordered_map<std::string, std::uint32_t> index;
        std::vector<const std::string*> values;
        for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
            auto [entry, added] = index.emplace(*it, narrow(values.size()));
            if (added) values.push_back(&entry->first);
            ids[it.get_docid()] = entry->second + 1;
        }
        // Each value split into its names, every name numbered once.
        std::unordered_map<std::string_view, std::uint32_t> name_index;
        std::vector<std::string_view> names;
        std::vector<std::uint32_t> name_starts{0}, name_ids;
        for (const std::string* v : values) {
            std::string_view rest = *v;
            while (true) {
                const std::size_t cut = rest.find(schema::kFacetSeparator);
                const std::string_view name = rest.substr(0, cut);
                auto [entry, added] = name_index.emplace(name, narrow(names.size()));
                if (added) names.push_back(name);
                name_ids.push_back(entry->second);
                if (cut == std::string_view::npos) break;
                rest.remove_prefix(cut + 1);
            }
            name_starts.push_back(narrow(name_ids.size()));
        }
        std::size_t name_bytes = 0;
        for (std::string_view n : names) name_bytes += n.size();
        put32(out, slot);
        put32(out, narrow(values.size()));
        put32(out, narrow(names.size()));
        put32(out, narrow(name_ids.size()));
        put32(out, narrow(name_bytes));
        for (std::uint32_t start : name_starts) put32(out, start);
        for (std::uint32_t id : name_ids) put32(out, id);
        std::uint32_t offset = 0;
        put32(out, 0);
        for (std::string_view n : names) put32(out, offset += narrow(n.size()));
        for (std::string_view n : names) out += n;
        pad4(out);
        const unsigned width = id_width(narrow(values.size()));
        for (std::uint32_t id : ids) {
            for (unsigned b = 0; b < width; ++b) out.push_back(static_cast<char>((id >> (8 * b)) & 0xffu));
        }
        pad4(out);
    }
    for (auto [slot, newest_first] : {std::pair{schema::kOldestKeySlot, false}, std::pair{schema::kNewestKeySlot, true}}) {
        for (std::uint32_t place : places(db, slot, newest_first, id_count)) put32(out, place);
    }
    return out;
}

// Reads the file format above from a mapped region, refusing anything out
// of bounds.
class Reader {
public:
    Reader(const char* data, std::size_t size) : m_data(data), m_size(size) {}
    bool ok() const { return m_ok; }
    std::uint32_t u32() {
        if (!need(4)) return 0;
        std::uint32_t v;
        std::memcpy(&v, m_data + m_pos, 4);
        m_pos += 4;
        return v;
    }
    const char* bytes(std::size_t n) {
        if (!need(n)) return nullptr;
        const char* p = m_data + m_pos;
        m_pos += (n + 3) / 4 * 4;
        if (m_pos > m_size) m_pos = m_size;
        return p;
    }
    // A run of `n` uint32 in place (the mapping is page-aligned and every
    // field 4-aligned).
    const std::uint32_t* words(std::size_t n) {
        if (n > (m_size - m_pos) / 4) {
            m_ok = false;
            return nullptr;
        }
        const auto* p = reinterpret_cast<const std::uint32_t*>(m_data + m_pos);
        m_pos += 4 * n;
        return p;
    }

private:
    bool need(std::size_t n) {
        if (!m_ok || n > m_size - m_pos) m_ok = false;
        return m_ok;
    }
    const char* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
    bool m_ok = true;
};

} // namespace

std::string facet_cache_path(const std::string& index_path) { return (fs::path(index_path) / kFileName).string(); }

std::optional<LocalShards> open_local_shards(const std::string& index_path) {
    auto shards = local_shards(index_path);
    if (!shards) return std::nullopt;
    LocalShards out;
    try {
        for (const std::string& shard : *shards) {
            out.databases.emplace_back(shard);
            out.states.push_back(ShardState{out.databases.back().get_uuid(), out.databases.back().get_revision()});
        }
    } catch (const Xapian::Error&) {
        return std::nullopt;
    }
    return out;
}

std::optional<std::vector<ShardState>> local_shard_states(const std::string& index_path) {
    auto shards = open_local_shards(index_path);
    if (!shards) return std::nullopt;
    return std::move(shards->states);
}

void write_facet_cache(const std::string& index_path) {
    const std::string path = facet_cache_path(index_path);
    std::error_code ec;
    for (int attempt = 0; attempt < kBuildAttempts; ++attempt) {
        auto before = local_shard_states(index_path);
        if (!before) {
            fs::remove(path, ec); // remote shards: a stale cache must not stay
            return;
        }
        std::string contents;
        try {
            auto shards = local_shards(index_path);
            if (!shards) continue;
            Xapian::Database db;
            for (const std::string& shard : *shards) db.add_database(Xapian::Database(shard));
            contents = build(db, *before);
        } catch (const Xapian::DatabaseModifiedError&) {
            continue;
        } catch (const Xapian::Error& e) {
            throw Error(ErrorKind::index, "cannot build the facet cache of '" + index_path + "': " + e.get_description());
        }
        // The cache describes exactly the states read before, if no commit
        // landed meanwhile.
        if (local_shard_states(index_path) != before) continue;
        const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
        {
            std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
            out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
            out.close();
            if (!out) {
                fs::remove(temporary, ec);
                throw Error(ErrorKind::index, "cannot write the facet cache '" + temporary + "'");
            }
        }
        fs::rename(temporary, path, ec);
        if (ec) {
            fs::remove(temporary, ec);
            throw Error(ErrorKind::index, "cannot write the facet cache '" + path + "': " + ec.message());
        }
        return;
    }
    fs::remove(path, ec); // the index kept changing: no cache rather than a stale one
}

void refresh_facet_cache(const std::string& index_path, std::ostream& diagnostics) {
    try {
        if (auto states = local_shard_states(index_path); states && FacetCache::open(index_path, *states)) return;
        write_facet_cache(index_path);
    } catch (const Error& e) {
        diagnostics << "indexer: warning: " << e.what() << "; facets will be counted without it\n";
    }
}

std::unique_ptr<FacetCache> FacetCache::open(const std::string& index_path, const std::vector<ShardState>& states) {
    const std::string path = facet_cache_path(index_path);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_size < 16) {
        ::close(fd);
        return nullptr;
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) return nullptr;
    std::unique_ptr<FacetCache> cache(new FacetCache);
    cache->m_map = map;
    cache->m_size = size;

    Reader in(static_cast<const char*>(map), size);
    const char* magic = in.bytes(kMagic.size());
    if (!magic || std::memcmp(magic, kMagic.data(), kMagic.size()) != 0) return nullptr;
    if (in.u32() != static_cast<std::uint32_t>(schema::kVersion)) return nullptr;
    if (in.u32() != states.size()) return nullptr;
    for (const ShardState& state : states) {
        const std::uint32_t length = in.u32();
        const char* uuid = in.bytes(length);
        const std::uint64_t low = in.u32(), high = in.u32();
        if (!in.ok() || std::string_view(uuid, length) != state.uuid ||
            (low | (high << 32)) != static_cast<std::uint64_t>(state.revision)) {
            return nullptr;
        }
    }
    const std::uint32_t id_count = in.u32();
    const std::uint32_t slot_count = in.u32();
    for (std::uint32_t k = 0; k < slot_count && in.ok(); ++k) {
        const Xapian::valueno number = in.u32();
        Slot slot;
        slot.id_count = id_count;
        slot.value_count = in.u32();
        slot.name_count = in.u32();
        const std::uint32_t name_id_count = in.u32();
        const std::uint32_t name_bytes = in.u32();
        if (!in.ok() || slot.value_count == UINT32_MAX || slot.name_count == UINT32_MAX) return nullptr;
        slot.name_starts = in.words(std::size_t{slot.value_count} + 1);
        slot.name_ids = in.words(name_id_count);
        slot.name_offsets = in.words(std::size_t{slot.name_count} + 1);
        slot.names = in.bytes(name_bytes);
        slot.id_width = id_width(slot.value_count);
        slot.ids = reinterpret_cast<const unsigned char*>(in.bytes(std::size_t{id_count} * slot.id_width));
        if (!in.ok() || !slot.name_starts || !slot.name_ids || !slot.name_offsets || !slot.ids) return nullptr;
        // Every index must stay in its table, in order: a damaged file is
        // refused here rather than read out of bounds later.
        if (slot.name_starts[0] != 0 || slot.name_starts[slot.value_count] != name_id_count) return nullptr;
        for (std::uint32_t i = 0; i < slot.value_count; ++i) {
            if (slot.name_starts[i] > slot.name_starts[i + 1]) return nullptr;
        }
        for (std::uint32_t i = 0; i < name_id_count; ++i) {
            if (slot.name_ids[i] >= slot.name_count) return nullptr;
        }
        if (slot.name_offsets[0] != 0 || slot.name_offsets[slot.name_count] != name_bytes) return nullptr;
        for (std::uint32_t i = 0; i < slot.name_count; ++i) {
            if (slot.name_offsets[i] > slot.name_offsets[i + 1]) return nullptr;
        }
        cache->m_slots.emplace_back(number, slot);
    }
    cache->m_order.id_count = id_count;
    cache->m_order.oldest = in.words(id_count);
    cache->m_order.newest = in.words(id_count);
    if (!in.ok() || !cache->m_order.oldest || !cache->m_order.newest) return nullptr;
    return cache;
}

FacetCache::~FacetCache() {
    if (m_map) ::munmap(m_map, m_size);
}

const FacetCache::Slot* FacetCache::slot(Xapian::valueno number) const {
    for (const auto& [n, s] : m_slots) {
        if (n == number) return &s;
    }
    return nullptr;
}

} // namespace pundit
