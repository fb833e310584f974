#include "pundit/ingest.hpp"

#include "pundit/facet_cache.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <ostream>
#include <thread>
#include <unordered_map>

#include "bounded_queue.hpp"

#include "pundit/document_builder.hpp"
#include "pundit/error.hpp"
#include "pundit/result_printer.hpp"

namespace pundit {

namespace {

// What one shard's thread did.
struct ShardCounts {
    std::size_t added = 0, replaced = 0, unchanged = 0;
};

// Thrown into the reader when a shard thread has failed, to stop reading.
struct ShardFailed {};
// Thrown into the reader when IngestOptions::stop is set.
struct Stopped {};

// The batch a shard commits at: with a fixed IngestOptions::commit_every,
// its share of it; else 1% of the shard, within the share of kCommitEvery
// and kMaxCommitEvery.
std::size_t commit_batch(const IndexWriter& writer, const IngestOptions& options, std::size_t shards) {
    if (options.commit_every > 0) return std::max<std::size_t>(1, options.commit_every / shards);
    const std::size_t low = std::max<std::size_t>(1, kCommitEvery / shards);
    const std::size_t high = std::max<std::size_t>(low, kMaxCommitEvery / shards);
    return std::clamp<std::size_t>(writer.document_count() / kCommitShareOfIndex, low, high);
}

// Normalises, tags, builds and writes the articles of one shard.
// The words of its articles go to `spelling_words` at each commit; the
// first shard, which holds the spelling table (`spelling_home`), adds them
// at its commits once kSpellingFlushWords have gathered (the rest at the end
// of the run).
void run_shard(IndexWriter& writer, BoundedQueue<Article>& queue, const IngestOptions& options,
               std::size_t shards, ShardCounts& counts, SpellingCollector& spelling_words, bool spelling_home,
               const std::function<void(const Diagnostic&)>& report, std::atomic<std::size_t>& done) {
    DocumentBuilder builder(options.gazetteer);
    writer.set_gazetteer_version(builder.gazetteer_version());
    // The batch's words, added to the spelling table once per commit: one
    // update per distinct word instead of one per occurrence.
    SpellingWords spelling;
    builder.count_spelling_words(&spelling);
    auto add_spelling = [&] {
        spelling_words.merge(spelling);
        if (spelling_home && spelling_words.size() >= kSpellingFlushWords) writer.add_spelling(spelling_words.take());
    };
    std::size_t batch = commit_batch(writer, options, shards);
    while (std::optional<Article> next = queue.pop()) {
        ++done;
        Article& article = *next;
        // An unchanged article is recognised by its hash before any document
        // is built: re-running a large ingest costs little more than reading it.
        DocumentBuilder::complete(article);
        std::string hash = builder.content_hash(article);
        if (writer.stored_hash(article.id) == hash) {
            writer.note_unchanged();
            ++counts.unchanged;
            continue;
        }
        const std::string origin_path = article.origin_path;
        const std::size_t origin_line = article.origin_line;
        BuiltDocument built;
        try {
            built = builder.build(std::move(article), std::move(hash));
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::input) throw;
            report(Diagnostic{origin_path, origin_line, Severity::error, e.what()});
            continue;
        }
        switch (writer.put(built)) {
        case PutOutcome::added: ++counts.added; break;
        case PutOutcome::replaced: ++counts.replaced; break;
        case PutOutcome::unchanged: ++counts.unchanged; break;
        }
        if (writer.pending() >= batch) {
            add_spelling();
            writer.commit();
            batch = commit_batch(writer, options, shards); // the shard has grown
        }
    }
    add_spelling();
    writer.commit();
}

} // namespace

