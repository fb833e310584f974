// Saved searches: a query and its filters kept under a name, per user and
// per index, so `searcher --run putin --new-since-last` can answer "what is
// new about Putin since I last looked". One JSON file holds them all,
// grouped by the index's absolute path so that two archives never mix; every
// change rewrites it atomically (a temporary file renamed over it) under a
// lock, so two searchers never lose each other's changes and a crash never
// leaves half a file. Not for running the search (searcher.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pundit/query_builder.hpp"

namespace pundit {

struct SavedSearch {
    std::string name;
    // What selects the articles: the query string, match_any and the
    // filters (since, until, authors, sources, languages, leaders,
    // countries, organisations). How they are shown (sort, paging, facets,
    // JSON) is chosen each time and not kept.
    QuerySpec spec;
    std::int64_t created = 0;              // seconds since the epoch
    std::optional<std::int64_t> last_run;  // when it last ran, if ever
};

// The file saved searches live in: $XDG_CONFIG_HOME/pundit/saved-searches.json,
// else ~/.config/pundit/saved-searches.json. Throws Error(input) when
// neither XDG_CONFIG_HOME nor HOME is set.
std::string default_saved_searches_path();

// The key of an index in the file: its absolute path with symbolic links
// and "." / ".." resolved, so `--index news` and `--index ./news/` agree.
std::string saved_search_index_key(const std::string& index_path);

// Throws Error(input) unless `name` can name a saved search: 1 to 64 bytes
// of UTF-8 without spaces, control characters (C0, DEL, C1) or '/', not
// starting with '-'.
void check_saved_search_name(const std::string& name);

// The options that recreate a saved search on the command line, quoted for
// a POSIX shell: "putin --leader 'Vladimir Putin' --since 2022-01-01".
std::string describe_saved_search(const SavedSearch& search);

// The search a saved one becomes when run with more options (`given`):
// query words given are added to the saved query, and both must match
// ("(saved) AND (given)"); a filter option given replaces the saved values
// of that option (--since, --author, --leader, ...); --any given turns
// match_any on. Sort, paging and facets always come from `given`.
QuerySpec merge_saved_search(const SavedSearch& saved, const QuerySpec& given);

class SavedSearchStore {
public:
    // The store in `file` (which need not exist yet) for the index at
    // `index_path`.
    SavedSearchStore(std::string file, const std::string& index_path);

    // This index's saved searches, by name. Throws Error(input) naming the
    // file when it cannot be read or is not a saved-search file.
    std::vector<SavedSearch> list() const;
    std::optional<SavedSearch> find(const std::string& name) const;

    // Throws Error(input) unless `search` can be saved as it is: a valid
    // name (check_saved_search_name), and a query, filter values and index
    // path in UTF-8. The file is JSON, which holds UTF-8 text only: a Latin-1
    // query or directory name could only be saved changed, and would then
    // never match again. The message names what is not UTF-8 and where.
    // `searcher --save` asks before searching, so that nothing is printed
    // for a search that cannot be saved.
    void check_saveable(const SavedSearch& search) const;

    // Adds the search, or replaces the one of the same name (check_saveable
    // first).
    void save(const SavedSearch& search);
    // Deletes it; false when there was none of that name.
    bool forget(const std::string& name);
    // Records that it ran at `seconds`; false when there is none of that name.
    bool mark_run(const std::string& name, std::int64_t seconds);

    const std::string& file() const { return m_file; }
    const std::string& index_key() const { return m_index_key; }

private:
    std::string m_file;
    std::string m_index_key;
};

} // namespace pundit
