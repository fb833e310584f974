#include "pundit/index.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include <sys/resource.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "pundit/durable_file.hpp"
#include "pundit/error.hpp"
#include "pundit/fault_point.hpp"
#include "pundit/reopen_retry.hpp"
#include "pundit/schema.hpp"

namespace pundit {

std::string resolve_index_path(const std::optional<std::string>& explicit_path) {
    if (explicit_path && !explicit_path->empty()) return *explicit_path;
    if (const char* env = std::getenv("NEWS_INDEX"); env && *env) return env;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
        return std::string(xdg) + "/pundit/index";
    }
    if (const char* home = std::getenv("HOME"); home && *home) {
        return std::string(home) + "/.local/share/pundit/index";
    }
    return ".pundit-index";
}

namespace {

Error kept_changing(const std::string& path) {
    return Error(ErrorKind::index, "the index at '" + path + "' kept changing while it was opened; try again");
}

std::string read_metadata(const Xapian::Database& db, const std::string& path, std::string_view key) {
    Xapian::Database reader = db; // a handle on the same database, which reopen() updates
    std::optional<std::string> value;
    try {
        value = with_reopen_retry([&](int) { return reader.get_metadata(std::string(key)); }, [&] { reader.reopen(); });
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::index, "cannot read the index at '" + path + "': " + e.get_description());
    }
    if (!value) throw kept_changing(path);
    return std::move(*value);
}

// Adds the gazetteer versions `db` records to the report.
void note_gazetteer_versions(const Xapian::Database& db, const std::string& path, IndexReport* report) {
    if (!report) return;
    std::istringstream versions(read_metadata(db, path, schema::kGazetteerVersionKey));
    std::string version;
    while (versions >> version) {
        auto& known = report->gazetteer_versions;
        if (std::find(known.begin(), known.end(), version) == known.end()) known.push_back(version);
    }
}

// Opens a database with `open`, again when an indexer's commits overwrite
// the revision being opened (Xapian throws DatabaseModifiedError even there).
template <typename Open>
Xapian::Database open_retrying(const std::string& path, Open open) {
    std::optional<Xapian::Database> db = with_reopen_retry([&](int) { return open(); });
    if (!db) throw kept_changing(path);
    return std::move(*db);
}

} // namespace

void check_schema_version(const Xapian::Database& db, const std::string& path) {
    std::string version = read_metadata(db, path, schema::kVersionKey);
    if (version.empty()) {
        throw Error(ErrorKind::index, "'" + path +
                                          "' is a Xapian database but not a Pundit index "
                                          "(no schema version); index into a new directory");
    }
    if (version != std::to_string(schema::kVersion)) {
        throw Error(ErrorKind::index,
                    "the index at '" + path + "' has schema version " + version +
                        ", but this version of Pundit reads version " +
                        std::to_string(schema::kVersion) + "; rebuild it: rm -r '" + path +
                        "' && indexer add --index '" + path + "' YOUR-ARTICLES");
    }
}

namespace {

namespace fs = std::filesystem;

// The first bytes of a glass database kept in a single file (xapian-compact
// --single-file): such a file is a database, not a stub.
constexpr std::string_view kGlassMagic = "\x0f\x0dXapian Glass";
// The version files of Xapian 1.4's disk formats: a directory holding one is
// a database (Xapian looks for them before a stub, and so do we).
constexpr std::string_view kGlassVersionFile = "iamglass";
constexpr std::string_view kChertVersionFile = "iamchert";

// Opening a stub again after a compaction switched it: this many times.
constexpr int kLayoutRetries = 5;

bool starts_with_glass_magic(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string head(kGlassMagic.size(), '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    return in && head == kGlassMagic;
}

// Whether the directory `dir` holds files of a Xapian database (a damaged
// one, if it cannot be opened), as opposed to files of another kind.
bool holds_database_files(const std::string& dir) {
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.ends_with(".glass") || name.ends_with(".DB") || name == "flintlock" || name == kGlassVersionFile ||
            name == kChertVersionFile) {
            return true;
        }
    }
    return false;
}

