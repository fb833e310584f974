#include "saved.hpp"

#include <iostream>

#include "pundit/clock.hpp"
#include "pundit/error.hpp"
#include "pundit/saved_search.hpp"
#include "pundit/text_format.hpp"

namespace cli {
namespace {

using pundit::sanitise_for_terminal;

std::string index_hint(const std::optional<std::string>& explicit_index) {
    return explicit_index ? " --index '" + *explicit_index + "'" : std::string();
}

} // namespace

void register_saved(CLI::App& app, SavedOptions& options) {
    CLI::Option* save = app.add_option("--save", options.save,
                                       "Save the query and its filters under NAME for this index (replacing one "
                                       "of that name), then run it");
    CLI::Option* run = app.add_option("--run", options.run,
                                      "Run the saved search NAME; words given are added to its query, filter "
                                      "options given replace its own");
    app.add_flag("--new-since-last", options.new_since_last,
                 "With --run: only articles added to the index since that saved search last ran")
        ->needs(run);
    CLI::Option* list = app.add_flag("--saved", options.list, "List this index's saved searches");
    CLI::Option* forget = app.add_option("--forget", options.forget, "Delete the saved search NAME");
    save->excludes(run)->excludes(list)->excludes(forget);
    run->excludes(list)->excludes(forget);
    list->excludes(forget);
    if (CLI::Option* show = app.get_option_no_throw("--show")) {
        for (CLI::Option* o : {save, run, list, forget}) o->excludes(show);
    }
}

std::optional<int> run_saved_command(const SavedOptions& options, const std::string& index,
                                     const std::optional<std::string>& explicit_index, std::ostream& out) {
    if (!options.list && !options.forget) return std::nullopt;
    pundit::SavedSearchStore store(pundit::default_saved_searches_path(), index);
    if (options.forget) {
        if (!store.forget(*options.forget)) {
            throw pundit::Error(pundit::ErrorKind::input, "no saved search '" + *options.forget +
                                                              "' for the index at '" + store.index_key() +
                                                              "'; list them with: searcher --saved" +
                                                              index_hint(explicit_index));
        }
        out << "searcher: forgot the saved search '" << sanitise_for_terminal(*options.forget) << "'\n";
        return 0;
    }
    std::vector<pundit::SavedSearch> searches = store.list();
    if (searches.empty()) {
        std::cerr << "searcher: no saved searches for the index at '" << sanitise_for_terminal(store.index_key())
                  << "'; save one with: searcher --save NAME QUERY\n";
        return 0;
    }
    for (const pundit::SavedSearch& s : searches) {
        // The query and filter values are shown as they were typed, made safe.
        out << sanitise_for_terminal(s.name) << "  " << sanitise_for_terminal(pundit::describe_saved_search(s));
        if (s.last_run) out << "  (last run " << pundit::format_utc(*s.last_run) << ")";
        out << '\n';
    }
    return 0;
}

std::optional<PendingSave> prepare_saved(const SavedOptions& options, const std::string& index,
                                         const std::optional<std::string>& explicit_index, pundit::QuerySpec& spec) {
    if (options.save) {
        // Refused now rather than after the results are printed.
        pundit::SavedSearch search;
        search.name = *options.save;
        search.spec = spec;
        pundit::SavedSearchStore(pundit::default_saved_searches_path(), index).check_saveable(search);
        return PendingSave{*options.save, true, spec, pundit::now_seconds(), std::nullopt, index_hint(explicit_index)};
    }
    if (!options.run) return std::nullopt;
    pundit::SavedSearchStore store(pundit::default_saved_searches_path(), index);
    std::optional<pundit::SavedSearch> saved = store.find(*options.run);
    if (!saved) {
        throw pundit::Error(pundit::ErrorKind::input, "no saved search '" + *options.run + "' for the index at '" +
                                                          store.index_key() + "'; list them with: searcher --saved" +
                                                          index_hint(explicit_index));
    }
    // Read the clock before searching: articles committed during the search
    // are then new next time, not lost.
    PendingSave pending{*options.run, false, {}, pundit::now_seconds(), std::nullopt, index_hint(explicit_index)};
    spec = pundit::merge_saved_search(*saved, spec);
    if (options.new_since_last) {
        pending.since_last = saved->last_run.value_or(saved->created);
        spec.added_since = pending.since_last;
    }
    return pending;
}

void finish_saved(const PendingSave& pending, const std::string& index, std::ostream& notes) {
    pundit::SavedSearchStore store(pundit::default_saved_searches_path(), index);
    if (pending.save) {
        pundit::SavedSearch search;
        search.name = pending.name;
        search.spec = pending.spec;
        search.created = pending.started;
        search.last_run = pending.started;
        store.save(search);
        notes << sanitise_for_terminal("searcher: saved as '" + pending.name + "'; run it again with: searcher --run " +
                                       pending.name + pending.index_hint)
              << '\n';
    } else {
        store.mark_run(pending.name, pending.started);
    }
}

} // namespace cli
