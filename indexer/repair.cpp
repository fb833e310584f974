#include <iostream>

#include "commands.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/index.hpp"
#include "pundit/index_maintenance.hpp"
#include "pundit/text_format.hpp"

namespace indexer {

void register_repair(CLI::App& app, RepairOptions& options) {
    app.add_option("--index", options.index, "Index directory (default: $NEWS_INDEX, else ~/.local/share/pundit/index)");
    app.add_option("--gazetteer", options.gazetteer,
                   "Gazetteer directory whose names seed a rebuilt spelling table (default: $PUNDIT_GAZETTEER, else the installed one)");
    app.add_flag("--wait", options.wait, "Wait for another indexer to finish instead of failing at once");
    app.footer("Puts a damaged index back in a state every command accepts, and says what was lost:\n"
               "recreates empty a shard that is missing or fails Xapian's check (a damaged one is kept\n"
               "as SHARD.damaged), lists the shards again when the stub is gone, finishes or undoes an\n"
               "interrupted compaction, rebuilds an incomplete spelling table, rewrites the facet cache.\n"
               "Example: indexer repair --index news.idx");
}

int run_repair(const RepairOptions& options) {
    const std::string path = pundit::resolve_index_path(options.index);
    auto gazetteer = pundit::Gazetteer::load(pundit::Gazetteer::locate(options.gazetteer));
    pundit::RepairSummary summary = pundit::repair_index(
        path, gazetteer.get(), options.wait ? pundit::IndexWriter::OnLocked::wait : pundit::IndexWriter::OnLocked::fail);
    for (const std::string& done : summary.repaired) std::cout << "indexer: " << pundit::sanitise_for_terminal(done) << '\n';
    if (summary.repaired.empty()) {
        std::cout << "indexer: nothing to repair in '" << pundit::sanitise_for_terminal(path) << "' (" << summary.shards
                  << (summary.shards == 1 ? " database" : " shards") << " checked)\n";
    }
    return kExitOk;
}

} // namespace indexer