// Reads stub files, following the stubs they name, into a list of databases.
class StubResolver {
public:
    std::vector<StubEntry> entries;

    // The databases `path` stands for, as named by `entry` (its target is `path`).
    void resolve(StubEntry entry) {
        const fs::path path(entry.target);
        std::error_code ec;
        const fs::file_status status = fs::status(path, ec);
        if (fs::is_directory(status)) {
            if (!fs::exists(path / kGlassVersionFile, ec) && !fs::exists(path / kChertVersionFile, ec) &&
                fs::exists(path / kStubFileName, ec)) {
                read((path / kStubFileName).string(), entry);
                return;
            }
        } else if (fs::is_regular_file(status) && !starts_with_glass_magic(path)) {
            read(path.string(), entry, entry.stub.empty());
            return;
        }
        // A database, or nothing: opening it will say which.
        entries.push_back(std::move(entry));
    }

private:
    // Reads one stub file, named by `from` (nothing at the top); `given` when
    // the file is the index path itself, not the stub of a directory.
    void read(const std::string& stub, const StubEntry& from, bool given = false) {
        std::error_code ec;
        const std::string canonical = fs::weakly_canonical(stub, ec).string();
        if (std::find(m_chain.begin(), m_chain.end(), canonical) != m_chain.end()) {
            throw Error(ErrorKind::index, "'" + canonical + "' is named again by '" +
                                              fs::weakly_canonical(from.stub, ec).string() +
                                              "' (stub files that name each other in a cycle); list databases instead");
        }
        if (m_chain.size() >= static_cast<std::size_t>(kMaxStubDepth)) {
            throw Error(ErrorKind::index, "'" + from.stub + "' names stub files more than " +
                                              std::to_string(kMaxStubDepth) + " levels deep; list databases instead");
        }
        std::optional<std::string> contents = read_small_file(stub, kMaxStubBytes);
        if (!contents) throw Error(ErrorKind::index, "cannot read '" + stub + "'");
        std::istringstream in(*contents);
        m_chain.push_back(canonical);
        std::string line;
        bool listed = false;
        for (std::size_t number = 1; std::getline(in, line); ++number) {
            if (line.empty() || line[0] == '#') continue;
            // The file given as the index whose first line is no stub line
            // is some other file (articles, notes), not a damaged stub.
            if (!listed && given && !is_stub_line(line)) throw not_an_index(stub);
            entry(stub, number, line);
            listed = true;
        }
        if (!listed && given) throw not_an_index(stub);
        m_chain.pop_back();
    }

    static bool is_stub_line(const std::string& line) {
        const std::size_t space = line.find(' ');
        if (space == std::string::npos || space + 1 == line.size()) return false;
        const std::string kind = line.substr(0, space);
        return kind == "auto" || kind == "glass" || kind == "chert" || kind == "remote";
    }

    static Error not_an_index(const std::string& file) {
        return Error(ErrorKind::index, "'" + file + "' is not a Pundit index: it is neither a Xapian database nor a "
                                       "stub file listing databases ('auto PATH', 'remote HOST:PORT' lines); give "
                                       "--index the index directory");
    }

