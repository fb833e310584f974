// The ingest pipeline behind `indexer add`: read records -> Article ->
// build document -> write -> commit, with diagnostics printed as they come
// and a summary at the end. The binary parses options; this unit does the
// work, so tests can drive it without a process.
#pragma once

#include <cstddef>
#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "pundit/gazetteer.hpp"
#include "pundit/index_set.hpp"
#include "pundit/input_reader.hpp"

namespace pundit {

// Articles written between commits (over all shards). A crash loses at most
// this many articles' work; larger batches amortise Xapian's commit cost,
// which grows with the index. By default the batch is 1% of the articles
// already in the index, at least kCommitEvery and at most kMaxCommitEvery:
// adding 60,000 articles to an index of 10^6 took 69.7 s in batches of 2,000
// and 39.5 s in batches of 12,000 (2 cores), while below 200,000 articles
// 2,000 was the fastest batch we measured.
inline constexpr std::size_t kCommitEvery = 2000;
inline constexpr std::size_t kMaxCommitEvery = 10000;
inline constexpr std::size_t kCommitShareOfIndex = 100; // 1 / 100 of the index
// And sooner when the batch's text (headlines and bodies, over all writers)
// reaches this many bytes: Xapian holds about 28 times the text it has not
// committed (27 KB for an article of 975 bytes, scripts/benchkit/README.md),
// so 10 MiB of text is some 290 MB, the largest part of the indexer's
// memory budget (README.md). A batch of 10,000 articles of news length
// stays as it was; 10,000 articles of 5 KB would have held 1.4 GB.
inline constexpr std::size_t kCommitTextBytes = std::size_t{10} << 20;
// The text waiting for the writer threads, in bytes, shared out between
// them (queued_bytes_per_writer). A writer that commits takes no articles
// for seconds; its queue must hold what the reader routes to it meanwhile,
// or the reader stops and every other writer runs dry (with 64 articles a
// queue, the reader was blocked in 93% of the samples and 10^5 articles
// took 215 s; with 4,096, 179 s for the same CPU and memory:
// scripts/benchkit/README.md). 8 MiB a writer with the default four shards
// is about 7,000 news articles each; with more shards each gets less, so
// that the total, part of the memory budget (README.md), does not grow
// with them, down to kMinQueuedBytesPerWriter.
inline constexpr std::size_t kQueuedBytes = std::size_t{32} << 20;
inline constexpr std::size_t kMinQueuedBytesPerWriter = std::size_t{1} << 20;
std::size_t queued_bytes_per_writer(std::size_t writers);

// Segments. Xapian's commit costs more the larger the database it merges
// into: 10^6 articles written into four shards took 1,530 CPU s, ten runs
// of 10^5 into fresh indexes about 1,100. So once a shard has taken this
// many new articles in one run, its writer puts the run's further new
// articles into segments, fresh databases of this many articles each
// (DIR/segments/, index_layout.hpp), and the end of the run merges them
// into the shard with Xapian's compactor (merge_segments). Readers see the
// segments' articles once merged; a killed run's segments are merged by the
// next process that opens the index for writing. 0: no segments.
inline constexpr std::size_t kSegmentArticles = 25000;

// A snapshot of a running ingest, for progress displays.
struct IngestProgress {
    std::size_t articles = 0;      // articles written or found unchanged so far
    std::uint64_t bytes_read = 0;  // input consumed so far
    std::uint64_t bytes_total = 0; // size of all inputs; 0 when unknown (standard input)
    double seconds = 0;            // since the start
    // Empty while articles are read and written; then what the end of the
    // run is doing ("merging 36 segments into the shards"), which takes
    // some tens of seconds on a large run.
    std::string stage;
};

// Receives progress while ingest() runs (from the reading thread).
class ProgressSink {
public:
    virtual ~ProgressSink() = default;
    virtual void update(const IngestProgress& progress) = 0;
    // Called before a diagnostic is printed, so a live line can get out of its way.
    virtual void clear() = 0;
};

// How often progress is reported, in seconds.
inline constexpr double kProgressInterval = 0.25;

struct IngestOptions {
    InputOptions input; // the format, and whether links in directories are followed
    // Tags articles with the entities it lists; null: no entity tags.
    std::shared_ptr<const Gazetteer> gazetteer;
    std::size_t commit_every = 0; // articles per commit over all shards; 0: grow with the index (above)
    std::size_t commit_text_bytes = kCommitTextBytes; // or sooner, at this much text over all shards
    std::size_t segment_articles = kSegmentArticles;  // per shard and segment; 0: none (above)
    ProgressSink* progress = nullptr; // optional
    // Set (by a signal handler, say) to stop reading: what was read is
    // written and committed, and the summary says where reading stopped.
    const std::atomic<bool>* stop = nullptr;
};

struct IngestSummary {
    std::size_t added = 0;
    std::size_t replaced = 0;
    std::size_t unchanged = 0;
    std::size_t rejected = 0; // records or files refused with an error
    std::size_t warnings = 0;
    std::size_t files = 0;
    double seconds = 0;
    bool interrupted = false;    // stopped by IngestOptions::stop
    std::string next_unread;     // then: "path:line" of the first article not read, if any
};

// Ingests every PATH ("-" = `standard_input`) into `index` and commits.
// The calling thread reads and parses the input; one thread per shard
// normalises, tags, builds and writes, so shards are written in parallel.
// Diagnostics go to `diagnostics` as they are found, in input order.
IngestSummary ingest(IndexSet& index, const std::vector<std::string>& paths, const IngestOptions& options,
                     std::istream& standard_input, std::ostream& diagnostics);

// "12 added, 3 replaced, 40 unchanged, 1 rejected (2 warnings) from 14 files in 0.52 s"
std::string format_summary(const IngestSummary& summary);

} // namespace pundit
