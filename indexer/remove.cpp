#include <iostream>

#include "commands.hpp"
#include "pundit/index.hpp"
#include "pundit/index_writer.hpp"

namespace indexer {

void register_remove(CLI::App& app, RemoveOptions& options) {
    app.add_option("--index", options.index, "Index directory (default: $NEWS_INDEX, else ~/.local/share/pundit/index)");
    app.add_option("ids", options.ids, "Ids of the articles to delete")->required();
    app.footer("Example: indexer remove 2019-putin-abe columns.jsonl#4");
}

int run_remove(const RemoveOptions& options) {
    pundit::IndexWriter writer(pundit::resolve_index_path(options.index));
    std::size_t removed = 0, missing = 0;
    for (const std::string& id : options.ids) {
        if (writer.remove(id)) {
            ++removed;
        } else {
            std::cerr << "indexer: warning: no article with id '" << id << "'\n";
            ++missing;
        }
    }
    writer.commit();
    std::cout << "indexer: " << removed << " removed, " << missing << " not found\n";
    return missing > 0 ? kExitRejected : kExitOk;
}

} // namespace indexer
