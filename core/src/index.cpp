#include "pundit/index.hpp"

#include <cstdlib>
#include <filesystem>

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

Xapian::Database open_index_for_reading(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw Error(ErrorKind::index, "no index at '" + path +
                                          "'; create one with: indexer add --index '" + path +
                                          "' ARTICLES...");
    }
    Xapian::Database db;
    try {
        db = Xapian::Database(path);
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
