#include "pundit/index_maintenance.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <memory>
#include <thread>

#include "pundit/durable_file.hpp"
#include "pundit/error.hpp"
#include "pundit/facet_cache.hpp"
#include "pundit/fault_point.hpp"
#include "pundit/index.hpp"
#include "pundit/index_layout.hpp"
#include "pundit/index_lock.hpp"
#include "pundit/index_set.hpp"
#include "pundit/schema.hpp"
#include "pundit/text_format.hpp"

namespace pundit {
namespace {

namespace fs = std::filesystem;

IndexLock::OnLocked lock_mode(IndexWriter::OnLocked on_locked) {
    return on_locked == IndexWriter::OnLocked::wait ? IndexLock::OnLocked::wait : IndexLock::OnLocked::fail;
}

std::uintmax_t directory_bytes(const fs::path& dir) {
    std::uintmax_t total = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->is_regular_file(ec)) total += it->file_size(ec);
    }
    return total;
}

// A compact-N name no entry of `dir` has yet.
std::string next_compact_dir(const fs::path& dir) {
    unsigned long highest = 0;
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (is_compact_dir_name(name)) highest = std::max(highest, std::stoul(name.substr(kCompactDirPrefix.size())));
    }
    return std::string(kCompactDirPrefix) + std::to_string(highest + 1);
}

// A plain database's own files, which its compacted copy makes obsolete.
std::vector<std::string> database_files(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file(ec) && (name == "iamglass" || name == "flintlock" || name.ends_with(".glass"))) {
            out.push_back(name);
        }
    }
    // The version file last: until it goes, readers take the directory for a database.
    std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
        return (a == "iamglass") < (b == "iamglass") || ((a == "iamglass") == (b == "iamglass") && a < b);
    });
    return out;
}

// Flushes every file and directory under `dir` (and `dir`) to the disk.
void sync_tree(const fs::path& dir) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->is_regular_file(ec)) sync_file(it->path().string());
        else if (it->is_directory(ec)) sync_directory(it->path().string());
    }
    sync_directory(dir.string());
}

// One compacted shard to write: from these databases, to DIR/relative.
struct CompactStep {
    std::vector<std::string> sources;
    std::string relative;
};

// Where each shard's compacted copy goes: DIR/compact-N/NAME, NAME the
// shard's own (a year index finds its years by name), or one database.
std::vector<CompactStep> plan_compaction(const std::vector<StubEntry>& shards, bool plain, bool merge,
                                         const std::string& generation) {
    std::vector<CompactStep> steps;
    if (plain || merge) {
        CompactStep all{{}, generation + "/shard-00"};
        for (const StubEntry& shard : shards) all.sources.push_back(shard.target);
        steps.push_back(std::move(all));
        return steps;
    }
    for (const StubEntry& shard : shards) {
        std::string name = fs::path(shard.target).filename().string();
        // Two shards of one name (a stub written by hand): keep both.
        while (std::any_of(steps.begin(), steps.end(), [&](const CompactStep& s) { return s.relative == generation + "/" + name; })) {
            name += "+";
        }
        steps.push_back(CompactStep{{shard.target}, generation + "/" + name});
    }
    return steps;
}

void compact_step(const CompactStep& step, const fs::path& dir, bool merged) {
    Xapian::Database source;
    for (const std::string& path : step.sources) source.add_database(open_local_database(path));
    const std::string target = (dir / step.relative).string();
    source.compact(target, Xapian::DBCOMPACT_MULTIPASS);
    if (merged) {
        // One database now: it is not sharded any more.
        Xapian::WritableDatabase db(target, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
        db.set_metadata(std::string(schema::kShardByKey), "");
        db.commit();
    }
}

// Runs the compaction steps on up to `threads` threads at once; the first
// error is rethrown once every thread is done.
void compact_steps_in_parallel(const std::vector<CompactStep>& steps, const fs::path& dir, std::size_t threads) {
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> errors(std::max<std::size_t>(1, std::min(threads, steps.size())));
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < errors.size(); ++t) {
        pool.emplace_back([&, t] {
            try {
                for (std::size_t k = next++; k < steps.size(); k = next++) {
                    compact_step(steps[k], dir, false);
                    fault_point("merge-after-shard");
                }
            } catch (...) {
                errors[t] = std::current_exception();
                next = steps.size(); // the others stop after their step
            }
        });
    }
    for (std::thread& thread : pool) thread.join();
    for (const std::exception_ptr& e : errors) {
        if (e) std::rethrow_exception(e);
    }
}

