#include "pundit/ingest.hpp"

#include "pundit/facet_cache.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <ostream>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "bounded_queue.hpp"

#include "pundit/document_builder.hpp"
#include "pundit/error.hpp"
#include "pundit/fault_point.hpp"
#include "pundit/index.hpp"
#include "pundit/index_layout.hpp"
#include "pundit/reopen_retry.hpp"
#include "pundit/schema.hpp"
#include "pundit/text_format.hpp"

namespace pundit {

std::size_t queued_bytes_per_writer(std::size_t writers) {
    return std::max(kMinQueuedBytesPerWriter, kQueuedBytes / std::max<std::size_t>(1, writers));
}

namespace {

// What one writer thread did.
struct ShardCounts {
    std::size_t added = 0, replaced = 0, unchanged = 0;
};

// Thrown into the reader when a writer thread has failed, to stop reading.
struct ShardFailed {};
// Thrown into the reader when IngestOptions::stop is set.
struct Stopped {};

// What became of the records of one id in this run, so that an id given
// twice is counted once, by what the run did to the index: added, replaced
// or unchanged, never "replaced" by its own earlier record. Written by the
// writer threads, read once they are done.
struct IdOutcome {
    enum : std::uint8_t { none = 0, added, replaced, unchanged };
    std::atomic<std::uint8_t> first{none}; // of the first record (none: rejected)
    std::atomic<std::uint8_t> last{none};  // of the last later record
    std::atomic<bool> changed{false};      // a later record changed the stored article
    bool repeated = false;                 // the reader's own: a later record came
};

// One piece of work for a writer thread: an article to write into a shard,
// or the id of one to delete from it.
struct Task {
    IndexWriter* shard = nullptr;
    Article article;     // only its id when `remove`
    bool remove = false; // delete article.id from `shard`
    bool moved = false;  // the article left another shard (its date changed): replaced, not added
    IdOutcome* outcome = nullptr; // where to note what became of the article
    bool repeat = false;          // a later record of an id this run already had
};

// Counts what a writer did to an article, or notes it for a repeat (counted
// at the end of the run, see IdOutcome).
void count_outcome(const Task& task, std::uint8_t outcome, ShardCounts& counts) {
    if (task.repeat) {
        if (task.outcome) {
            task.outcome->last = outcome;
            if (outcome == IdOutcome::added || outcome == IdOutcome::replaced) task.outcome->changed = true;
        }
        return;
    }
    if (task.outcome) task.outcome->first = outcome;
    switch (outcome) {
    case IdOutcome::added: ++counts.added; break;
    case IdOutcome::replaced: ++counts.replaced; break;
    case IdOutcome::unchanged: ++counts.unchanged; break;
    default: break;
    }
}

// The batch a writer thread commits at, over the shards it writes: with a
// fixed IngestOptions::commit_every, its share of it; else 1% of its
// shards, within its share of kCommitEvery and kMaxCommitEvery.
std::size_t commit_batch(Xapian::doccount documents, const IngestOptions& options, std::size_t writers) {
    if (options.commit_every > 0) return std::max<std::size_t>(1, options.commit_every / writers);
    const std::size_t low = std::max<std::size_t>(1, kCommitEvery / writers);
    const std::size_t high = std::max<std::size_t>(low, kMaxCommitEvery / writers);
    return std::clamp<std::size_t>(documents / kCommitShareOfIndex, low, high);
}

// Where the articles of an index sharded by year are, as committed: the
// reading thread asks before it routes an article, so that an article
// whose date changed leaves its old shard. Reads its own handles on the
// shards the index had at the start (shards added since hold only articles
// of this run, which the reader tracks itself).
class IdLocator {
public:
    explicit IdLocator(IndexSet& index) {
        for (std::size_t k = 0; k < index.shard_count(); ++k) {
            try {
                m_shards.push_back(open_local_database(index.shard(k).path()));
            } catch (const Xapian::Error& e) {
                throw Error(ErrorKind::index, "cannot read '" + index.shard(k).path() + "': " + e.get_description());
            }
        }
    }

