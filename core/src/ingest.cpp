#include "pundit/ingest.hpp"

#include <chrono>
#include <cstdio>
#include <ostream>
#include <unordered_map>

#include "pundit/document_builder.hpp"
#include "pundit/error.hpp"
#include "pundit/result_printer.hpp"

namespace pundit {

IngestSummary ingest(IndexWriter& writer, const std::vector<std::string>& paths,
                     const IngestOptions& options, std::istream& standard_input,
                     std::ostream& diagnostics) {
    const auto started = std::chrono::steady_clock::now();
    IngestSummary summary;
    DocumentBuilder builder(options.gazetteer);
    writer.set_gazetteer_version(builder.gazetteer_version());
    // Where each id was first seen in this run, to warn about duplicates.
    std::unordered_map<std::string, std::string> seen;

    auto report = [&](const Diagnostic& d) {
        if (d.severity == Severity::error) {
            ++summary.rejected;
        } else {
            ++summary.warnings;
        }
        diagnostics << format_diagnostic(d) << '\n';
    };

    auto on_article = [&](Article&& article) {
        std::string where = article.origin_path + ":" + std::to_string(article.origin_line);
        auto [it, fresh] = seen.emplace(article.id, where);
        if (!fresh) {
            report(Diagnostic{article.origin_path, article.origin_line, Severity::warning,
                              "duplicate id '" + article.id + "' (also at " + it->second +
                                  "); the last one wins"});
            it->second = where;
        }
        // An unchanged article is recognised by its hash before any document
        // is built: re-running a large ingest costs little more than reading it.
        DocumentBuilder::complete(article);
        if (writer.stored_hash(article.id) == builder.content_hash(article)) {
            ++summary.unchanged;
            return;
        }
        BuiltDocument built;
        try {
            built = builder.build(article);
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::input) throw;
            report(Diagnostic{article.origin_path, article.origin_line, Severity::error, e.what()});
            return;
        }
        switch (writer.put(built)) {
        case PutOutcome::added: ++summary.added; break;
        case PutOutcome::replaced: ++summary.replaced; break;
        case PutOutcome::unchanged: ++summary.unchanged; break;
        }
        if (writer.pending() >= options.commit_every) writer.commit();
    };

    InputReader reader(options.format, on_article, report, standard_input);
    for (const std::string& path : paths) {
        for (const InputFile& file : reader.expand(path)) reader.read(file);
    }
    writer.commit();
    summary.files = reader.files_read();
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
}

IngestSummary tag_articles(const std::vector<std::string>& paths, InputFormat format,
                           std::shared_ptr<const Gazetteer> gazetteer, std::istream& standard_input,
                           std::ostream& out, std::ostream& diagnostics) {
    IngestSummary summary;
    EntityExtractor extractor(std::move(gazetteer));
    auto report = [&](const Diagnostic& d) {
        ++(d.severity == Severity::error ? summary.rejected : summary.warnings);
        diagnostics << format_diagnostic(d) << '\n';
    };
    auto on_article = [&](Article&& article) {
        article.entities = extractor.extract(article);
        print_entities_json(article, out);
        ++summary.added;
    };
    InputReader reader(format, on_article, report, standard_input);
    for (const std::string& path : paths) {
        for (const InputFile& file : reader.expand(path)) reader.read(file);
    }
    summary.files = reader.files_read();
    return summary;
}

std::string format_summary(const IngestSummary& s) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", s.seconds);
    std::string out = std::to_string(s.added) + " added, " + std::to_string(s.replaced) +
                      " replaced, " + std::to_string(s.unchanged) + " unchanged, " +
                      std::to_string(s.rejected) + " rejected";
    if (s.warnings > 0) {
        out += " (" + std::to_string(s.warnings) + (s.warnings == 1 ? " warning)" : " warnings)");
    }
    out += " from " + std::to_string(s.files) + (s.files == 1 ? " file" : " files") + " in " +
           seconds + " s";
    return out;
}

} // namespace pundit