// What a failed merge says last: nothing was lost.
constexpr const char* kSegmentsKept =
    "; the index is as it was, and its segments are kept: the next indexer run merges them";

// The shards of the index at `dir`, checked to be there.
std::vector<StubEntry> present_shards(const std::string& dir, bool plain) {
    if (plain) return {StubEntry{false, dir, dir, "", ""}};
    std::error_code ec;
    if (!fs::exists(fs::path(dir) / kStubFileName, ec)) {
        throw Error(ErrorKind::index, "'" + dir + "' is not an index (no database, no '" + std::string(kStubFileName) +
                                          "' stub); indexer repair --index '" + dir + "' lists shards it finds there");
    }
    std::vector<StubEntry> shards = writable_shards(dir);
    for (const StubEntry& shard : shards) {
        if (!is_database_directory(shard.target)) {
            throw Error(ErrorKind::index, "shard '" + shard.target + "' of the index at '" + dir + "' is missing or " +
                                              "not a database; nothing was compacted: restore it, or run indexer "
                                              "repair --index '" + dir + "' to recreate it empty");
        }
    }
    return shards;
}

// After a failure: removes what this compaction created, unless readers
// already see it (then the next process to take the lock finishes it).
void undo_unswitched(const std::string& path, const CompactionJournal& journal) {
    if (!compaction_switched(path, journal)) recover_index_directory(path);
}

} // namespace

CompactSummary compact_index(const std::string& given, bool merge, IndexWriter::OnLocked on_locked) {
    const std::string path = writable_index_directory(given);
    CompactSummary summary;
    require_index(path); // the lock would create the directory
    refuse_foreign_directory(path);
    IndexLock lock(path, lock_mode(on_locked));
    summary.notes = recover_index_directory(path);
    // A killed ingest's segments join their shards first, then everything is compacted.
    for (std::string& note : merge_segments(path, false)) summary.notes.push_back(std::move(note));
    const bool plain = is_database_directory(path);
    const std::vector<StubEntry> shards = present_shards(path, plain);
    summary.shards_before = shards.size();
    summary.bytes_before = directory_bytes(path);

    CompactionJournal journal;
    journal.created = next_compact_dir(path);
    const std::vector<CompactStep> steps = plan_compaction(shards, plain, merge, journal.created);
    std::vector<std::string> relatives;
    for (const CompactStep& step : steps) relatives.push_back(step.relative);
    journal.new_stub = stub_contents(relatives);
    journal.stub_created = plain;
    if (plain) {
        journal.replaced = database_files(path);
    } else {
        for (const StubEntry& shard : shards) {
            if (is_inside(shard.relative)) journal.replaced.push_back(shard.relative);
            else summary.left_in_place.push_back(shard.target);
        }
    }
    const fs::path dir(path);
    try {
        write_compaction_journal(path, journal);
        fault_point("compact-after-journal");
        if (!fs::create_directory(dir / journal.created)) {
            throw Error(ErrorKind::index, "cannot compact '" + path + "': '" + (dir / journal.created).string() + "' exists");
        }
        for (const CompactStep& step : steps) {
            compact_step(step, dir, merge && !plain);
            fault_point("compact-after-shard");
        }
        sync_tree(dir / journal.created);
        fault_point("compact-before-switch");
        // The switch: readers open the new stub from now on. A plain
        // database stays one for readers until its version file goes.
        write_stub(path, relatives);
        if (plain) {
            fs::remove(dir / "iamglass");
            sync_directory(path);
        }
    } catch (const Error&) {
        undo_unswitched(path, journal);
        throw;
    } catch (const fs::filesystem_error& e) {
        undo_unswitched(path, journal);
        throw Error(ErrorKind::index, "cannot compact '" + path + "': " + e.what());
    } catch (const Xapian::Error& e) {
        undo_unswitched(path, journal);
        throw Error(ErrorKind::index, "cannot compact '" + path + "': " + e.get_description());
    }
    fault_point("compact-after-switch");
    finish_compaction(path, journal);
    fault_point("compact-after-cleanup");
    // Compaction renumbers documents: the facet cache is rebuilt.
    write_facet_cache(path);
    summary.shards_after = relatives.size();
    summary.bytes_after = directory_bytes(path);
    return summary;
}