    // One line of a stub file: the kind of database, a space, its address
    // (a path may hold spaces), as Xapian reads it.
    void entry(const std::string& stub, std::size_t number, const std::string& line) {
        const std::size_t space = line.find(' ');
        const std::string kind = line.substr(0, space);
        const std::string rest = space == std::string::npos ? std::string() : line.substr(space + 1);
        const std::string where = "'" + stub + "' line " + std::to_string(number);
        if (kind == "remote") {
            if (rest.starts_with(':')) {
                throw Error(ErrorKind::index, where + " ('" + line + "') names a program to run; Pundit never runs "
                                                  "programs an index names: serve the shard with xapian-tcpsrv and "
                                                  "list it as 'remote HOST:PORT'");
            }
            entries.push_back(StubEntry{true, rest, line, stub, rest});
            return;
        }
        if ((kind != "auto" && kind != "glass" && kind != "chert") || rest.empty()) {
            throw Error(ErrorKind::index, where + " ('" + line + "') is not a database Pundit can open "
                                              "(expected 'auto PATH', 'glass PATH' or 'remote HOST:PORT')");
        }
        fs::path target(rest);
        // Joined, not normalised: "../x" means what the file system says it
        // does when the directory is a symbolic link.
        if (target.is_relative()) target = fs::path(stub).parent_path() / target;
        StubEntry named{false, target.string(), line, stub, rest};
        // "glass PATH" and "chert PATH" name a database; "auto PATH" may name a stub.
        if (kind == "auto") resolve(std::move(named));
        else entries.push_back(std::move(named));
    }

    std::vector<std::string> m_chain; // canonical paths of the stubs being read
};

// A local shard that failed to open, for open_index_for_reading to retry
// when the index was switched meanwhile.
struct ShardOpenFailed {
    Error error;
};

// The index directory `indexer repair` takes for a missing shard: the one
// given, when it is a directory or its XAPIANDB; else, for a stub file of
// another name, the directory of the XAPIANDB that lists the shard (the
// stub named, or one beside the shard); else none.
std::string repair_directory(const std::string& path, const StubEntry& entry) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec) || fs::path(path).filename() == kStubFileName) return path;
    for (const fs::path& stub : {fs::path(entry.stub), fs::path(entry.target).parent_path() / kStubFileName}) {
        if (stub.filename() != kStubFileName || !fs::is_regular_file(stub, ec)) continue;
        const std::string dir = stub.parent_path().empty() ? std::string(".") : stub.parent_path().string();
        try {
            for (const StubEntry& listed : index_databases(dir)) {
                if (fs::path(listed.target).lexically_normal() == fs::path(entry.target).lexically_normal()) return dir;
            }
        } catch (const Error&) {
            // A stub that cannot be read names no directory to repair.
        }
    }
    return {};
}

// Why a local shard could not be opened, in words that say what to do.
std::string local_shard_failure(const std::string& path, const StubEntry& entry, std::size_t shards,
                                const Xapian::Error& e) {
    const std::string shard = "shard '" + entry.target + "' of the index at '" + path + "'";
    std::error_code ec;
    if (!fs::exists(entry.target, ec)) {
        const std::string dir = repair_directory(path, entry);
        return shard + " is missing (listed in '" + entry.stub + "'): restore it, or run indexer repair --index '" +
               (dir.empty() ? "DIR" : dir) + "' to recreate it empty, without its articles" +
               (dir.empty() ? ", DIR being the index directory that holds it" : "") +
               " (--allow-partial searches the other shards)";
    }
    const char* reason = e.get_error_string();
    if (reason && (std::strcmp(reason, std::strerror(EMFILE)) == 0 || std::strcmp(reason, std::strerror(ENFILE)) == 0)) {
        struct rlimit files {};
        getrlimit(RLIMIT_NOFILE, &files);
        return shard + " cannot be opened: too many open files (the index has " + std::to_string(shards) +
               " databases of a few files each, and this process may open " + std::to_string(files.rlim_cur) +
               "; raise the limit with ulimit -n)";
    }
    return shard + " cannot be opened: " + e.get_msg() + " (--allow-partial searches the other shards)";
}

