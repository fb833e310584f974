#include "pundit/index.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include <sys/stat.h>

#include "pundit/error.hpp"
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

// Reading the metadata of a database that an indexer is committing to can
// meet DatabaseModifiedError: reopen and read again this many times.
constexpr int kModifiedRetries = 10;

std::string read_metadata(const Xapian::Database& db, const std::string& path, std::string_view key) {
    Xapian::Database reader = db; // a handle on the same database, which reopen() updates
    for (int attempt = 0;; ++attempt) {
        try {
            return reader.get_metadata(std::string(key));
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt == kModifiedRetries) {
                throw Error(ErrorKind::index, "the index at '" + path + "' kept changing while it was opened; try again");
            }
            reader.reopen();
        } catch (const Xapian::Error& e) {
            throw Error(ErrorKind::index, "cannot read the index at '" + path + "': " + e.get_description());
        }
    }
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
    for (int attempt = 0;; ++attempt) {
        try {
            return open();
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt == kModifiedRetries) {
                throw Error(ErrorKind::index, "the index at '" + path + "' kept changing while it was opened; try again");
            }
        }
    }
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

// Opens the databases a stub file lists, one by one.
Xapian::Database open_stub(const std::string& path, const std::vector<StubEntry>& entries, const OpenOptions& options,
                           IndexReport* report) {
    const std::string stub = (std::filesystem::path(path) / kStubFileName).string();
    Xapian::Database combined;
    std::size_t opened = 0;
    for (const StubEntry& entry : entries) {
        try {
            Xapian::Database shard;
            if (entry.remote) {
                auto colon = entry.target.rfind(':');
                if (colon == std::string::npos) {
                    throw Error(ErrorKind::index, "'" + stub + "': cannot read the remote shard '" + entry.line + "'");
                }
                std::string host = entry.target.substr(0, colon);
                unsigned port = static_cast<unsigned>(std::stoul(entry.target.substr(colon + 1)));
                shard = open_retrying(path, [&] {
                    return Xapian::Remote::open(host.empty() ? "127.0.0.1" : host, port, kRemoteTimeoutMs,
                                                kRemoteConnectTimeoutMs);
                });
            } else {
                shard = open_retrying(path, [&] { return Xapian::Database(entry.target); });
            }
            // Every shard: a combined database reads only the first one's metadata.
            check_schema_version(shard, path);
            note_gazetteer_versions(shard, path, report);
            combined.add_database(shard);
            ++opened;
        } catch (const Xapian::Error& e) {
            if (!options.allow_partial) {
                throw Error(ErrorKind::index, "shard '" + entry.target + "' of the index at '" + path +
                                                  "' cannot be reached: " + e.get_msg() +
                                                  " (--allow-partial searches the other shards)");
            }
            if (report) report->missing_shards.push_back(entry.target);
        } catch (const std::logic_error&) { // std::stoul: not a number, or too large
            throw Error(ErrorKind::index, "'" + stub + "': cannot read the port in '" + entry.line + "'");
        }
    }
    if (opened == 0) throw Error(ErrorKind::index, "no shard of the index at '" + path + "' can be reached");
    return combined;
}

} // namespace

std::vector<StubEntry> index_databases(const std::string& path) {
    const std::filesystem::path stub = std::filesystem::path(path) / kStubFileName;
    std::error_code ec;
    if (!std::filesystem::exists(stub, ec)) return {StubEntry{false, path, path}};
    std::ifstream in(stub);
    if (!in) throw Error(ErrorKind::index, "cannot read '" + stub.string() + "'");
    std::vector<StubEntry> entries;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        std::string kind, target;
        words >> kind >> target;
        StubEntry entry{kind == "remote", target, line};
        // "auto PATH" and the other local kinds: relative to the stub.
        if (!entry.remote && std::filesystem::path(target).is_relative()) entry.target = (stub.parent_path() / target).string();
        entries.push_back(std::move(entry));
    }
    return entries;
}

Xapian::Database open_index_for_reading(const std::string& path, const OpenOptions& options,
                                        IndexReport* report) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw Error(ErrorKind::index, "no index at '" + path +
                                          "'; create one with: indexer add --index '" + path +
                                          "' ARTICLES...");
    }
    Xapian::Database db;
    try {
        if (std::filesystem::exists(std::filesystem::path(path) / kStubFileName, ec)) {
            return open_stub(path, index_databases(path), options, report);
        }
        db = open_retrying(path, [&] { return Xapian::Database(path); });
    } catch (const Xapian::DatabaseOpeningError& e) {
        throw Error(ErrorKind::index, "cannot open the index at '" + path + "': " + e.get_msg() +
                                          " (is it a Pundit index? create one with: indexer add --index '" +
                                          path + "' ARTICLES...)");
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::index, "cannot open the index at '" + path + "': " + e.get_description());
    }
    check_schema_version(db, path);
    note_gazetteer_versions(db, path, report);
    return db;
}

std::vector<std::string> commit_files(const std::string& path) {
    namespace fs = std::filesystem;
    // Xapian 1.4's writable formats and the file each rewrites at a commit.
    static constexpr std::string_view kVersionFiles[] = {"iamglass", "iamchert"};
    std::vector<std::string> files;
    std::vector<std::string> databases;
    try {
        const fs::path stub = fs::path(path) / kStubFileName;
        std::error_code ec;
        if (fs::exists(stub, ec)) files.push_back(stub.string());
        for (const StubEntry& entry : index_databases(path)) {
            if (entry.remote || entry.target.empty()) return {};
            databases.push_back(entry.target);
        }
    } catch (const Error&) {
        return {};
    }
    for (const std::string& database : databases) {
        std::string found;
        for (std::string_view name : kVersionFiles) {
            std::error_code ec;
            const fs::path version = fs::path(database) / name;
            if (fs::exists(version, ec)) {
                found = version.string();
                break;
            }
        }
        if (found.empty()) return {};
        files.push_back(std::move(found));
    }
    return files;
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