std::vector<std::string> merge_segments(const std::string& dir, bool refresh_facets) {
    const std::vector<Segment> segments = list_segments(dir);
    std::error_code ec;
    if (segments.empty() || !fs::exists(fs::path(dir) / kStubFileName, ec)) {
        fs::remove(fs::path(dir) / kSegmentsDirName, ec); // only when empty
        return {};
    }
    const std::vector<StubEntry> shards = writable_shards(dir);
    CompactionJournal journal;
    journal.created = next_compact_dir(dir);
    std::vector<CompactStep> steps;
    std::vector<std::string> relatives;
    std::size_t merged = 0;
    for (const StubEntry& shard : shards) {
        const std::string name = fs::path(shard.target).filename().string();
        CompactStep step{{shard.target}, journal.created + "/" + name};
        for (const Segment& segment : segments) {
            if (segment.shard != name) continue;
            step.sources.push_back((fs::path(dir) / segment.relative).string());
            journal.replaced.push_back(segment.relative);
            ++merged;
        }
        if (step.sources.size() == 1 || !is_database_directory(shard.target)) {
            relatives.push_back(shard.relative);
            continue;
        }
        if (is_inside(shard.relative)) journal.replaced.push_back(shard.relative);
        relatives.push_back(step.relative);
        steps.push_back(std::move(step));
    }
    std::vector<std::string> notes;
    if (merged < segments.size()) {
        notes.push_back(format_count(segments.size() - merged) + " segments in '" +
                        (fs::path(dir) / kSegmentsDirName).string() +
                        "' belong to no shard the stub lists; they are left where they are");
    }
    if (steps.empty()) return notes;
    journal.new_stub = stub_contents(relatives);
    try {
        write_compaction_journal(dir, journal);
        fault_point("merge-after-journal");
        if (!fs::create_directory(fs::path(dir) / journal.created)) {
            throw Error(ErrorKind::index, "'" + (fs::path(dir) / journal.created).string() + "' exists");
        }
        compact_steps_in_parallel(steps, dir, std::min<std::size_t>(2, default_shard_count() / 2));
        sync_tree(fs::path(dir) / journal.created);
        fault_point("merge-before-switch");
        write_stub(dir, relatives);
    } catch (const Error& e) {
        undo_unswitched(dir, journal);
        throw Error(ErrorKind::index, "cannot merge the segments of '" + dir + "': " + e.what() + kSegmentsKept);
    } catch (const fs::filesystem_error& e) {
        undo_unswitched(dir, journal);
        throw Error(ErrorKind::index, "cannot merge the segments of '" + dir + "': " + e.what() + kSegmentsKept);
    } catch (const Xapian::Error& e) {
        undo_unswitched(dir, journal);
        throw Error(ErrorKind::index,
                    "cannot merge the segments of '" + dir + "': " + e.get_description() + kSegmentsKept);
    }
    fault_point("merge-after-switch");
    finish_compaction(dir, journal);
    fs::remove(fs::path(dir) / kSegmentsDirName, ec); // only when empty
    if (refresh_facets) write_facet_cache(dir);
    notes.push_back("merged " + format_count(merged) + " segments of an earlier indexer add into the shards of '" +
                    dir + "'");
    return notes;
}

} // namespace pundit