// Opens the databases a stub file lists, one by one.
Xapian::Database open_stub(const std::string& path, const std::vector<StubEntry>& entries, const OpenOptions& options,
                           IndexReport* report) {
    Xapian::Database combined;
    std::size_t opened = 0;
    for (const StubEntry& entry : entries) {
        try {
            Xapian::Database shard;
            if (entry.remote) {
                auto colon = entry.target.rfind(':');
                if (colon == std::string::npos) {
                    throw Error(ErrorKind::index, "'" + entry.stub + "': cannot read the remote shard '" + entry.line + "'");
                }
                std::string host = entry.target.substr(0, colon);
                unsigned port = static_cast<unsigned>(std::stoul(entry.target.substr(colon + 1)));
                shard = open_retrying(path, [&] {
                    return Xapian::Remote::open(host.empty() ? "127.0.0.1" : host, port, kRemoteTimeoutMs,
                                                kRemoteConnectTimeoutMs);
                });
            } else {
                try {
                    shard = open_retrying(path, [&] { return open_local_database(entry.target); });
                } catch (const Xapian::Error& e) {
                    if (options.allow_partial) throw;
                    std::string why = local_shard_failure(path, entry, entries.size(), e);
                    // Close the shards opened so far before going on: when the
                    // cause is a lack of file descriptors, what follows (the
                    // retry's look at the stub, the error itself) needs some.
                    combined = Xapian::Database();
                    throw ShardOpenFailed{Error(ErrorKind::index, std::move(why))};
                }
            }
            // Every shard: a combined database reads only the first one's metadata.
            check_schema_version(shard, path);
            note_gazetteer_versions(shard, path, report);
            combined.add_database(shard);
            ++opened;
        } catch (const Xapian::Error& e) {
            if (!options.allow_partial) {
                combined = Xapian::Database();
                throw Error(ErrorKind::index, "shard '" + entry.target + "' of the index at '" + path +
                                                  "' cannot be reached: " + e.get_msg() +
                                                  " (--allow-partial searches the other shards)");
            }
            if (report) report->missing_shards.push_back(entry.target);
        } catch (const std::logic_error&) { // std::stoul: not a number, or too large
            throw Error(ErrorKind::index, "'" + entry.stub + "': cannot read the port in '" + entry.line + "'");
        }
    }
    if (opened == 0) throw Error(ErrorKind::index, "no shard of the index at '" + path + "' can be reached");
    return combined;
}

// Opens the index once, as its stub (or its own version file) says now.
Xapian::Database open_layout(const std::string& path, const OpenOptions& options, IndexReport* report) {
    std::vector<StubEntry> entries = index_databases(path);
    fault_point("open-after-stub");
    if (entries.size() == 1 && entries[0].stub.empty()) {
        Xapian::Database db;
        try {
            db = open_retrying(path, [&] { return open_local_database(path); });
        } catch (const Xapian::DatabaseOpeningError& e) {
            require_index(path); // an empty directory
            if (std::error_code ec; fs::is_directory(path, ec) && !holds_database_files(path)) {
                throw ShardOpenFailed{Error(ErrorKind::index, "'" + path + "' is not a Pundit index: the directory holds "
                                                              "neither a Xapian database nor a stub ('" +
                                                              std::string(kStubFileName) +
                                                              "'); give --index the index directory")};
            }
            throw ShardOpenFailed{Error(ErrorKind::index, "cannot open the index at '" + path + "': " + e.get_msg() +
                                                              " (is it a Pundit index? create one with: indexer add "
                                                              "--index '" + path + "' ARTICLES...)")};
        } catch (const Xapian::Error& e) {
            throw ShardOpenFailed{Error(ErrorKind::index, "cannot open the index at '" + path + "': " + e.get_description())};
        }
        check_schema_version(db, path);
        note_gazetteer_versions(db, path, report);
        return db;
    }
    return open_stub(path, entries, options, report);
}

} // namespace

std::vector<StubEntry> index_databases(const std::string& path) {
    StubResolver resolver;
    resolver.resolve(StubEntry{false, path, path, "", path});
    return std::move(resolver.entries);
}

Xapian::Database open_local_database(const std::string& path) {
    std::error_code ec;
    const bool chert = fs::exists(fs::path(path) / kChertVersionFile, ec);
    return Xapian::Database(path, chert ? Xapian::DB_BACKEND_CHERT : Xapian::DB_BACKEND_GLASS);
}

