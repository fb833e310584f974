#include "pundit/index.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

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

void check_schema_version(const Xapian::Database& db, const std::string& path) {
    std::string version = db.get_metadata(std::string(schema::kVersionKey));
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
Xapian::Database open_stub(const std::string& path, const std::filesystem::path& stub, const OpenOptions& options,
                           std::vector<std::string>* missing) {
    std::ifstream in(stub);
    if (!in) throw Error(ErrorKind::index, "cannot read '" + stub.string() + "'");
    Xapian::Database combined;
    std::size_t opened = 0;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        std::string kind, target;
        words >> kind >> target;
        std::string name = target;
        try {
            if (kind == "remote") {
                // "remote HOST:PORT" (a TCP shard served by xapian-tcpsrv).
                auto colon = target.rfind(':');
                if (colon == std::string::npos) {
                    throw Error(ErrorKind::index, "'" + stub.string() + "': cannot read the remote shard '" + line + "'");
                }
                std::string host = target.substr(0, colon);
                unsigned port = static_cast<unsigned>(std::stoul(target.substr(colon + 1)));
                combined.add_database(Xapian::Remote::open(host.empty() ? "127.0.0.1" : host, port, kRemoteTimeoutMs,
                                                           kRemoteConnectTimeoutMs));
            } else {
                // "auto PATH" and the other local kinds: relative to the stub.
                std::filesystem::path local = target;
                if (local.is_relative()) local = stub.parent_path() / local;
                name = local.string();
                combined.add_database(Xapian::Database(local.string()));
            }
            ++opened;
        } catch (const Xapian::Error& e) {
            if (!options.allow_partial) {
                throw Error(ErrorKind::index, "shard '" + name + "' of the index at '" + path +
                                                  "' cannot be reached: " + e.get_msg() +
                                                  " (--allow-partial searches the other shards)");
            }
            if (missing) missing->push_back(name);
        } catch (const std::invalid_argument&) {
            throw Error(ErrorKind::index, "'" + stub.string() + "': cannot read the port in '" + line + "'");
        }
    }
    if (opened == 0) throw Error(ErrorKind::index, "no shard of the index at '" + path + "' can be reached");
    return combined;
}

} // namespace

Xapian::Database open_index_for_reading(const std::string& path, const OpenOptions& options,
                                        std::vector<std::string>* missing) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw Error(ErrorKind::index, "no index at '" + path +
                                          "'; create one with: indexer add --index '" + path +
                                          "' ARTICLES...");
    }
    Xapian::Database db;
    const std::filesystem::path stub = std::filesystem::path(path) / "XAPIANDB";
    try {
        db = std::filesystem::exists(stub, ec) ? open_stub(path, stub, options, missing) : Xapian::Database(path);
    } catch (const Xapian::DatabaseOpeningError& e) {
        throw Error(ErrorKind::index, "cannot open the index at '" + path + "': " + e.get_msg() +
                                          " (is it a Pundit index? create one with: indexer add --index '" +
                                          path + "' ARTICLES...)");
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::index, "cannot open the index at '" + path + "': " + e.get_description());
    }
    check_schema_version(db, path);
    return db;
}

} // namespace pundit