namespace pundit {
namespace {

// What a shard records of the sharding ("hash N", "year", ""), or nullopt
// when it cannot be read.
std::optional<std::string> sharding_record(const std::string& shard) {
    try {
        return open_local_database(shard).get_metadata(std::string(schema::kShardByKey));
    } catch (const Xapian::Error&) {
        return std::nullopt;
    }
}

// The stub a sharded index lost, made again from the shard directories it
// holds (each shard records how the index is sharded): hash shards in
// number order, year shards by year then undated. Throws Error(index) when
// the shards do not tell.
std::vector<std::string> relist_shards(const std::string& dir) {
    std::vector<std::string> relatives; // inside dir
    std::error_code ec;
    auto consider = [&](const fs::path& shard, const std::string& relative) {
        if (is_shard_name(shard.filename().string()) && is_database_directory(shard.string())) relatives.push_back(relative);
    };
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (is_compact_dir_name(name)) {
            for (const fs::directory_entry& inner : fs::directory_iterator(entry.path(), ec)) {
                consider(inner.path(), name + "/" + inner.path().filename().string());
            }
        } else {
            consider(entry.path(), name);
        }
    }
    const std::string cannot_tell = "the stub of the index at '" + dir + "' is missing and its shards do not say how to " +
                                    "list them; write '" + (fs::path(dir) / kStubFileName).string() + "' by hand";
    if (relatives.empty()) throw Error(ErrorKind::index, cannot_tell);
    std::optional<std::string> record = sharding_record((fs::path(dir) / relatives[0]).string());
    for (const std::string& relative : relatives) {
        if (sharding_record((fs::path(dir) / relative).string()) != record) throw Error(ErrorKind::index, cannot_tell);
    }
    // Each name once: copies of one shard in two places are for a person to sort out.
    auto name_of = [](const std::string& relative) { return fs::path(relative).filename().string(); };
    std::sort(relatives.begin(), relatives.end(), [&](const std::string& a, const std::string& b) {
        const std::string x = name_of(a), y = name_of(b);
        if ((x == "undated") != (y == "undated")) return y == "undated";
        return x < y;
    });
    for (std::size_t k = 1; k < relatives.size(); ++k) {
        if (name_of(relatives[k]) == name_of(relatives[k - 1])) throw Error(ErrorKind::index, cannot_tell);
    }
    if (record == std::string("year")) return relatives;
    if (record && record->starts_with("hash ")) {
        // Every shard-NN up to the count, missing ones too (recreated below).
        const std::size_t count = std::stoul(record->substr(5));
        std::vector<std::string> all;
        for (std::size_t k = 0; k < count; ++k) {
            const std::string name = hash_shard_name(k);
            auto found = std::find_if(relatives.begin(), relatives.end(), [&](const std::string& r) { return name_of(r) == name; });
            all.push_back(found != relatives.end() ? *found : name);
        }
        return all;
    }
    if (relatives.size() == 1) return relatives; // one database, merged
    throw Error(ErrorKind::index, cannot_tell);
}

// Why a shard cannot serve, or "" when it can: missing, not a database,
// cannot be opened, or fails Xapian's consistency check.
std::string shard_problem(const std::string& shard) {
    std::error_code ec;
    if (!fs::exists(shard, ec)) return "was missing";
    if (!is_database_directory(shard)) return "was not a database";
    try {
        open_local_database(shard);
        const std::size_t errors = Xapian::Database::check(shard, 0, nullptr);
        if (errors > 0) return "failed Xapian's consistency check (" + std::to_string(errors) + " errors)";
    } catch (const Xapian::Error& e) {
        return "could not be read (" + e.get_msg() + ")";
    }
    return {};
}

// The shards the stub lists (or the one database), present or not.
std::vector<StubEntry> listed_shards(const std::string& dir) {
    if (is_database_directory(dir)) return {StubEntry{false, dir, dir, "", ""}};
    return writable_shards(dir);
}

// A name beside `shard` that nothing has: NAME.damaged, NAME.damaged-2, ...
fs::path aside_name(const fs::path& shard) {
    std::error_code ec;
    fs::path aside = shard.string() + ".damaged";
    for (int k = 2; fs::exists(aside, ec) || fs::is_symlink(aside, ec); ++k) aside = shard.string() + ".damaged-" + std::to_string(k);
    return aside;
}

} // namespace