    // The shards holding `id`: one, none, or (after a crash between the two
    // commits of a move) two.
    std::vector<std::size_t> find(const std::string& id) {
        const std::string term = std::string(schema::kIdPrefix) + id;
        std::vector<std::size_t> out;
        for (std::size_t k = 0; k < m_shards.size(); ++k) {
            std::optional<bool> holds;
            try {
                holds = with_reopen_retry([&](int) { return m_shards[k].term_exists(term); },
                                          [&] { m_shards[k].reopen(); });
            } catch (const Xapian::Error& e) {
                throw Error(ErrorKind::index, "cannot look up '" + id + "': " + e.get_description());
            }
            if (!holds) throw Error(ErrorKind::index, "cannot look up '" + id + "': the index keeps changing");
            if (*holds) out.push_back(k);
        }
        return out;
    }

private:
    std::vector<Xapian::Database> m_shards;
};

// The segments a writer thread writes for one shard (kSegmentArticles): once
// the shard has taken `size` new articles in this run, new articles go to a
// segment, and a new segment starts at a commit once the last holds `size`.
// Every segment stays open for the run: a later record of an id replaces
// the article where it is, so that each commit stays whole in its database.
class SegmentedShard {
public:
    // `path_of(n)`: where segment number n of the shard goes.
    SegmentedShard(IndexWriter& shard, std::function<std::string(std::size_t)> path_of, std::size_t first_number,
                   std::size_t size, std::string gazetteer_version)
        : m_shard(shard), m_path_of(std::move(path_of)), m_next(first_number), m_size(size),
          m_gazetteer_version(std::move(gazetteer_version)), m_held_at_start(shard.document_count()) {}

    // Where a new article goes: the segment being written, or the shard.
    IndexWriter& target() { return m_segments.empty() ? m_shard : *m_segments.back(); }

    // The segment holding `id` and its content hash, newest first; null
    // when none does.
    std::pair<IndexWriter*, std::optional<std::string>> find(const std::string& id) {
        for (auto it = m_segments.rbegin(); it != m_segments.rend(); ++it) {
            if (std::optional<std::string> hash = (*it)->stored_hash(id)) return {it->get(), std::move(hash)};
        }
        return {nullptr, std::nullopt};
    }

    // The articles in what target() writes to, which set the commit batch.
    Xapian::doccount documents() { return target().document_count(); }

    std::size_t pending() const {
        std::size_t n = 0;
        for (const auto& segment : m_segments) n += segment->pending();
        return n;
    }

    void commit() {
        for (const auto& segment : m_segments) {
            if (segment->pending() > 0) segment->commit();
        }
    }

    // After a commit: a new segment when the shard has taken its share of
    // new articles, or the last segment is full.
    void rotate() {
        // New articles are all the shard gains in a run by hash (a removal
        // only moves an article between years).
        const Xapian::doccount added = m_shard.document_count() - std::min(m_held_at_start, m_shard.document_count());
        if (m_segments.empty() ? added < m_size : m_segments.back()->document_count() < m_size) return;
        auto segment = std::make_unique<IndexWriter>(m_path_of(m_next++));
        segment->take_added_time(m_shard);
        segment->set_gazetteer_version(m_gazetteer_version);
        m_segments.push_back(std::move(segment));
    }

private:
    IndexWriter& m_shard;
    std::function<std::string(std::size_t)> m_path_of;
    std::size_t m_next;
    const std::size_t m_size;
    const std::string m_gazetteer_version;
    const Xapian::doccount m_held_at_start; // the shard's articles when the run began
    std::vector<std::unique_ptr<IndexWriter>> m_segments;
};

// One run of ingest(): the reading thread routes each article to the
// writer thread of its shard; the writer threads normalise, tag, build,
// write and commit; then the spelling table, the counts and the facet
// cache. The steps are run() in order.
class IngestRun {
public:
    IngestRun(IndexSet& index, const IngestOptions& options, std::istream& standard_input, std::ostream& diagnostics)
        : m_index(index), m_options(options), m_standard_input(standard_input), m_diagnostics(diagnostics),
          m_limiter(options.input.diagnostics_per_kind), m_by_year(index.shard_by() == ShardBy::year),
          // By hash, a thread per shard; by year, a bounded pool (shard k written
          // by thread k mod the pool size), as there may be a shard per year.
          m_writers(m_by_year ? default_shard_count() : index.shard_count()), m_counts(m_writers),
          m_errors(m_writers), m_spelling_shard(index.spelling_shard()),
          m_segmenting(!m_by_year && options.segment_articles > 0 && index.can_segment()) {}

