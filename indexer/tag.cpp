#include <iostream>

#include "commands.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/ingest.hpp"
#include "pundit/input_reader.hpp"

namespace indexer {

void register_tag(CLI::App& app, TagOptions& options) {
    app.add_option("--format", options.format, "Input format: auto (by extension/content), text or jsonl")
        ->check(CLI::IsMember({"auto", "text", "jsonl"}));
    app.add_flag("--follow,-L", options.follow,
                 "Follow symbolic links met in directories (a PATH given is always followed)");
    add_default_date_option(app, options.default_date);
    add_batch_options(app, options.exclude, options.verbose);
    app.add_option("--gazetteer", options.gazetteer, "Gazetteer directory (default: $PUNDIT_GAZETTEER, else the installed one)");
    app.add_option("paths", options.paths, "Files, directories or -")->required();
    app.footer("Prints one JSON line per article with the leaders, countries and organisations found.\n"
               "Examples:\n  indexer tag corpus/articles/1991-bush-after-the-union.txt\n"
               "  indexer tag --format jsonl --gazetteer ~/gazetteer - < feed.log");
}

int run_tag(const TagOptions& options) {
    auto gazetteer = pundit::Gazetteer::load(pundit::Gazetteer::locate(options.gazetteer));
    const pundit::InputOptions input =
        input_options(options.format, options.follow, options.default_date, options.exclude, options.verbose);
    pundit::require_input_paths(options.paths);
    pundit::IngestSummary summary = pundit::tag_articles(options.paths, input, gazetteer, std::cin, std::cout, std::cerr);
    return summary.rejected > 0 ? kExitRejected : kExitOk;
}

} // namespace indexer
