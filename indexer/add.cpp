#include <iostream>

#include "commands.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/index.hpp"
#include "pundit/index_set.hpp"
#include "pundit/ingest.hpp"

namespace indexer {

void register_add(CLI::App& app, AddOptions& options) {
    app.add_option("--index", options.index, "Index directory (default: $NEWS_INDEX, else ~/.local/share/pundit/index)");
    app.add_option("--format", options.format, "Input format: auto (by extension/content), text or jsonl")
        ->check(CLI::IsMember({"auto", "text", "jsonl"}));
    app.add_option("--gazetteer", options.gazetteer,
                   "Gazetteer directory (default: $PUNDIT_GAZETTEER, else the installed one)");
    app.add_option("--shards", options.shards,
                   "Shards of a NEW index, written in parallel (default: two per core; 1: a single database)")
        ->check(CLI::Range(1, static_cast<int>(pundit::kMaxShards)));
    app.add_option("--commit-every", options.commit_every,
                   "Articles per commit over all shards (default 2000): smaller loses less to a crash, "
                   "larger indexes faster")
        ->check(CLI::PositiveNumber);
    app.add_flag("--no-entities", options.no_entities, "Do not tag articles with leaders, countries and organisations");
    app.add_option("paths", options.paths, "Files, directories (searched for *.txt, *.jsonl, *.ndjson) or -")
        ->required();
    app.footer("Example: indexer add --index news.idx corpus/articles new-columns.jsonl");
}

int run_add(const AddOptions& options) {
    pundit::IngestOptions ingest_options;
    ingest_options.format = pundit::parse_input_format(options.format);
    if (options.commit_every > 0) ingest_options.commit_every = options.commit_every;
    if (!options.no_entities) {
        ingest_options.gazetteer = pundit::Gazetteer::load(pundit::Gazetteer::locate(options.gazetteer));
    }
    pundit::IndexSet index(pundit::resolve_index_path(options.index),
                           options.shards ? options.shards : pundit::default_shard_count());
    pundit::IngestSummary summary = pundit::ingest(index, options.paths, ingest_options, std::cin, std::cerr);
    std::cout << "indexer: " << pundit::format_summary(summary) << '\n';
    return summary.rejected > 0 ? kExitRejected : kExitOk;
}

} // namespace indexer