IngestSummary ingest(IndexSet& index, const std::vector<std::string>& paths, const IngestOptions& options,
                     std::istream& standard_input, std::ostream& diagnostics) {
    const auto started = std::chrono::steady_clock::now();
    IngestSummary summary;
    std::mutex diagnostics_mutex;
    auto report = [&](const Diagnostic& d) {
        std::lock_guard lock(diagnostics_mutex);
        if (options.progress) options.progress->clear();
        ++(d.severity == Severity::error ? summary.rejected : summary.warnings);
        diagnostics << format_diagnostic(d) << '\n';
    };

    const std::size_t shards = index.shard_count();
    std::vector<std::unique_ptr<BoundedQueue<Article>>> queues;
    std::vector<ShardCounts> counts(shards);
    std::vector<std::exception_ptr> errors(shards);
    std::atomic<bool> failed{false};
    std::atomic<std::size_t> done{0};
    SpellingCollector spelling;
    std::vector<std::thread> threads;
    for (std::size_t k = 0; k < shards; ++k) queues.push_back(std::make_unique<BoundedQueue<Article>>(kQueuedPerShard));
    for (std::size_t k = 0; k < shards; ++k) {
        threads.emplace_back([&, k] {
            try {
                run_shard(index.shard(k), *queues[k], options, shards, counts[k], spelling, k == 0, report, done);
            } catch (...) {
                errors[k] = std::current_exception();
                failed = true;
                for (auto& q : queues) q->close(); // unblock the reader
            }
        });
    }

    // Where each id was first seen in this run, to warn about duplicates.
    std::unordered_map<std::string, std::string> seen;
    InputReader* reading = nullptr;
    std::uint64_t bytes_total = 0;
    auto last_report = started;
    auto on_article = [&](Article&& article) {
        if (failed) throw ShardFailed{};
        if (options.stop && options.stop->load()) {
            summary.next_unread = article.origin_path + ":" + std::to_string(article.origin_line);
            throw Stopped{};
        }
        if (options.progress) {
            auto now = std::chrono::steady_clock::now();
            if (std::chrono::duration<double>(now - last_report).count() >= kProgressInterval) {
                last_report = now;
                std::lock_guard lock(diagnostics_mutex);
                options.progress->update(IngestProgress{done, reading->bytes_read(), bytes_total,
                                                        std::chrono::duration<double>(now - started).count()});
            }
        }
        if (article.id.size() > kMaxIdBytes) {
            report(Diagnostic{article.origin_path, article.origin_line, Severity::error,
                              "id is longer than " + std::to_string(kMaxIdBytes) + " bytes"});
            return;
        }
        std::string where = article.origin_path + ":" + std::to_string(article.origin_line);
        auto [it, fresh] = seen.emplace(article.id, where);
        if (!fresh) {
            report(Diagnostic{article.origin_path, article.origin_line, Severity::warning,
                              "duplicate id '" + article.id + "' (also at " + it->second + "); the last one wins"});
            it->second = where;
        }
        // The same id always goes to the same shard, in input order: the
        // last version wins.
        if (!queues[index.shard_of(article.id)]->push(std::move(article))) throw ShardFailed{};
    };

    InputReader reader(options.format, on_article, report, standard_input);
    reading = &reader;
    std::exception_ptr reader_error;
    try {
        // Every file first, so that progress can tell how much is left.
        std::vector<InputFile> files;
        bool sized = true;
        for (const std::string& path : paths) {
            for (InputFile& file : reader.expand(path)) files.push_back(std::move(file));
        }
        for (const InputFile& file : files) {
            std::error_code ec;
            if (file.path == "-") sized = false;
            else bytes_total += std::filesystem::file_size(file.path, ec);
        }
        if (!sized) bytes_total = 0;
        for (const InputFile& file : files) reader.read(file);
    } catch (const Stopped&) {
        summary.interrupted = true;
    } catch (const ShardFailed&) {
    } catch (...) {
        reader_error = std::current_exception();
    }
    for (auto& q : queues) q->close();
    for (std::thread& t : threads) t.join();
    for (const std::exception_ptr& e : errors) {
        if (e) std::rethrow_exception(e);
    }
    if (reader_error) std::rethrow_exception(reader_error);
    // The spelling table (on the first shard, see SpellingCollector) gets the
    // words not added yet (all of them, unless there were very many) and the
    // gazetteer's names, after the articles: a run that fails part way has
    // written no spelling data beyond its articles' commits.
    SpellingWords rest = spelling.take();
    if (options.gazetteer) index.shard(0).seed_spelling(*options.gazetteer);
    index.shard(0).add_spelling(rest);
    index.shard(0).commit();

    for (const ShardCounts& c : counts) {
        summary.added += c.added;
        summary.replaced += c.replaced;
        summary.unchanged += c.unchanged;
    }
    summary.files = reader.files_read();
    // Facet counts over the new state of the index come from the cache.
    refresh_facet_cache(index.path(), diagnostics);
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
    if (s.interrupted) {
        IngestSummary done = s;
        done.interrupted = false;
        std::string out = format_summary(done) + "; interrupted";
        if (!s.next_unread.empty()) out += " before " + s.next_unread;
        return out + " (what was read is committed: run the same command again to finish)";
    }
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
