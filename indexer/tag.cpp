#include <iostream>

#include "commands.hpp"
#include "pundit/diagnostic.hpp"
#include "pundit/entity_extractor.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/ingest.hpp"
#include "pundit/input_reader.hpp"
#include "pundit/result_printer.hpp"

namespace indexer {
namespace {

// Reads articles as `indexer add` does and writes one JSON line per article
// with the entities it would be tagged with, to check tagging without
// indexing. Counts rejected records in the summary.
pundit::IngestSummary tag_articles(const std::vector<std::string>& paths, const pundit::InputOptions& input,
                                   std::shared_ptr<const pundit::Gazetteer> gazetteer, std::istream& standard_input,
                                   std::ostream& out, std::ostream& diagnostics) {
    using namespace pundit;
    IngestSummary summary;
    EntityExtractor extractor(std::move(gazetteer));
    DiagnosticLimiter limiter(input.diagnostics_per_kind);
    auto report = [&](const Diagnostic& d) {
        ++(d.severity == Severity::error ? summary.rejected : summary.warnings);
        if (limiter.admit(d)) diagnostics << format_diagnostic(d) << '\n';
    };
    auto on_article = [&](Article&& article) {
        article.entities = extractor.extract(article);
        print_entities_json(article, out);
        ++summary.added;
    };
    InputReader reader(input, on_article, report, standard_input);
    for (const std::string& path : paths) {
        for (const InputFile& file : reader.expand(path)) {
            reader.read(file);
            for (const std::string& line : limiter.take_held_back()) diagnostics << line << '\n';
        }
    }
    summary.files = reader.files_read();
    return summary;
}

} // namespace

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
    pundit::IngestSummary summary = tag_articles(options.paths, input, gazetteer, std::cin, std::cout, std::cerr);
    return summary.rejected > 0 ? kExitRejected : kExitOk;
}

} // namespace indexer
