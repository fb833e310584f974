// indexer: ingests news articles into a Pundit index.
#include <iostream>
#include <sstream>

#include <xapian.h>

#include "commands.hpp"
#include "pundit/date.hpp"
#include "pundit/error.hpp"
#include "pundit/text_format.hpp"

namespace indexer {

void add_default_date_option(CLI::App& app, std::string& date) {
    app.add_option("--default-date", date,
                   "Date (YYYY-MM-DD) of the articles that carry none, e.g. a folder of files without dates");
}

void add_batch_options(CLI::App& app, std::vector<std::string>& exclude, bool& verbose) {
    app.add_option("--exclude", exclude,
                   "Skip files and directories under a directory PATH whose path relative to it matches this "
                   "fnmatch(3) pattern ('*' matches '/' too); may be repeated")
        ->expected(1) // one pattern per --exclude, so that a PATH after it stays a PATH
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_flag("--verbose,-v", verbose,
                 "Print every diagnostic (by default the first 10 of each kind per file, then a count of the rest)");
}

pundit::InputOptions input_options(const std::string& format, bool follow, const std::string& default_date,
                                   const std::vector<std::string>& exclude, bool verbose) {
    pundit::InputOptions input;
    input.format = pundit::parse_input_format(format);
    input.follow_links = follow;
    input.exclude = exclude;
    if (verbose) input.diagnostics_per_kind = 0;
    if (!default_date.empty()) {
        std::optional<std::string> date = pundit::parse_iso_date(default_date);
        if (!date) {
            throw pundit::Error(pundit::ErrorKind::input, "--default-date '" + default_date + "' is not a date from " +
                                                              std::to_string(pundit::kMinYear) + " to " +
                                                              std::to_string(pundit::kMaxYear) + " (YYYY-MM-DD)");
        }
        input.default_date = *date;
    }
    return input;
}

void print_notes(const std::vector<std::string>& notes) {
    for (const std::string& note : notes) std::cerr << "indexer: note: " << pundit::sanitise_for_terminal(note) << '\n';
}

} // namespace indexer

int main(int argc, char** argv) {
    CLI::App app{"Ingest news articles into a Pundit search index.", "indexer"};
    app.set_version_flag("--version", std::string("indexer (Pundit) ") + PUNDIT_VERSION);
    app.require_subcommand(1);
    app.footer("Examples:\n  indexer add corpus/articles\n  indexer add --index ~/news.idx archive.jsonl\n"
               "  indexer remove 2019-putin-abe\n  indexer tag new-column.txt\n  indexer compact --merge\n"
               "  indexer repair   (after a shard was lost or damaged: says what was lost)\n"
               "  indexer add --help   (the options of one subcommand)\n  indexer --version\n\n"
               "Exit status: 0 all indexed, 1 some records rejected, 2 fatal error, 130/143 interrupted\n"
               "by SIGINT/SIGTERM (what was read is committed).");

    indexer::AddOptions add;
    indexer::RemoveOptions remove;
    indexer::TagOptions tag;
    indexer::CompactOptions compact;
    indexer::RepairOptions repair;
    CLI::App* add_cmd = app.add_subcommand("add", "Index articles from files, directories or - (standard input)");
    CLI::App* remove_cmd = app.add_subcommand("remove", "Delete articles by id");
    CLI::App* tag_cmd = app.add_subcommand("tag", "Show the entities articles would be tagged with, as JSON lines");
    indexer::register_add(*add_cmd, add);
    indexer::register_tag(*tag_cmd, tag);
    CLI::App* compact_cmd = app.add_subcommand("compact", "Compact the index (optionally merging its shards)");
    indexer::register_compact(*compact_cmd, compact);
    indexer::register_remove(*remove_cmd, remove);
    CLI::App* repair_cmd = app.add_subcommand("repair", "Recreate missing or damaged shards and say what was lost");
    indexer::register_repair(*repair_cmd, repair);
    // For scripts/gazetteer/build only: no group, so --help does not list it.
    CLI::App* name_keys_cmd = app.add_subcommand("name-keys", "Print the engine's keys of names read on stdin");
    name_keys_cmd->group("");
    indexer::register_name_keys(*name_keys_cmd);

    // A repeated option that takes one value keeps the last (--shards 4 ...
    // --shards 2), as most command lines do; repeatable ones keep them all.
    for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
        for (CLI::Option* option : command->get_options()) {
            if (option->get_items_expected_max() == 1) option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
        }
    }
    // Errors of the command line read like every other error, and point to
    // the help of the subcommand they are about.
    app.failure_message([](const CLI::App* parser, const CLI::Error& e) {
        std::string help = parser->get_name();
        for (const CLI::App* command : parser->get_subcommands()) help += " " + command->get_name();
        return parser->get_name() + ": error: " + e.what() + " (" + help + " --help lists the options)\n";
    });
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11's messages quote the option values and paths given.
        std::ostringstream message;
        int code = app.exit(e, std::cout, message);
        std::cerr << pundit::sanitise_for_terminal(message.str(), pundit::LineBreaks::keep);
        return code == 0 ? indexer::kExitOk : indexer::kExitFatal;
    }
    try {
        if (add_cmd->parsed()) return indexer::run_add(add);
        if (tag_cmd->parsed()) return indexer::run_tag(tag);
        if (compact_cmd->parsed()) return indexer::run_compact(compact);
        if (repair_cmd->parsed()) return indexer::run_repair(repair);
        if (name_keys_cmd->parsed()) return indexer::run_name_keys();
        return indexer::run_remove(remove);
    } catch (const pundit::Error& e) {
        // Messages quote paths and ids as given.
        std::cerr << "indexer: error: " << pundit::sanitise_for_terminal(e.what()) << '\n';
        return indexer::kExitFatal;
    } catch (const std::exception& e) {
        std::cerr << "indexer: internal error: " << pundit::sanitise_for_terminal(e.what()) << '\n';
        return indexer::kExitFatal;
    } catch (const Xapian::Error& e) {
        // Core turns Xapian's errors into pundit::Error; one that escaped is a bug.
        std::cerr << "indexer: internal error: " << pundit::sanitise_for_terminal(e.get_description()) << '\n';
        return indexer::kExitFatal;
    }
}
