#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

#include <signal.h>
#include <unistd.h>

#include "commands.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/index.hpp"
#include "pundit/index_set.hpp"
#include "pundit/ingest.hpp"
#include "pundit/text_format.hpp"

namespace indexer {
namespace {

// A live progress line on a terminal: articles, rate and, when the input
// size is known, how much is done and the time left; then what the end of
// the run is doing. Rewritten in place with a carriage return; erased before
// diagnostics and at the end.
class ProgressLine : public pundit::ProgressSink {
public:
    ~ProgressLine() override { clear(); }

    void update(const pundit::IngestProgress& p) override {
        char line[160];
        if (!p.stage.empty()) {
            // Every article is done; the end of the run has no rate or ETA.
            std::snprintf(line, sizeof line, "indexer: %s articles; %s...", pundit::format_count(p.articles).c_str(),
                          p.stage.c_str());
            show(line);
            return;
        }
        double rate = p.seconds > 0 ? static_cast<double>(p.articles) / p.seconds : 0;
        int n = std::snprintf(line, sizeof line, "indexer: %s articles, %s/s", pundit::format_count(p.articles).c_str(),
                              pundit::format_count(static_cast<std::uint64_t>(rate)).c_str());
        if (p.bytes_total > 0 && p.bytes_read > 0 && n > 0) {
            double done = static_cast<double>(p.bytes_read) / static_cast<double>(p.bytes_total);
            long eta = static_cast<long>(p.seconds / done - p.seconds);
            std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), ", %.0f%% of %.1f MB, ETA %ld:%02ld",
                          100 * done, static_cast<double>(p.bytes_total) / 1e6, eta / 60, eta % 60);
        }
        show(line);
    }

    void clear() override {
        if (!m_shown) return;
        std::fputs("\r\x1b[K", stderr);
        std::fflush(stderr);
        m_shown = false;
    }

private:
    void show(const char* line) {
        std::fprintf(stderr, "\r\x1b[K%s", line);
        std::fflush(stderr);
        m_shown = true;
    }

    bool m_shown = false;
};

// Set by SIGINT or SIGTERM: the ingest stops reading, commits what it read
// and exits. (A signal handler can reach nothing but a global.)
std::atomic<bool> g_stop{false};
volatile std::sig_atomic_t g_signal = 0;

void on_signal(int signal) {
    g_signal = signal;
    g_stop = true;
}

} // namespace

void register_add(CLI::App& app, AddOptions& options) {
    app.add_option("--index", options.index, "Index directory (default: $NEWS_INDEX, else ~/.local/share/pundit/index)");
    app.add_option("--format", options.format, "Input format: auto (by extension/content), text or jsonl")
        ->check(CLI::IsMember({"auto", "text", "jsonl"}));
    app.add_flag("--follow,-L", options.follow,
                 "Follow symbolic links met in directories (a PATH given is always followed)");
    add_default_date_option(app, options.default_date);
    app.add_option("--gazetteer", options.gazetteer,
                   "Gazetteer directory (default: $PUNDIT_GAZETTEER, else the installed one)");
    app.add_option("--shards", options.shards,
                   "Shards of a NEW index sharded by hash, written in parallel (default: two per core; 1: a single database)")
        ->check(CLI::Range(1, static_cast<int>(pundit::kMaxShards)));
    app.add_option("--shard-by", options.shard_by,
                   "How a NEW index is sharded: hash (of the article id, the default) or year (a shard per year "
                   "of the article's date, and one for undated articles); later runs follow the index")
        ->check(CLI::IsMember({"hash", "year"}));
    app.add_option("--commit-every", options.commit_every,
                   "Articles per commit over all shards (default: 1% of the index, 2000 to 10000): "
                   "smaller loses less to a crash, larger indexes faster")
        ->check(CLI::PositiveNumber);
    app.add_option("--segment-size", options.segment_size,
                   "Once a shard has taken this many new articles in one run, write the run's further new articles "
                   "into segments of this many, merged into the shard at the end (default: 25000; 0: none)")
        ->check(CLI::NonNegativeNumber);
    app.add_flag("--wait", options.wait, "Wait for another indexer to finish instead of failing at once");
    app.add_flag("--quiet,-q", options.quiet, "No progress line (there is none either when stderr is not a terminal)");
    app.add_flag("--no-entities", options.no_entities, "Do not tag articles with leaders, countries and organisations");
    add_batch_options(app, options.exclude, options.verbose);
    app.add_option("paths", options.paths, "Files, directories (searched for *.txt, *.jsonl, *.ndjson) or -")
        ->required();
    app.footer("Examples:\n  indexer add --index news.idx corpus/articles new-columns.jsonl\n"
               "  indexer add --shards 4 --commit-every 10000 --quiet archive.jsonl   (a new index in 4 shards)\n"
               "  indexer add --format text - < column.txt   (standard input, read as plain text)\n"
               "  indexer add --follow feeds/   (reading the files and directories linked from feeds/ too)\n"
               "  indexer add --wait --no-entities feeds/   (after the running indexer, without tagging)\n"
               "  indexer add --gazetteer ~/gazetteer corpus/articles\n"
               "  indexer add --shard-by year --index news-by-year.idx corpus/articles\n"
               "  indexer add --default-date 2005-06-30 bbc-2005/   (files without a date of their own)\n"
               "  indexer add --exclude README.TXT --exclude 'drafts/*' reuters/   (not those files)");
}

int run_add(const AddOptions& options) {
    // Every shard open for writing holds a few files, and an index by year
    // may have hundreds of shards.
    pundit::raise_open_file_limit();
    pundit::IngestOptions ingest_options;
    ingest_options.input =
        input_options(options.format, options.follow, options.default_date, options.exclude, options.verbose);
    // A PATH mistyped is found before an index is created.
    pundit::require_input_paths(options.paths);
    if (options.commit_every > 0) ingest_options.commit_every = options.commit_every;
    if (options.segment_size) ingest_options.segment_articles = *options.segment_size;
    if (!options.no_entities) {
        ingest_options.gazetteer = pundit::Gazetteer::load(pundit::Gazetteer::locate(options.gazetteer));
    }
    pundit::ShardingRequest sharding;
    if (!options.shard_by.empty()) sharding.by = pundit::parse_shard_by(options.shard_by);
    if (options.shards > 0) sharding.shards = options.shards;
    pundit::IndexSet index(pundit::resolve_index_path(options.index), sharding,
                           options.wait ? pundit::IndexWriter::OnLocked::wait : pundit::IndexWriter::OnLocked::fail);
    print_notes(index.notes());
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    ingest_options.stop = &g_stop;
    ProgressLine progress;
    if (!options.quiet && isatty(STDERR_FILENO)) ingest_options.progress = &progress;
    pundit::IngestSummary summary = pundit::ingest(index, options.paths, ingest_options, std::cin, std::cerr);
    progress.clear();
    // The summary names the file it stopped before, when interrupted.
    std::cout << "indexer: " << pundit::sanitise_for_terminal(pundit::format_summary(summary)) << '\n';
    if (summary.interrupted) return kExitSignalBase + static_cast<int>(g_signal);
    return summary.rejected > 0 ? kExitRejected : kExitOk;
}

} // namespace indexer