RepairSummary repair_index(const std::string& given, const Gazetteer* gazetteer, IndexWriter::OnLocked on_locked) {
    const std::string path = writable_index_directory(given);
    RepairSummary summary;
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
        throw Error(ErrorKind::index, "no index at '" + path + "'; create one with: indexer add --index '" + path +
                                          "' ARTICLES...");
    }
    refuse_foreign_directory(path);
    {
        IndexLock lock(path, lock_mode(on_locked));
        summary.repaired = recover_index_directory(path);
        if (!is_database_directory(path) && !fs::exists(fs::path(path) / kStubFileName, ec)) {
            const std::vector<std::string> relatives = relist_shards(path);
            write_stub(path, relatives);
            summary.repaired.push_back("listed the " + std::to_string(relatives.size()) + " shards of '" + path +
                                       "' in a new stub, as it had none");
        }
        const std::vector<StubEntry> shards = listed_shards(path);
        summary.shards = shards.size();
        const auto sizes = FacetCache::shard_sizes(path, shards.size());
        // What the sound shards record, for the ones made again.
        std::string record;
        for (const StubEntry& shard : shards) {
            if (auto here = sharding_record(shard.target); here && !here->empty()) record = *here;
        }
        for (std::size_t k = 0; k < shards.size(); ++k) {
            const StubEntry& shard = shards[k];
            const std::string problem = shard_problem(shard.target);
            if (problem.empty()) continue;
            if (shard.stub.empty()) {
                // The index is this one database: there is nothing to rebuild it from.
                throw Error(ErrorKind::index, "the index at '" + path + "' " + problem + "; it is one database, " +
                                                  "which cannot be repaired in place: index the articles again into " +
                                                  "a new --index");
            }
            std::string done = "shard '" + shard.target + "' " + problem + ": recreated empty";
            if (fs::exists(shard.target, ec) || fs::is_symlink(shard.target, ec)) {
                const fs::path aside = aside_name(shard.target);
                fs::rename(shard.target, aside);
                done += " (the damaged copy is kept as '" + aside.string() + "')";
            }
            IndexWriter fresh(shard.target, on_locked);
            if (!record.empty()) fresh.set_metadata(std::string(schema::kShardByKey), record);
            fresh.commit();
            if (sizes) {
                done += "; the " + format_count((*sizes)[k]) + " articles it held when the facet cache was last " +
                        "written are lost";
            } else {
                done += "; the articles it held are lost";
            }
            summary.repaired.push_back(done + ": add them again (indexer add skips those the index still has)");
        }
        sync_directory(path);
    }
    // With every shard in place: the spelling table, then the facet cache,
    // under the lock again.
    IndexSet index(path, 1, on_locked);
    for (const std::string& note : index.notes()) summary.repaired.push_back(note);
    if (spelling_pending(path)) {
        index.fill_spelling(gazetteer, true);
        index.shard(index.spelling_shard()).commit();
        clear_spelling_pending(path);
        summary.repaired.push_back("rebuilt the spelling table, which an interrupted ingest had left incomplete");
    }
    auto states = local_shard_states(path);
    auto cache = states ? FacetCache::open(path, *states) : nullptr;
    if (!cache || !cache->intact()) {
        write_facet_cache(path);
        summary.repaired.push_back("wrote the facet cache again");
    }
    return summary;
}

} // namespace pundit