std::string layout_fingerprint(const std::string& path) {
    std::error_code ec;
    std::string out = fs::exists(fs::path(path) / kGlassVersionFile, ec) ? "database\n" : "stub\n";
    const fs::path stub = fs::is_directory(path, ec) ? fs::path(path) / kStubFileName : fs::path(path);
    try {
        out += read_small_file(stub.string(), kMaxStubBytes).value_or("");
    } catch (const Error& e) {
        out += e.what(); // opening it will say what is wrong
    }
    return out;
}

void raise_open_file_limit() {
    if (struct rlimit files {}; getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
}

void require_index(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec) || (fs::is_directory(path, ec) && fs::is_empty(path, ec))) {
        throw Error(ErrorKind::index, "no index at '" + path +
                                          "'; create one with: indexer add --index '" + path +
                                          "' ARTICLES...");
    }
}

Xapian::Database open_index_for_reading(const std::string& path, const OpenOptions& options,
                                        IndexReport* report) {
    std::error_code ec;
    if (!fs::exists(path, ec)) require_index(path);
    for (int attempt = 0;; ++attempt) {
        const std::string layout = layout_fingerprint(path);
        IndexReport fresh;
        try {
            Xapian::Database db = open_layout(path, options, report ? &fresh : nullptr);
            if (report) *report = std::move(fresh);
            return db;
        } catch (const ShardOpenFailed& failed) {
            // Opened from a stub that a compaction has replaced since (and
            // whose old shards it removed): open the new one.
            if (attempt == kLayoutRetries || layout_fingerprint(path) == layout) throw failed.error;
        }
    }
}

std::vector<std::string> commit_files(const std::string& path) {
    std::vector<std::string> stubs;
    std::vector<std::string> versions;
    try {
        for (const StubEntry& entry : index_databases(path)) {
            if (entry.remote || entry.target.empty()) return {};
            if (!entry.stub.empty() && std::find(stubs.begin(), stubs.end(), entry.stub) == stubs.end()) {
                stubs.push_back(entry.stub);
            }
            std::error_code ec;
            std::string found;
            for (std::string_view name : {kGlassVersionFile, kChertVersionFile}) {
                if (const fs::path version = fs::path(entry.target) / name; fs::exists(version, ec)) {
                    found = version.string();
                    break;
                }
            }
            // A database in a single file (read-only) is its own version file.
            if (found.empty() && fs::is_regular_file(entry.target, ec)) found = entry.target;
            if (found.empty()) return {};
            versions.push_back(std::move(found));
        }
    } catch (const Error&) {
        return {};
    }
    stubs.insert(stubs.end(), versions.begin(), versions.end());
    return stubs;
}

std::string commit_fingerprint(const std::vector<std::string>& files) {
    std::string out;
    for (const std::string& file : files) {
        struct stat st {};
        if (::stat(file.c_str(), &st) != 0) return {}; // unknown: never equal to a real one
        const long long fields[] = {static_cast<long long>(st.st_dev),          static_cast<long long>(st.st_ino),
                                    static_cast<long long>(st.st_size),         static_cast<long long>(st.st_mtim.tv_sec),
                                    static_cast<long long>(st.st_mtim.tv_nsec), static_cast<long long>(st.st_ctim.tv_sec),
                                    static_cast<long long>(st.st_ctim.tv_nsec)};
        out.append(reinterpret_cast<const char*>(fields), sizeof fields);
    }
    return out;
}

std::string gazetteer_mismatch(const std::string& path, const std::vector<std::string>& index_versions,
                               const std::string& loaded) {
    std::string others;
    for (const std::string& version : index_versions) {
        if (version != loaded) others += (others.empty() ? "" : ", ") + version;
    }
    if (others.empty()) return {};
    return "the index at '" + path + "' was tagged with gazetteer " + others + ", but gazetteer " + loaded +
           " is loaded: leader, country and organisation filters may miss articles or find the wrong ones "
           "(re-tag the articles: run indexer add again on all of them)";
}

} // namespace pundit
