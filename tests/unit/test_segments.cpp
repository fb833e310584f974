// Segments: a large ingest writes a shard's further new articles into
// fresh databases beside it and merges them in at the end
// (IngestOptions::segment_articles, merge_segments).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <xapian.h>

#include "pundit/document_builder.hpp"
#include "pundit/index.hpp"
#include "pundit/index_layout.hpp"
#include "pundit/index_set.hpp"
#include "pundit/ingest.hpp"
#include "pundit/schema.hpp"
#include "temp_dir.hpp"

namespace {

constexpr std::int64_t kAddedAt = 1700000000;

// Articles s0000 ... in input order; those in `revised` say "revised".
std::string articles(std::size_t from, std::size_t to, const std::set<std::size_t>& revised = {}) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) {
        char id[32];
        std::snprintf(id, sizeof id, "s%04zu", i);
        out += std::string("{\"id\":\"") + id + "\",\"title\":\"Headline " + std::to_string(i) +
               "\",\"date\":\"" + std::to_string(2000 + i % 10) + "-06-01\",\"body\":\"Ministers met word" +
               std::to_string(i % 7) + " about topic" + std::to_string(i % 13) + " number " + std::to_string(i) +
               (revised.contains(i) ? " revised" : "") + ".\"}\n";
    }
    return out;
}

struct Run {
    pundit::IngestSummary summary;
    std::string diagnostics;
};

// What a progress display is told: each update in order.
class RecordedProgress : public pundit::ProgressSink {
public:
    void update(const pundit::IngestProgress& progress) override { updates.push_back(progress); }
    void clear() override {}
    std::vector<pundit::IngestProgress> updates;
};

// Ingests `path` into a 2-shard index, committing every 20 articles a shard.
Run ingest(const std::string& index, const std::string& path, std::size_t segment_articles,
           pundit::ProgressSink* progress = nullptr) {
    pundit::IndexSet set(index, std::size_t{2});
    for (std::size_t k = 0; k < set.shard_count(); ++k) set.shard(k).set_added_time(kAddedAt);
    pundit::IngestOptions options;
    options.commit_every = 40;
    options.segment_articles = segment_articles;
    options.progress = progress;
    std::istringstream in;
    std::ostringstream diagnostics;
    Run run;
    run.summary = pundit::ingest(set, {path}, options, in, diagnostics);
    run.diagnostics = diagnostics.str();
    return run;
}

// Everything a document holds, by id: its data, terms with wdf and
// positions, and values.
std::map<std::string, std::string> contents(const std::string& index) {
    Xapian::Database db = pundit::open_index_for_reading(index);
    std::map<std::string, std::string> out;
    for (auto id = db.allterms_begin("Q"); id != db.allterms_end("Q"); ++id) {
        REQUIRE(db.get_termfreq(*id) == 1);
        const Xapian::Document doc = db.get_document(*db.postlist_begin(*id));
        std::string all = doc.get_data() + "\n";
        for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
            all += *t + ":" + std::to_string(t.get_wdf());
            for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) all += "," + std::to_string(*p);
            all += " ";
        }
        for (auto v = doc.values_begin(); v != doc.values_end(); ++v) all += "\n" + std::to_string(v.get_valueno()) + "=" + *v;
        out[(*id).substr(1)] = all;
    }
    return out;
}

// The id a document carries (its Q term).
std::string id_of(const Xapian::Document& doc) {
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        if ((*t).starts_with("Q")) return (*t).substr(1);
    }
    return {};
}

// The ids a term's documents carry, in document id order, in one shard.
std::vector<std::string> ids_in_order(const std::string& shard, const std::string& term) {
    Xapian::Database db(shard);
    std::vector<std::string> out;
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) out.push_back(id_of(db.get_document(*p)));
    return out;
}

// The ids of the documents a term finds, best first, with their weights.
std::vector<std::string> ranked(const std::string& index, const std::string& term) {
    Xapian::Enquire enquire(pundit::open_index_for_reading(index));
    enquire.set_query(Xapian::Query(term));
    std::vector<std::string> out;
    const Xapian::MSet mset = enquire.get_mset(0, 1000);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        out.push_back(id_of(it.get_document()) + "@" + std::to_string(it.get_weight()));
    }
    return out;
}