    IngestSummary run(const std::vector<std::string>& paths) {
        for (std::size_t k = 0; k < m_index.shard_count(); ++k) {
            if (m_index.shard(k).document_count() > 0) m_held_at_start.insert(&m_index.shard(k));
        }
        plan_spelling();
        if (m_by_year) m_locator.emplace(m_index);
        start_writers();
        read(paths);
        join_writers();
        report_held_back();
        if (const std::size_t segments = list_segments(m_index.path()).size(); segments > 0) {
            show_stage("merging " + format_count(segments) + (segments == 1 ? " segment" : " segments") +
                       " into the shards");
            m_index.merge_segments();
        }
        show_stage("filling the spelling table");
        finish_spelling();
        count_outcomes();
        // Facet counts over the new state of the index come from the cache.
        show_stage("writing the facet cache");
        refresh_facet_cache(m_index.path(), m_diagnostics);
        m_summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
        return m_summary;
    }

private:
    // Where each id was last seen in this run, to warn about duplicates,
    // and the shard it went to. One per article of the run, so kept small:
    // 16 bytes, the file a number in m_files (about 90 bytes an id with the
    // map's node, where a "path:line" string took twice that: 184 MB at 10^6
    // articles).
    struct Seen {
        std::uint32_t file = 0; // m_files
        std::uint32_t line = 0;
        std::uint32_t shard = 0;
        IdOutcome outcome; // a node of the map: its address stays put
    };
    static_assert(sizeof(Seen) <= 16);

    // The number of the file `article` came from, in m_files.
    std::uint32_t file_number(const Article& article) {
        if (m_files.empty() || m_files.back() != article.origin_path) m_files.push_back(article.origin_path);
        return static_cast<std::uint32_t>(m_files.size() - 1);
    }

    std::string where(const Seen& seen) const {
        return m_files[seen.file] + ":" + std::to_string(seen.line);
    }

    std::size_t writer_of(std::size_t shard) const { return shard % m_writers; }

    void report(const Diagnostic& d) {
        std::lock_guard lock(m_diagnostics_mutex);
        ++(d.severity == Severity::error ? m_summary.rejected : m_summary.warnings);
        if (!m_limiter.admit(d)) return;
        if (m_options.progress) m_options.progress->clear();
        m_diagnostics << format_diagnostic(d) << '\n';
    }

    // What the limiter held back, said once a file is read.
    void report_held_back() {
        std::lock_guard lock(m_diagnostics_mutex);
        std::vector<std::string> lines = m_limiter.take_held_back();
        if (!lines.empty() && m_options.progress) m_options.progress->clear();
        for (const std::string& line : lines) m_diagnostics << line << '\n';
    }

    // Whether the spelling table's words come from the index at the end of
    // the run rather than from the articles as they are built.
    void plan_spelling() {
        // Into an empty index, the words of the articles are read from its term
        // lists at the end of the run (add_index_words), not counted as each
        // article is built: at 10^5 articles that counting, with its merges,
        // took about 10% of the indexing CPU.
        bool first_import = true;
        for (std::size_t k = 0; k < m_index.shard_count(); ++k) {
            if (m_index.shard(k).document_count() > 0) first_import = false;
        }
        // A run killed after some commits and before its words reached the
        // spelling table left the flag: this one fills the table afresh from
        // the articles, like a first import. The flag is set before anything is
        // committed and cleared once the table is complete.
        m_rebuild_spelling = spelling_pending(m_index.path());
        mark_spelling_pending(m_index.path());
        m_spelling_from_index = first_import || m_rebuild_spelling;
    }

    void start_writers() {
        for (std::size_t w = 0; w < m_writers; ++w) {
            m_queues.push_back(std::make_unique<BoundedQueue<Task>>(queued_bytes_per_writer(m_writers)));
        }
        for (std::size_t w = 0; w < m_writers; ++w) {
            std::vector<IndexWriter*> shards;
            // By year, a shard is a thread's only once it gets work: a run that
            // adds one year's articles commits (and re-tags) no other shard.
            for (std::size_t k = 0; !m_by_year && k < m_index.shard_count(); ++k) {
                if (writer_of(k) == w) shards.push_back(&m_index.shard(k));
            }
            m_threads.emplace_back([this, w, shards] {
                try {
                    write_shards(w, shards);
                } catch (...) {
                    m_errors[w] = std::current_exception();
                    m_failed = true;
                    for (auto& q : m_queues) q->close(); // unblock the reader
                }
                std::lock_guard lock(m_writers_mutex);
                ++m_writers_done;
                m_writers_finished.notify_one();
            });
        }
    }

