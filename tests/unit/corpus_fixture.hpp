// The sample corpus (corpus/articles) indexed at `path`, tagged with the
// project's gazetteer, for tests that compare searches over a real index.
#pragma once

#include <sstream>
#include <string>

#include "gazetteer_fixture.hpp"
#include "pundit/index_set.hpp"
#include "pundit/ingest.hpp"
#include "temp_dir.hpp"

namespace test {

inline std::string index_corpus(const std::string& path, const pundit::ShardingRequest& sharding) {
    pundit::IndexSet index(path, sharding);
    pundit::IngestOptions options;
    options.gazetteer = gazetteer();
    std::istringstream in;
    std::ostringstream diagnostics;
    pundit::ingest(index, {std::string(PUNDIT_SOURCE_DIR) + "/corpus/articles"}, options, in, diagnostics);
    return path;
}

// The same with `shards` shards by hash (1: a single database).
inline std::string index_corpus(const std::string& path, std::size_t shards) {
    return index_corpus(path, pundit::ShardingRequest{pundit::ShardBy::hash, shards});
}

// The sample corpus indexed once per test process, in two shards by hash
// (facets and pages must add up over shards).
struct CorpusIndex {
    TempDir dir;
    std::string path = dir / "corpus";
    CorpusIndex() { index_corpus(path, 2); }
};

inline CorpusIndex& corpus() {
    static CorpusIndex index;
    return index;
}

} // namespace test
