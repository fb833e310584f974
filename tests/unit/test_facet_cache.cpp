#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "pundit/facet_cache.hpp"
#include "pundit/schema.hpp"
#include "pundit/searcher.hpp"
#include "corpus_fixture.hpp"
#include "gazetteer_fixture.hpp"
#include "temp_dir.hpp"

namespace {

// The facet slots the cache holds (kCachedSlots in facet_cache.cpp).
const Xapian::valueno kSlots[] = {pundit::schema::kEntitySlots[0], pundit::schema::kEntitySlots[1],
                                  pundit::schema::kEntitySlots[2], pundit::schema::kAuthorSlot,
                                  pundit::schema::kSourceSlot,     pundit::schema::kYearSlot,
                                  pundit::schema::kDateSlot};

// Everything a search can read from a slot: every document's names.
std::string render(const pundit::FacetCache::Slot& slot) {
    std::string out;
    for (std::uint32_t docid = 0; docid < slot.id_count; ++docid) {
        const std::uint32_t id = slot.id(docid);
        out += std::to_string(docid) + ":";
        if (id == 0 || id > slot.value_count) continue;
        for (std::uint32_t k = slot.name_starts[id - 1]; k < slot.name_starts[id]; ++k) {
            out += std::string(slot.name(slot.name_ids[k])) + ";";
        }
    }
    return out;
}

std::string render(const pundit::FacetCache::Order& order) {
    std::string out;
    for (std::uint32_t docid = 0; docid < order.id_count; ++docid) {
        out += std::to_string(order.place(docid, false)) + "," + std::to_string(order.place(docid, true)) + ";";
    }
    return out;
}

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

} // namespace

TEST_CASE("facet cache: a byte changed anywhere is caught by a checksum, never read") {
    test::TempDir dir;
    const std::string path = test::index_corpus(dir / "idx", 2);
    auto states = pundit::local_shard_states(path);
    REQUIRE(states);
    const std::string file = pundit::facet_cache_path(path);
    const std::string pristine = test::read_file(file);
    REQUIRE(pristine.size() > 1000);
    std::vector<std::string> expected;
    {
        auto cache = pundit::FacetCache::open(path, *states);
        REQUIRE(cache);
        CHECK(cache->intact());
        for (Xapian::valueno slot : kSlots) {
            REQUIRE(cache->slot(slot));
            expected.push_back(render(*cache->slot(slot)));
        }
        REQUIRE(cache->order());
        expected.push_back(render(*cache->order()));
        CHECK_FALSE(cache->damaged());
    }
    // Flip one byte at a time, all over the file: either the header is
    // refused, or each section reads as before or is refused as damaged.
    std::size_t refused = 0, damaged_sections = 0;
    for (std::size_t at = 0; at < pristine.size(); at += 7) {
        CAPTURE(at);
        std::string bytes = pristine;
        bytes[at] = static_cast<char>(bytes[at] ^ 0x5a);
        write_bytes(file, bytes);
        auto cache = pundit::FacetCache::open(path, *states);
        if (!cache) {
            ++refused;
            continue;
        }
        std::size_t damaged = 0;
        for (std::size_t k = 0; k < std::size(kSlots); ++k) {
            const pundit::FacetCache::Slot* slot = cache->slot(kSlots[k]);
            if (slot) CHECK(render(*slot) == expected[k]);
            else ++damaged;
        }
        if (const pundit::FacetCache::Order* order = cache->order()) CHECK(render(*order) == expected.back());
        else ++damaged;
        // The flipped byte is in exactly one section.
        CHECK(damaged == 1);
        CHECK(cache->damaged());
        CHECK_FALSE(cache->intact());
        damaged_sections += damaged;
    }
    CHECK(refused > 0);
    CHECK(damaged_sections > 0);
    write_bytes(file, pristine);
}

TEST_CASE("facet cache: a search over a damaged cache gives what the stock spies give, and warns") {
    test::TempDir dir;
    const std::string path = test::index_corpus(dir / "idx", 2);
    const std::string reference = test::index_corpus(dir / "reference", 2);
    std::filesystem::remove(pundit::facet_cache_path(reference));
    // The tail of the file (the date-order places) overwritten, the header intact.
    const std::string file = pundit::facet_cache_path(path);
    std::string bytes = test::read_file(file);
    std::fill(bytes.end() - 200, bytes.end(), '\x11');
    write_bytes(file, bytes);

    auto search = [](const std::string& index, std::vector<std::string>* warnings) {
        pundit::Searcher searcher(index, [] { return test::gazetteer(); });
        pundit::QuerySpec spec;
        spec.sort = pundit::SortOrder::newest;
        spec.limit = 8;
        spec.offset = 3;
        spec.facets = {"leader", "year"};
        spec.facet_limit = 0;
        pundit::SearchResults results = searcher.search(spec);
        std::string out = std::to_string(results.total) + "\n";
        for (const auto& hit : results.hits) out += hit.article.id + "\n";
        for (const auto& facet : results.facets) {
            for (const auto& value : facet.values) out += value.value + "=" + std::to_string(value.count) + "\n";
        }
        if (warnings) *warnings = results.warnings;
        return out;
    };
    std::vector<std::string> warnings, none;
    CHECK(search(path, &warnings) == search(reference, &none));
    CHECK(none.empty());
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0] == "the facet cache '" + file + "' is damaged: facets are counted without it (indexer repair rewrites it)");
}

TEST_CASE("facet cache: a stub file listing an index's shards reads that index's cache") {
    test::TempDir dir;
    const std::string path = test::index_corpus(dir / "idx", 2);
    const std::string cache = pundit::facet_cache_path(path);
    auto write_stub = [&](const std::string& name, const std::string& lines) {
        write_bytes(dir / name, lines);
        return dir / name;
    };
    const std::string same = write_stub("same.stub", "auto idx/shard-00\nauto idx/shard-01\n");
    const std::string swapped = write_stub("swapped.stub", "auto idx/shard-01\nauto idx/shard-00\n");
    const std::string one = write_stub("one.stub", "auto idx/shard-01\n");
    CHECK(pundit::facet_cache_path(path + "/XAPIANDB") == cache);
    for (const std::string& stub : {same, swapped, one}) {
        CAPTURE(stub);
        CHECK(pundit::facet_cache_path(stub) == cache);
    }
    auto applies = [](const std::string& index) {
        auto shards = pundit::open_local_shards(index);
        REQUIRE(shards);
        return pundit::FacetCache::open(index, shards->states) != nullptr;
    };
    CHECK(applies(path));
    CHECK(applies(same));
    // Other shards, or the same in another order (other document ids): not this cache.
    CHECK_FALSE(applies(swapped));
    CHECK_FALSE(applies(one));
    // A plain index keeps its cache in its database directory.
    const std::string plain = test::index_corpus(dir / "plain", 1);
    const std::string to_plain = write_stub("plain.stub", "auto plain\n");
    CHECK(pundit::facet_cache_path(to_plain) == pundit::facet_cache_path(plain));
    CHECK(applies(to_plain));
}
