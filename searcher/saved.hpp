// The searcher's saved-search options: --save, --run, --new-since-last,
// --saved and --forget. They register on the CLI11 app, turn a QuerySpec into
// the saved search's, and record the run afterwards; the store itself is
// pundit::SavedSearchStore (saved_search.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "pundit/query_builder.hpp"

namespace cli {

struct SavedOptions {
    std::optional<std::string> save, run, forget;
    bool list = false;
    bool new_since_last = false;
};

void register_saved(CLI::App& app, SavedOptions& options);

// Handles --saved and --forget, which need no index: the exit code, or
// nothing when neither was given. `index` is the resolved index path;
// `explicit_index` the --index given, to repeat in hints.
std::optional<int> run_saved_command(const SavedOptions& options, const std::string& index,
                                     const std::optional<std::string>& explicit_index, std::ostream& out);

// A search to be saved or recorded as run once its results are printed.
struct PendingSave {
    std::string name;
    bool save = false;        // --save: store spec under name
    pundit::QuerySpec spec;   // what to store
    std::int64_t started = 0; // the time the search ran, its new last_run
    std::optional<std::int64_t> since_last; // with --new-since-last
    std::string index_hint;   // " --index 'DIR'" when --index was given
};

// With --run, turns `spec` into the saved search merged with the options
// given (pundit::merge_saved_search) and, with --new-since-last, limits it to
// articles added since the last run. Throws pundit::Error for an unknown name.
std::optional<PendingSave> prepare_saved(const SavedOptions& options, const std::string& index,
                                         const std::optional<std::string>& explicit_index, pundit::QuerySpec& spec);

// Stores the search (--save) or its run time (--run), after a successful search.
void finish_saved(const PendingSave& pending, const std::string& index, std::ostream& notes);

} // namespace cli
