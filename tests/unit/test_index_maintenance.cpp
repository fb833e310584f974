#include <doctest/doctest.h>

#include <filesystem>

#include "pundit/index.hpp"
#include "pundit/index_maintenance.hpp"
#include "pundit/index_set.hpp"
#include "pundit/searcher.hpp"
#include "corpus_fixture.hpp"
#include "gazetteer_fixture.hpp"
#include "temp_dir.hpp"

TEST_CASE("compaction, per shard or merged, keeps every article, answer and facet") {
    test::TempDir dir;
    std::string path = dir / "index";
    test::index_corpus(path, 3);
    pundit::QuerySpec spec;
    spec.query = "president OR minister";
    spec.sort = pundit::SortOrder::newest;
    spec.limit = 100;
    spec.facets = {"leader", "country", "org"};
    spec.facet_limit = 0;
    auto answer = [&] {
        pundit::Searcher s(path, [] { return test::gazetteer(); });
        auto r = s.search(spec);
        std::string out = std::to_string(s.document_count()) + "\n";
        for (const auto& h : r.hits) out += h.article.id + "\n";
        for (const auto& f : r.facets) {
            out += f.name + " " + std::to_string(f.distinct) + "\n";
            for (const auto& v : f.values) out += v.value + "=" + std::to_string(v.count) + "\n";
        }
        return out;
    };
    const std::string before = answer();
    // A searcher that stays open follows the index to its compacted shards.
    pundit::Searcher open_all_along(path, [] { return test::gazetteer(); });
    const std::size_t hits = open_all_along.search(spec).hits.size();

    auto kept = pundit::compact_index(path, false);
    CHECK(kept.shards_before == 3);
    CHECK(kept.shards_after == 3);
    CHECK(answer() == before);
    // The compacted shards are new directories; the old ones are gone.
    CHECK(pundit::shard_paths(path) == std::vector<std::string>{path + "/compact-1/shard-00", path + "/compact-1/shard-01",
                                                                path + "/compact-1/shard-02"});
    CHECK_FALSE(std::filesystem::exists(path + "/shard-00"));
    CHECK(open_all_along.search(spec).hits.size() == hits);

    auto merged = pundit::compact_index(path, true);
    CHECK(merged.shards_before == 3);
    CHECK(merged.shards_after == 1);
    CHECK(merged.bytes_after > 0);
    CHECK(pundit::shard_paths(path) == std::vector<std::string>{path + "/compact-2/shard-00"});
    CHECK_FALSE(std::filesystem::exists(path + "/compact-1"));
    CHECK(answer() == before);
    CHECK(open_all_along.search(spec).hits.size() == hits);

    // A merged index takes new articles as a single database.
    {
        pundit::IndexSet again(path, 4);
        CHECK(again.shard_count() == 1);
        CHECK(again.describe() == "a single database");
    }

    // A plain database is compacted into a stub that lists its copy.
    const std::string plain = dir / "plain";
    test::index_corpus(plain, 1);
    const std::size_t documents = pundit::open_index_for_reading(plain).get_doccount();
    auto single = pundit::compact_index(plain, false);
    CHECK(single.shards_after == 1);
    CHECK(pundit::shard_paths(plain) == std::vector<std::string>{plain + "/compact-1/shard-00"});
    CHECK_FALSE(std::filesystem::exists(plain + "/iamglass"));
    CHECK_FALSE(std::filesystem::exists(plain + "/postlist.glass"));
    CHECK(pundit::open_index_for_reading(plain).get_doccount() == documents);
}
