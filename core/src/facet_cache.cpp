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

#include "pundit/durable_file.hpp"
#include "pundit/error.hpp"
#include "pundit/index.hpp"
#include "pundit/index_layout.hpp"
#include "pundit/reopen_retry.hpp"
#include "pundit/schema.hpp"
#include "pundit/text_format.hpp"

#include <xxhash.h>

namespace pundit {
namespace {

namespace fs = std::filesystem;

// File layout, every field a little-endian uint32 on a 4-byte boundary
// (64-bit numbers as two, low word first):
//   header: magic (2 words), schema version, shard count,
//     per shard: uuid byte length, uuid bytes padded to 4, revision (2 words),
//     id count (last docid + 1), slot count,
//     per slot: slot number, section offset, length and XXH3 hash (2 words each),
//     the date-order section's offset, length and hash,
//     the XXH3 hash of the header so far (2 words);
//   a section per slot: value count, name count, name id count, name byte
//     length, name_starts[value count + 1], name_ids[name id count],
//     name_offsets[name count + 1], names padded to 4, ids[id count] padded
//     to 4, each id of id_width(value count) bytes;
//   the date-order section: oldest-first places[id count], newest-first
//     places[id count].
// A section is checked against its hash when a search first reads it, so a
// search pays only for the sections it uses (a file damaged anywhere else
// still serves it), and a damaged section is never read.
constexpr std::array<char, 8> kMagic{'P', 'N', 'D', 'F', 'C', 'v', '5', '\n'};

// Bytes per id for a slot with this many values (ids go up to value_count).
unsigned id_width(std::uint32_t value_count) {
    if (value_count <= 0xffu) return 1;
    if (value_count <= 0xffffu) return 2;
    return 4;
}

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

void put64(std::string& out, std::uint64_t v) {
    put32(out, static_cast<std::uint32_t>(v & 0xffffffffu));
    put32(out, static_cast<std::uint32_t>(v >> 32));
}

std::uint64_t hash_of(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

// The section of one slot: its values split into names, and every
// document's value id.
std::string slot_section(const Xapian::Database& db, Xapian::valueno slot, std::uint32_t id_count) {
    std::string out;
    std::vector<std::uint32_t> ids(id_count, 0);
    std::unordered_map<std::string, std::uint32_t> index;
    std::vector<const std::string*> values;
    const Xapian::valueno read = schema::facet_value_slot(slot);
    const std::size_t kept = schema::facet_value_bytes(slot);
    for (auto it = db.valuestream_begin(read); it != db.valuestream_end(read); ++it) {
        auto [entry, added] = index.emplace((*it).substr(0, kept), narrow(values.size()));
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
    return out;
}

// The cache of `db`, built from `states`, as file contents.
std::string build(const Xapian::Database& db, const std::vector<ShardState>& states) {
    const std::uint32_t id_count = narrow(std::size_t{db.get_lastdocid()} + 1);
    std::vector<std::string> sections;
    for (Xapian::valueno slot : kCachedSlots) sections.push_back(slot_section(db, slot, id_count));
    std::string order;
    for (auto [slot, newest_first] : {std::pair{schema::kOldestKeySlot, false}, std::pair{schema::kNewestKeySlot, true}}) {
        for (std::uint32_t place : places(db, slot, newest_first, id_count)) put32(order, place);
    }
    sections.push_back(std::move(order));

    std::string out(kMagic.begin(), kMagic.end());
    put32(out, static_cast<std::uint32_t>(schema::kVersion));
    put32(out, narrow(states.size()));
    for (const ShardState& s : states) {
        put32(out, narrow(s.uuid.size()));
        out += s.uuid;
        pad4(out);
        put64(out, static_cast<std::uint64_t>(s.revision));
    }
    put32(out, id_count);
    put32(out, narrow(kCachedSlots.size()));
    // Sections start after the header, whose size is known from here on.
    constexpr std::size_t kSlotEntryBytes = 7 * 4, kOrderEntryBytes = 6 * 4, kHashBytes = 8;
    std::uint64_t offset = out.size() + kCachedSlots.size() * kSlotEntryBytes + kOrderEntryBytes + kHashBytes;
    for (std::size_t k = 0; k < sections.size(); ++k) {
        if (k < kCachedSlots.size()) put32(out, kCachedSlots[k]);
        put64(out, offset);
        put64(out, sections[k].size());
        put64(out, hash_of(sections[k]));
        offset += sections[k].size();
    }
    put64(out, hash_of(out));
    for (const std::string& section : sections) out += section;
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
    std::uint64_t u64() {
        const std::uint64_t low = u32();
        return low | (std::uint64_t{u32()} << 32);
    }
    std::size_t position() const { return m_pos; }
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

std::string facet_cache_path(const std::string& index_path) {
    std::error_code ec;
    if (!fs::is_regular_file(index_path, ec)) return (fs::path(index_path) / kFacetCacheName).string();
    // A stub given as a file: DIR/XAPIANDB is the index DIR; a stub of
    // another name reads the cache of the index holding its first shard (a
    // plain index, or the sharded index the shard's directory is).
    // The cache names every shard's uuid and revision in order, so it applies
    // only to a stub that lists exactly that index's shards (FacetCache::open).
    fs::path dir = fs::path(index_path).parent_path();
    if (fs::path(index_path).filename() != kStubFileName) {
        if (auto shards = local_shards(index_path)) {
            // A plain index keeps its cache inside its one database.
            const fs::path first(shards->front());
            dir = fs::exists(first / kFacetCacheName, ec) ? first : first.parent_path();
        }
    }
    return (dir / kFacetCacheName).string();
}

std::optional<LocalShards> open_local_shards(const std::string& index_path) {
    auto shards = local_shards(index_path);
    if (!shards) return std::nullopt;
    LocalShards out;
    try {
        for (const std::string& shard : *shards) {
            out.databases.push_back(open_local_database(shard));
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
    // Each attempt reads the shards afresh; one that a commit overtook (seen
    // by Xapian, or by the shards' states) counts as modified.
    const auto overtaken = [] { return Xapian::DatabaseModifiedError("a commit landed while the facet cache was built"); };
    std::optional<bool> written;
    try {
        written = with_reopen_retry(
            [&](int) {
                auto before = local_shard_states(index_path);
                if (!before) {
                    fs::remove(path, ec); // remote shards: a stale cache must not stay
                    return false;
                }
                auto shards = local_shards(index_path);
                if (!shards) throw overtaken();
                Xapian::Database db;
                for (const std::string& shard : *shards) db.add_database(open_local_database(shard));
                std::string contents = build(db, *before);
                // The cache describes exactly the states read before, if no
                // commit landed meanwhile.
                if (local_shard_states(index_path) != before) throw overtaken();
                // Not flushed: a cache torn by a power cut fails its checksums.
                write_file_atomically(path, contents, Durability::none);
                return true;
            },
            kBuildAttempts - 1);
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::index, "cannot build the facet cache of '" + index_path + "': " + e.get_description());
    }
    if (!written) fs::remove(path, ec); // the index kept changing: no cache rather than a stale one
}

void refresh_facet_cache(const std::string& index_path, std::ostream& diagnostics) {
    try {
        if (auto states = local_shard_states(index_path)) {
            if (auto cache = FacetCache::open(index_path, *states); cache && cache->intact()) return;
        }
        write_facet_cache(index_path);
    } catch (const Error& e) {
        diagnostics << "indexer: warning: " << sanitise_for_terminal(e.what()) << "; facets will be counted without it\n";
    }
}

std::unique_ptr<FacetCache> FacetCache::open(const std::string& index_path, const std::vector<ShardState>& states) {
    return map(index_path, &states);
}

std::unique_ptr<FacetCache> FacetCache::map(const std::string& index_path, const std::vector<ShardState>* states) {
    const std::string path = facet_cache_path(index_path);
    // Non-blocking: a FIFO planted under the name must not hang a search.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return nullptr;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 16) {
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
    const std::uint32_t shard_count = in.u32();
    if (states && shard_count != states->size()) return nullptr;
    cache->m_shard_count = shard_count;
    for (std::uint32_t k = 0; k < shard_count && in.ok(); ++k) {
        const std::uint32_t length = in.u32();
        const char* uuid = in.bytes(length);
        const std::uint64_t revision = in.u64();
        if (!in.ok()) return nullptr;
        if (states && (std::string_view(uuid, length) != (*states)[k].uuid ||
                       revision != static_cast<std::uint64_t>((*states)[k].revision))) {
            return nullptr;
        }
    }
    cache->m_id_count = in.u32();
    const std::uint32_t slot_count = in.u32();
    if (!in.ok() || slot_count > kCachedSlots.size() * 4) return nullptr;
    auto section = [&] {
        Section s;
        s.offset = in.u64();
        s.length = in.u64();
        s.hash = in.u64();
        return s;
    };
    for (std::uint32_t k = 0; k < slot_count && in.ok(); ++k) {
        const Xapian::valueno number = in.u32();
        cache->m_slot_sections.emplace_back(number, section());
    }
    cache->m_slots.resize(cache->m_slot_sections.size());
    cache->m_order_section = section();
    const std::size_t header_bytes = in.position();
    const std::uint64_t header_hash = in.u64();
    if (!in.ok() || XXH3_64bits(map, header_bytes) != header_hash) return nullptr;
    return cache;
}

bool FacetCache::check(Section& section) const {
    if (section.state == Section::State::unchecked) {
        const bool inside = section.offset <= m_size && section.length <= m_size - section.offset;
        const bool good = inside && section.offset % 4 == 0 &&
                          XXH3_64bits(static_cast<const char*>(m_map) + section.offset, section.length) == section.hash;
        section.state = good ? Section::State::good : Section::State::damaged;
        if (!good) m_damaged = true;
    }
    return section.state == Section::State::good;
}

const FacetCache::Slot* FacetCache::slot(Xapian::valueno number) const {
    for (std::size_t k = 0; k < m_slot_sections.size(); ++k) {
        auto& [n, section] = m_slot_sections[k];
        if (n != number) continue;
        const bool first = section.state == Section::State::unchecked;
        if (!check(section)) return nullptr;
        if (first && !parse_slot(section, m_slots[k])) {
            section.state = Section::State::damaged;
            m_damaged = true;
            return nullptr;
        }
        return &m_slots[k];
    }
    return nullptr;
}

bool FacetCache::parse_slot(const Section& section, Slot& slot) const {
    Reader in(static_cast<const char*>(m_map) + section.offset, section.length);
    slot.id_count = m_id_count;
    slot.value_count = in.u32();
    slot.name_count = in.u32();
    const std::uint32_t name_id_count = in.u32();
    const std::uint32_t name_bytes = in.u32();
    if (!in.ok() || slot.value_count == UINT32_MAX || slot.name_count == UINT32_MAX) return false;
    slot.name_starts = in.words(std::size_t{slot.value_count} + 1);
    slot.name_ids = in.words(name_id_count);
    slot.name_offsets = in.words(std::size_t{slot.name_count} + 1);
    slot.names = in.bytes(name_bytes);
    slot.id_width = id_width(slot.value_count);
    slot.ids = reinterpret_cast<const unsigned char*>(in.bytes(std::size_t{m_id_count} * slot.id_width));
    if (!in.ok() || !slot.name_starts || !slot.name_ids || !slot.name_offsets || !slot.ids) return false;
    // Every index must stay in its table, in order: even a section whose
    // checksum matches is never read out of bounds.
    if (slot.name_starts[0] != 0 || slot.name_starts[slot.value_count] != name_id_count) return false;
    for (std::uint32_t i = 0; i < slot.value_count; ++i) {
        if (slot.name_starts[i] > slot.name_starts[i + 1]) return false;
    }
    for (std::uint32_t i = 0; i < name_id_count; ++i) {
        if (slot.name_ids[i] >= slot.name_count) return false;
    }
    if (slot.name_offsets[0] != 0 || slot.name_offsets[slot.name_count] != name_bytes) return false;
    for (std::uint32_t i = 0; i < slot.name_count; ++i) {
        if (slot.name_offsets[i] > slot.name_offsets[i + 1]) return false;
    }
    return true;
}

bool FacetCache::intact() const {
    for (const auto& [number, section] : m_slot_sections) {
        if (!slot(number)) return false;
    }
    return order() != nullptr;
}

const FacetCache::Order* FacetCache::order() const {
    const bool first = m_order_section.state == Section::State::unchecked;
    if (!check(m_order_section)) return nullptr;
    if (first) {
        Reader in(static_cast<const char*>(m_map) + m_order_section.offset, m_order_section.length);
        m_order.id_count = m_id_count;
        m_order.oldest = in.words(m_id_count);
        m_order.newest = in.words(m_id_count);
        if (!in.ok() || !m_order.oldest || !m_order.newest) {
            m_order_section.state = Section::State::damaged;
            m_damaged = true;
            return nullptr;
        }
    }
    return &m_order;
}

std::optional<std::vector<Xapian::doccount>> FacetCache::shard_sizes(const std::string& index_path,
                                                                     std::size_t shards) {
    std::unique_ptr<FacetCache> cache = map(index_path, nullptr);
    if (!cache || shards == 0) return std::nullopt;
    if (cache->m_shard_count != shards) return std::nullopt;
    const Order* order = cache->order();
    if (!order) return std::nullopt;
    std::vector<Xapian::doccount> sizes(shards, 0);
    for (std::uint32_t docid = 1; docid < order->id_count; ++docid) {
        if (order->oldest[docid] != kNoPlace) ++sizes[(docid - 1) % shards];
    }
    return sizes;
}

FacetCache::~FacetCache() {
    if (m_map) ::munmap(m_map, m_size);
}

} // namespace pundit