    // Normalises, tags, builds and writes the articles of the shards given to
    // writer thread `w` (`shards` from the start, others as their tasks arrive).
    // Shards are committed together once their uncommitted changes reach the
    // batch, so memory stays bounded however many shards there are.
    // The words of its articles go to `spelling_words` at each commit; the
    // thread that writes the first shard, which holds the spelling table
    // (`spelling_home`), adds them at its commits once kSpellingFlushWords have
    // gathered (the rest at the end of the run). A first import passes no
    // `spelling_words`: its words are read from the index at the end.
    void write_shards(std::size_t w, std::vector<IndexWriter*> shards) {
        BoundedQueue<Task>& queue = *m_queues[w];
        const IngestOptions& options = m_options;
        const std::size_t writers = m_writers;
        ShardCounts& counts = m_counts[w];
        SpellingCollector* spelling_words = m_spelling_from_index ? nullptr : &m_spelling;
        IndexWriter* spelling_home = w == writer_of(m_spelling_shard) ? &m_index.shard(m_spelling_shard) : nullptr;
        std::atomic<std::size_t>& done = m_done;
        DocumentBuilder builder(options.gazetteer);
        // The batch's words, added to the spelling table once per commit: one
        // update per distinct word instead of one per occurrence.
        SpellingWords spelling;
        if (spelling_words) builder.count_spelling_words(&spelling);
        std::vector<IndexWriter*> mine;
        auto adopt = [&](IndexWriter* shard) {
            if (std::find(mine.begin(), mine.end(), shard) != mine.end()) return;
            shard->set_gazetteer_version(builder.gazetteer_version());
            mine.push_back(shard);
        };
        // A shard's segments, made when it first takes an article (none by year).
        std::unordered_map<const IndexWriter*, std::unique_ptr<SegmentedShard>> segmented;
        auto segments_of = [&](IndexWriter* shard) -> SegmentedShard* {
            if (!m_segmenting) return nullptr;
            std::unique_ptr<SegmentedShard>& slot = segmented[shard];
            if (!slot) slot = make_segmented(*shard, builder.gazetteer_version());
            return slot.get();
        };
        auto documents = [&] {
            Xapian::doccount n = 0;
            for (IndexWriter* shard : mine) n += m_segmenting ? segments_of(shard)->documents() : shard->document_count();
            return n;
        };
        for (IndexWriter* shard : shards) adopt(shard);
        auto add_spelling = [&] {
            if (!spelling_words) return;
            spelling_words->merge(spelling);
            if (spelling_home && spelling_words->size() >= kSpellingFlushWords) {
                // Committed with this thread's shards from now on. (By year the
                // home may have had no article: it is not adopted before.)
                adopt(spelling_home);
                spelling_home->add_spelling(spelling_words->take());
            }
        };
        auto pending = [&] {
            std::size_t n = 0;
            for (IndexWriter* shard : mine) n += shard->pending();
            for (const auto& [shard, segments] : segmented) n += segments->pending();
            return n;
        };
        std::size_t batch = commit_batch(documents(), options, writers);
        // The text of the articles written since the last commit: Xapian
        // holds some 28 times as much until it commits (kCommitTextBytes).
        const std::size_t text_batch = std::max<std::size_t>(1, options.commit_text_bytes / writers);
        std::size_t pending_text = 0;
        while (std::optional<Task> next = queue.pop()) {
            IndexWriter& writer = *next->shard;
            adopt(&writer);
            if (next->remove) {
                writer.remove(next->article.id);
            } else {
                ++done;
                pending_text += write_article(*next, builder, segments_of(&writer), counts);
            }
            if (pending() >= batch || pending_text >= text_batch) {
                add_spelling();
                for (IndexWriter* shard : mine) {
                    if (shard->pending() > 0) shard->commit();
                }
                for (const auto& [shard, segments] : segmented) {
                    segments->commit();
                    segments->rotate();
                }
                pending_text = 0;
                batch = commit_batch(documents(), options, writers); // the shards have grown
                fault_point("ingest-after-commit");
            }
        }
        add_spelling();
        for (IndexWriter* shard : mine) shard->commit();
        for (const auto& [shard, segments] : segmented) segments->commit();
    }

