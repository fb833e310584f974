// The indexer's subcommands: each registers its options on a CLI11 app and
// runs on a plain Options struct. Exit codes are documented in indexer(1).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "pundit/input_reader.hpp"

namespace indexer {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1; // some records were rejected; the rest are indexed
inline constexpr int kExitFatal = 2;    // nothing (more) could be done: bad usage, index error
// Interrupted by SIGINT or SIGTERM: 128 + the signal, as shells report it.
inline constexpr int kExitSignalBase = 128;

struct AddOptions {
    std::optional<std::string> index;
    std::optional<std::string> gazetteer;
    std::string format = "auto";
    bool follow = false; // follow symbolic links met in directories
    std::string default_date; // given to articles without a date; "": none
    bool no_entities = false;
    bool quiet = false;
    bool wait = false;
    std::size_t shards = 0; // 0: not given (a new index gets pundit::default_shard_count())
    std::string shard_by;   // "hash", "year"; empty: not given (a new index is sharded by hash)
    std::size_t commit_every = 0; // 0: pundit::kCommitEvery
    std::optional<std::size_t> segment_size; // articles per shard and segment (0: none)
    std::vector<std::string> exclude; // fnmatch(3) patterns of paths under a directory PATH
    bool verbose = false;             // every diagnostic, not the first of each kind per file
    std::vector<std::string> paths;
};

struct CompactOptions {
    std::optional<std::string> index;
    bool merge = false;
    bool wait = false;
};

struct RepairOptions {
    std::optional<std::string> index;
    std::optional<std::string> gazetteer;
    bool wait = false;
};

struct TagOptions {
    std::optional<std::string> gazetteer;
    std::string format = "auto";
    bool follow = false;
    std::string default_date;
    std::vector<std::string> exclude;
    bool verbose = false;
    std::vector<std::string> paths;
};

struct RemoveOptions {
    std::optional<std::string> index;
    std::vector<std::string> ids;
    bool wait = false;
};

void register_add(CLI::App& app, AddOptions& options);
int run_add(const AddOptions& options);

void register_tag(CLI::App& app, TagOptions& options);
int run_tag(const TagOptions& options);

void register_compact(CLI::App& app, CompactOptions& options);
int run_compact(const CompactOptions& options);

void register_remove(CLI::App& app, RemoveOptions& options);
int run_remove(const RemoveOptions& options);

void register_repair(CLI::App& app, RepairOptions& options);
int run_repair(const RepairOptions& options);

// Hidden: the engine's keys of names read on stdin, for scripts/gazetteer/build.
void register_name_keys(CLI::App& app);
int run_name_keys();

// Prints what opening the index found and finished of an earlier process
// killed while changing it ("indexer: note: ..." on stderr).
void print_notes(const std::vector<std::string>& notes);

// Registers --default-date on `app` (add, tag).
void add_default_date_option(CLI::App& app, std::string& date);
// Registers --exclude and --verbose on `app` (add, tag).
void add_batch_options(CLI::App& app, std::vector<std::string>& exclude, bool& verbose);
// The input options of add and tag; throws pundit::Error(input) for a bad --default-date.
pundit::InputOptions input_options(const std::string& format, bool follow, const std::string& default_date,
                                   const std::vector<std::string>& exclude, bool verbose);

} // namespace indexer
