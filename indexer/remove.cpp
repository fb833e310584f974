#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "pundit/facet_cache.hpp"
#include "pundit/index.hpp"
#include "pundit/index_set.hpp"
#include "pundit/text_format.hpp"

namespace indexer {

void register_remove(CLI::App& app, RemoveOptions& options) {
    app.add_option("--index", options.index, "Index directory (default: $NEWS_INDEX, else ~/.local/share/pundit/index)");
    app.add_flag("--wait", options.wait, "Wait for another indexer to finish instead of failing at once");
    app.add_option("ids", options.ids, "Ids of the articles to delete")->required();
    app.footer("Example: indexer remove --index news.idx 2019-putin-abe 'columns.jsonl#4'\n"
               "(every search hit shows its id: searcher WORDS)");
}

int run_remove(const RemoveOptions& options) {
    const std::string path = pundit::resolve_index_path(options.index);
    pundit::require_index(path); // a clear error when there is no index
    pundit::IndexSet index(path, 1, options.wait ? pundit::IndexWriter::OnLocked::wait : pundit::IndexWriter::OnLocked::fail);
    print_notes(index.notes());
    std::size_t removed = 0;
    std::vector<std::string> missing;
    for (const std::string& id : options.ids) {
        if (index.remove(id)) {
            ++removed;
        } else {
            missing.push_back(id);
        }
    }
    index.commit();
    pundit::refresh_facet_cache(index.path(), std::cerr); // the directory, also when --index named DIR/XAPIANDB
    // An id the index does not hold is already as asked: a warning, unless
    // no id matched at all, which is more likely a wrong index or a typo
    // than a removal done twice.
    const char* severity = removed > 0 ? "warning" : "error";
    for (const std::string& id : missing) {
        std::cerr << pundit::sanitise_for_terminal("indexer: " + std::string(severity) + ": no article with id '" + id +
                                                   "' (every search hit shows its id: searcher --index '" + path +
                                                   "' WORDS)")
                  << '\n';
    }
    std::cout << "indexer: " << pundit::format_count(removed) << " removed, " << pundit::format_count(missing.size())
              << " not found\n";
    return removed == 0 ? kExitRejected : kExitOk;
}

} // namespace indexer