    // The segments of `shard` for a writer thread, numbered after any the
    // index directory already holds.
    std::unique_ptr<SegmentedShard> make_segmented(IndexWriter& shard, const std::string& gazetteer_version) {
        std::size_t k = 0;
        while (&m_index.shard(k) != &shard) ++k;
        std::size_t first = 1;
        for (const Segment& segment : list_segments(m_index.path())) {
            if (segment.shard == m_index.shard_name(k)) first = std::max(first, segment.number + 1);
        }
        IndexSet& index = m_index;
        return std::make_unique<SegmentedShard>(
            shard, [&index, k](std::size_t n) { return index.segment_path(k, n); }, first, m_options.segment_articles,
            gazetteer_version);
    }

    // Writes the article of `task`: nothing when its id holds it unchanged,
    // else built and put where its id is (the shard, or by a later record
    // of an id of this run one of its segments), or added where new articles
    // go. Returns the bytes of its text, counted towards the commit batch.
    std::size_t write_article(Task& task, DocumentBuilder& builder, SegmentedShard* segments, ShardCounts& counts) {
        IndexWriter& writer = *task.shard;
        Article& article = task.article;
        // An unchanged article is recognised by its hash before any document
        // is built: re-running a large ingest costs little more than reading it.
        DocumentBuilder::complete(article);
        std::string hash = builder.content_hash(article);
        // A shard empty when the run began holds only this run's articles: an
        // id not seen before in the run is not there (nor in its segments).
        const bool absent = !task.repeat && !m_held_at_start.contains(&writer);
        IndexWriter* holder = nullptr;
        std::optional<std::string> stored;
        if (!absent) {
            if (segments && task.repeat) std::tie(holder, stored) = segments->find(article.id);
            if (!stored) {
                holder = &writer;
                stored = writer.stored_hash(article.id);
            }
            if (stored == hash) {
                holder->note_unchanged();
                count_outcome(task, IdOutcome::unchanged, counts);
                return 0;
            }
        }
        const std::string origin_path = article.origin_path;
        const std::size_t origin_line = article.origin_line;
        const std::size_t text = article.title.size() + article.body.size();
        BuiltDocument built;
        try {
            built = builder.build(std::move(article), std::move(hash));
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::input) throw;
            report(Diagnostic{origin_path, origin_line, Severity::error, e.what()});
            return text;
        }
        IndexWriter& target = stored ? *holder : segments ? segments->target() : writer;
        const PutOutcome outcome = stored ? target.put(built) : target.add_new(built);
        switch (outcome) {
        case PutOutcome::added:
            count_outcome(task, task.moved ? IdOutcome::replaced : IdOutcome::added, counts);
            break;
        case PutOutcome::replaced: count_outcome(task, IdOutcome::replaced, counts); break;
        case PutOutcome::unchanged: count_outcome(task, IdOutcome::unchanged, counts); break;
        }
        return text;
    }

    void send(std::size_t shard, Task&& task) {
        task.shard = &m_index.shard(shard);
        // What the task holds in memory: its text, and its strings' own size.
        const Article& a = task.article;
        const std::size_t bytes = sizeof(Task) + a.id.size() + a.title.size() + a.body.size() + a.author.size() +
                                  a.date.size() + a.source.size() + a.url.size() + a.origin_path.size();
        if (!m_queues[writer_of(shard)]->push(std::move(task), bytes)) throw ShardFailed{};
    }