std::string stub(const std::string& index) {
    std::ifstream in(std::filesystem::path(index) / pundit::kStubFileName);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

TEST_CASE("segments: a large run's articles past a shard's share go to segments, and the merged index is the same") {
    test::TempDir dir;
    const std::string input = dir.write("in.jsonl", articles(0, 600));
    const Run segmented = ingest(dir / "seg", input, 40);
    const Run direct = ingest(dir / "direct", input, 0);
    CHECK(segmented.summary.added == 600);
    CHECK(segmented.diagnostics == "");
    // Merged: the shards were rewritten from the segments, which are gone.
    CHECK(stub(dir / "seg") == "auto compact-1/shard-00\nauto compact-1/shard-01\n");
    CHECK(stub(dir / "direct") == "auto shard-00\nauto shard-01\n");
    CHECK_FALSE(std::filesystem::exists(dir / "seg/segments"));
    CHECK(pundit::list_segments(dir / "seg").empty());
    // Every article, with the same data, terms, positions and values (the
    // added time included: a segment stamps what its shard stamps).
    const auto got = contents(dir / "seg");
    CHECK(got.size() == 600);
    CHECK(got == contents(dir / "direct"));
    // In each shard in input order, as written directly: the shard's own
    // articles first, then each segment's.
    for (const char* shard : {"shard-00", "shard-01"}) {
        CAPTURE(shard);
        const auto order = ids_in_order(dir / ("seg/compact-1/" + std::string(shard)), "ministers");
        CHECK(order.size() > 200);
        CHECK(std::is_sorted(order.begin(), order.end()));
        CHECK(order == ids_in_order(dir / ("direct/" + std::string(shard)), "ministers"));
    }
    for (const char* term : {"word3", "topic5", "Zminist", "number"}) {
        CAPTURE(term);
        CHECK(ranked(dir / "seg", term) == ranked(dir / "direct", term));
    }
    // Below a shard's share nothing is segmented: the shards stay where they are.
    const std::string small = dir.write("small.jsonl", articles(0, 60));
    ingest(dir / "small", small, 40);
    CHECK(stub(dir / "small") == "auto shard-00\nauto shard-01\n");
}

TEST_CASE("segments: a later record of an id replaces the article where it is, shard or segment") {
    test::TempDir dir;
    // 3 lands in a shard's own share, 150 in an early segment, 290 in the
    // last; 100 comes again unchanged.
    const std::set<std::size_t> revised{3, 150, 290};
    std::string again;
    for (std::size_t i : {3, 150, 290, 100}) {
        again += articles(i, i + 1, i == 100 ? std::set<std::size_t>{} : revised);
    }
    const std::string input = dir.write("in.jsonl", articles(0, 300) + again);
    const Run run = ingest(dir / "idx", input, 30);
    CHECK(run.summary.added == 300);
    CHECK(run.summary.replaced == 0);
    CHECK(run.summary.unchanged == 0);
    CHECK(run.summary.warnings == 4);
    CHECK(stub(dir / "idx").find("compact-1/") != std::string::npos);
    Xapian::Database db = pundit::open_index_for_reading(dir / "idx");
    CHECK(db.get_doccount() == 300);
    for (auto id = db.allterms_begin("Q"); id != db.allterms_end("Q"); ++id) REQUIRE(db.get_termfreq(*id) == 1);
    std::set<std::string> found;
    for (auto p = db.postlist_begin("revised"); p != db.postlist_end("revised"); ++p) found.insert(id_of(db.get_document(*p)));
    CHECK(found == std::set<std::string>{"s0003", "s0150", "s0290"});
}

TEST_CASE("segments: into a held index, changed articles are replaced in their shard and new ones segmented") {
    test::TempDir dir;
    ingest(dir / "idx", dir.write("before.jsonl", articles(0, 100)), 0);
    std::set<std::size_t> revised;
    for (std::size_t i = 0; i < 100; i += 2) revised.insert(i);
    const Run run = ingest(dir / "idx", dir.write("run.jsonl", articles(0, 500, revised)), 40);
    CHECK(run.summary.added == 400);
    CHECK(run.summary.replaced == 50);
    CHECK(run.summary.unchanged == 50);
    CHECK(stub(dir / "idx").find("compact-1/") != std::string::npos);
    Xapian::Database db = pundit::open_index_for_reading(dir / "idx");
    CHECK(db.get_doccount() == 500);
    CHECK(db.get_termfreq("revised") == 50);
    const std::string direct = dir / "direct";
    ingest(direct, dir / "before.jsonl", 0);
    ingest(direct, dir / "run.jsonl", 0);
    CHECK(contents(dir / "idx") == contents(direct));
}

TEST_CASE("segments: segments a killed run left are merged when the index is next opened for writing") {
    test::TempDir dir;
    const std::string index = dir / "idx";
    ingest(index, dir.write("before.jsonl", articles(0, 50)), 0);
    // What a killed run leaves: committed segments of shard 1, numbered 1
    // and 2, and a segment whose creation was cut short (not a database).
    {
        pundit::IndexSet set(index, std::size_t{2});
        pundit::DocumentBuilder builder(nullptr);
        for (std::size_t n : {1, 2}) {
            pundit::IndexWriter segment(set.segment_path(1, n));
            for (std::size_t i = 0; i < 10; ++i) {
                pundit::Article article;
                article.id = "left-" + std::to_string(n) + "-" + std::to_string(i);
                article.title = "Left behind";
                article.body = "Committed to a segment before the kill.";
                segment.add_new(builder.build(article));
            }
            segment.commit();
        }
        // Cut short: empty, or Xapian's files beside our marker and no version file.
        std::filesystem::create_directories(std::filesystem::path(set.segment_path(0, 7)));
        const std::filesystem::path cut = set.segment_path(1, 3);
        std::filesystem::create_directories(cut);
        std::ofstream(cut / pundit::kCreatingName) << "a database is being created here\n";
        std::ofstream(cut / "postlist.glass") << "partial";
        // Cut short before the marker was renamed into place.
        const std::filesystem::path staged = set.segment_path(0, 8);
        std::filesystem::create_directories(staged);
        std::ofstream(staged / (std::string(pundit::kCreatingName) + ".new-123")) << "a database is";
    }
    const auto listed = pundit::list_segments(index);
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].relative == "segments/shard-01.0001");
    CHECK(listed[1].relative == "segments/shard-01.0002");
    pundit::IndexSet reopened(index, std::size_t{2});
    REQUIRE(reopened.notes().size() == 1);
    CHECK(reopened.notes()[0].find("merged 2 segments") != std::string::npos);
    CHECK(stub(index) == "auto shard-00\nauto compact-1/shard-01\n");
    CHECK(pundit::list_segments(index).empty());
    CHECK_FALSE(std::filesystem::exists(dir / "idx/segments"));
    Xapian::Database db = pundit::open_index_for_reading(index);
    CHECK(db.get_doccount() == 70);
    CHECK(db.get_termfreq("kill") == 20);
    CHECK(db.get_termfreq("Qleft-2-9") == 1);
}

