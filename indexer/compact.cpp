#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "pundit/index.hpp"
#include "pundit/index_maintenance.hpp"
#include "pundit/text_format.hpp"

namespace indexer {

void register_compact(CLI::App& app, CompactOptions& options) {
    app.add_option("--index", options.index, "Index directory (default: $NEWS_INDEX, else ~/.local/share/pundit/index)");
    app.add_flag("--merge", options.merge,
                 "Merge all shards into one database (faster to search; later ingests write one shard)");
    app.add_flag("--wait", options.wait, "Wait for another indexer to finish instead of failing at once");
    app.footer("Compacts the index with Xapian's compactor: smaller and faster to search. Each shard is\n"
               "compacted in place unless --merge. Run it after a large ingest.\n"
               "Example: indexer compact --index news.idx --merge");
}

int run_compact(const CompactOptions& options) {
    const std::string path = pundit::resolve_index_path(options.index);
    pundit::require_index(path); // a clear error when there is no index
    pundit::CompactSummary s = pundit::compact_index(
        path, options.merge, options.wait ? pundit::IndexWriter::OnLocked::wait : pundit::IndexWriter::OnLocked::fail);
    print_notes(s.notes);
    for (const std::string& shard : s.left_in_place) {
        std::cerr << "indexer: note: '" << pundit::sanitise_for_terminal(shard) << "' lies outside the index; its compacted copy replaces it, "
                  << "and it is left where it is\n";
    }
    constexpr double kMiB = 1024.0 * 1024.0;
    std::printf("indexer: compacted %zu %s into %zu: %.1f MiB -> %.1f MiB\n", s.shards_before,
                s.shards_before == 1 ? "database" : "shards", s.shards_after,
                static_cast<double>(s.bytes_before) / kMiB, static_cast<double>(s.bytes_after) / kMiB);
    return kExitOk;
}

} // namespace indexer