    // Routes an article to its shard's writer, and away from the shard that
    // held it when its year changed.
    void route(Article&& article) {
        IngestSummary& summary = m_summary;
        const IngestOptions& options = m_options;
        IndexSet& index = m_index;
        const bool by_year = m_by_year;
        auto& seen = m_seen;
        auto& locator = m_locator;
        auto report = [this](const Diagnostic& d) { this->report(d); };
        auto send = [this](std::size_t shard, Task&& task) { this->send(shard, std::move(task)); };
        if (m_failed) throw ShardFailed{};
        if (options.stop && options.stop->load()) {
            summary.next_unread = article.origin_path + ":" + std::to_string(article.origin_line);
            throw Stopped{};
        }
        show_progress();
        if (article.id.size() > kMaxIdBytes) {
            report(Diagnostic{article.origin_path, article.origin_line, Severity::error,
                              "id is longer than " + std::to_string(kMaxIdBytes) + " bytes"});
            return;
        }
        // The same id always goes to the same shard's thread, in input
        // order: the last version wins.
        const std::size_t target = by_year ? index.shard_for_date(article.date) : index.shard_of(article.id);
        const std::uint32_t file = file_number(article);
        // Lines past 2^32 (a file of 4 billion lines) are named as the last.
        const auto line = static_cast<std::uint32_t>(std::min<std::size_t>(article.origin_line, UINT32_MAX));
        auto [it, fresh] = seen.try_emplace(article.id);
        std::vector<std::size_t> holders;
        if (!fresh) {
            report(Diagnostic{article.origin_path, article.origin_line, Severity::warning,
                              "duplicate id '" + article.id + "' (also at " + where(it->second) + "); the last one wins"});
            holders.push_back(it->second.shard);
            it->second.outcome.repeated = true;
        } else if (by_year) {
            holders = locator->find(article.id);
        }
        // By year, an article whose date changed leaves the shard of its old year.
        bool moved = false;
        for (std::size_t holder : holders) {
            if (holder == target) continue;
            Task removal;
            removal.article.id = article.id;
            removal.remove = true;
            send(holder, std::move(removal));
            moved = true;
        }
        if (std::find(holders.begin(), holders.end(), target) != holders.end()) moved = false;
        it->second.file = file;
        it->second.line = line;
        it->second.shard = static_cast<std::uint32_t>(target);
        send(target, Task{nullptr, std::move(article), false, moved, &it->second.outcome, !fresh});
    }

    // Every kProgressInterval, from the reading thread (the main thread).
    void show_progress() {
        if (!m_options.progress) return;
        auto now = std::chrono::steady_clock::now();
        if (std::chrono::duration<double>(now - m_last_report).count() < kProgressInterval) return;
        m_last_report = now;
        if (m_reading) m_bytes_read = m_reading->bytes_read();
        tell_progress(now, {});
    }

    // Says what the end of the run does next, once every writer is done.
    void show_stage(std::string stage) {
        if (m_options.progress) tell_progress(std::chrono::steady_clock::now(), std::move(stage));
    }

    void tell_progress(std::chrono::steady_clock::time_point now, std::string stage) {
        std::lock_guard lock(m_diagnostics_mutex);
        m_options.progress->update(IngestProgress{m_done, m_bytes_read, m_bytes_total,
                                                  std::chrono::duration<double>(now - m_started).count(),
                                                  std::move(stage)});
    }

    // Reads every PATH, sizing the input first; a failed writer or a stop
    // request ends the reading early.
    void read(const std::vector<std::string>& paths) {
        InputReader reader(
            m_options.input, [this](Article&& article) { route(std::move(article)); },
            [this](const Diagnostic& d) { report(d); }, m_standard_input);
        m_reading = &reader;
        try {
            // Every file first, so that progress can tell how much is left.
            std::vector<InputFile> files;
            bool sized = true;
            for (const std::string& path : paths) {
                for (InputFile& file : reader.expand(path)) files.push_back(std::move(file));
            }
            for (const InputFile& file : files) {
                std::error_code ec;
                auto size = file.path == "-" ? 0 : std::filesystem::file_size(file.path, ec);
                if (file.path == "-" || (ec && file.named)) sized = false; // a stream: no size to show
                else if (!ec) m_bytes_total += size;
            }
            if (!sized) m_bytes_total = 0;
            for (const InputFile& file : files) {
                reader.read(file);
                report_held_back();
            }
        } catch (const Stopped&) {
            m_summary.interrupted = true;
        } catch (const ShardFailed&) {
        } catch (...) {
            m_reader_error = std::current_exception();
        }
        m_summary.files = reader.files_read();
        m_bytes_read = reader.bytes_read();
        m_reading = nullptr;
    }

    // Waits for the writers; rethrows the first writer's error, else the reader's.
    // The progress line goes on while they write what is queued (at 10^6
    // articles, some seconds).
    void join_writers() {
        for (auto& q : m_queues) q->close();
        {
            std::unique_lock lock(m_writers_mutex);
            while (m_writers_done < m_threads.size()) {
                m_writers_finished.wait_for(lock, std::chrono::duration<double>(kProgressInterval));
                lock.unlock();
                show_progress();
                lock.lock();
            }
        }
        for (std::thread& t : m_threads) t.join();
        for (const std::exception_ptr& e : m_errors) {
            if (e) std::rethrow_exception(e);
        }
        if (m_reader_error) std::rethrow_exception(m_reader_error);
    }