TEST_CASE("segments: the progress display is told what the end of the run does, once every article is written") {
    test::TempDir dir;
    const std::string input = dir.write("in.jsonl", articles(0, 600));
    const auto size = std::filesystem::file_size(input);
    RecordedProgress progress;
    CHECK(ingest(dir / "seg", input, 40, &progress).summary.added == 600);
    std::vector<std::string> stages;
    for (const pundit::IngestProgress& p : progress.updates) {
        if (p.stage.empty()) continue;
        stages.push_back(p.stage);
        // Every article written and the whole input read, before each stage.
        CHECK(p.articles == 600);
        CHECK(p.bytes_read == size);
        CHECK(p.bytes_total == size);
    }
    // Each shard took 40 of its articles, then segments of 40 (the last
    // of each shard may be partly filled).
    const std::size_t segments = stages.empty() ? 0 : std::stoul(stages.front().substr(std::string("merging ").size()));
    CHECK(segments >= 2 * (300 - 40 - 60) / 40);
    CHECK(stages == std::vector<std::string>{"merging " + std::to_string(segments) + " segments into the shards",
                                             "filling the spelling table", "writing the facet cache"});
    // Without segments there is nothing to merge.
    RecordedProgress direct;
    ingest(dir / "direct", input, 0, &direct);
    stages.clear();
    for (const pundit::IngestProgress& p : direct.updates) {
        if (!p.stage.empty()) stages.push_back(p.stage);
    }
    CHECK(stages == std::vector<std::string>{"filling the spelling table", "writing the facet cache"});
}