    void finish_spelling() {
        // The spelling table (on the first shard, see SpellingCollector) gets the
        // words not added yet (all of them, unless there were very many) and the
        // gazetteer's names, after the articles: a run that fails part way has
        // written no spelling data beyond its articles' commits.
        fault_point("ingest-before-spelling");
        SpellingWords rest = m_spelling.take();
        if (m_spelling_from_index) {
            m_index.fill_spelling(m_options.gazetteer.get(), m_rebuild_spelling);
        } else if (m_options.gazetteer) {
            m_index.shard(m_spelling_shard).seed_spelling(*m_options.gazetteer);
        }
        m_index.shard(m_spelling_shard).add_spelling(rest);
        m_index.shard(m_spelling_shard).commit();
        clear_spelling_pending(m_index.path());
    }

    // The counts of the writers, with each id given more than once counted
    // once.
    void count_outcomes() {
        IngestSummary& summary = m_summary;
        for (const ShardCounts& c : m_counts) {
            summary.added += c.added;
            summary.replaced += c.replaced;
            summary.unchanged += c.unchanged;
        }
        // An id given more than once counts once, by what the run did to it.
        for (const auto& [id, entry] : m_seen) {
            const IdOutcome& outcome = entry.outcome;
            if (!outcome.repeated) continue;
            if (outcome.first == IdOutcome::none) {
                // The first record was rejected: a later one decides.
                if (outcome.last == IdOutcome::added) ++summary.added;
                if (outcome.last == IdOutcome::replaced) ++summary.replaced;
                if (outcome.last == IdOutcome::unchanged) ++summary.unchanged;
            } else if (outcome.first == IdOutcome::unchanged && outcome.changed) {
                --summary.unchanged;
                ++summary.replaced;
            }
        }
    }

    IndexSet& m_index;
    const IngestOptions& m_options;
    std::istream& m_standard_input;
    std::ostream& m_diagnostics;
    const std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
    IngestSummary m_summary;
    std::mutex m_diagnostics_mutex; // guards m_diagnostics and the counts of diagnostics
    DiagnosticLimiter m_limiter;
    const bool m_by_year;
    const std::size_t m_writers;
    std::vector<std::unique_ptr<BoundedQueue<Task>>> m_queues;
    std::vector<ShardCounts> m_counts;
    std::vector<std::exception_ptr> m_errors;
    std::atomic<bool> m_failed{false};
    std::atomic<std::size_t> m_done{0};
    SpellingCollector m_spelling;
    bool m_rebuild_spelling = false;
    bool m_spelling_from_index = false;
    const std::size_t m_spelling_shard;
    const bool m_segmenting; // IngestOptions::segment_articles applies
    std::vector<std::thread> m_threads;
    std::optional<IdLocator> m_locator;
    std::unordered_map<std::string, Seen> m_seen;
    std::unordered_set<const IndexWriter*> m_held_at_start; // the shards that held articles when the run began
    std::vector<std::string> m_files; // the files of m_seen, each once per stretch of its articles
    InputReader* m_reading = nullptr;
    std::uint64_t m_bytes_read = 0; // as last shown
    std::uint64_t m_bytes_total = 0;
    std::mutex m_writers_mutex; // guards m_writers_done
    std::condition_variable m_writers_finished;
    std::size_t m_writers_done = 0;
    std::chrono::steady_clock::time_point m_last_report = m_started;
    std::exception_ptr m_reader_error;
};

} // namespace

IngestSummary ingest(IndexSet& index, const std::vector<std::string>& paths, const IngestOptions& options,
                     std::istream& standard_input, std::ostream& diagnostics) {
    return IngestRun(index, options, standard_input, diagnostics).run(paths);
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
    std::string out = format_count(s.added) + " added, " + format_count(s.replaced) + " replaced, " +
                      format_count(s.unchanged) + " unchanged, " + format_count(s.rejected) + " rejected";
    if (s.warnings > 0) {
        out += " (" + format_count(s.warnings) + (s.warnings == 1 ? " warning)" : " warnings)");
    }
    out += " from " + format_count(s.files) + (s.files == 1 ? " file" : " files") + " in " +
           seconds + " s";
    return out;
}

} // namespace pundit
