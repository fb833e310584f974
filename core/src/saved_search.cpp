#include "pundit/saved_search.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <utility>

#include <nlohmann/json.hpp>

#include "json_text.hpp"
#include "pundit/error.hpp"
#include "pundit/text_decoder.hpp"

namespace pundit {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// Bumped when the file's layout changes incompatibly.
constexpr int kFileFormatVersion = 1;
constexpr std::size_t kMaxNameBytes = 64;

std::string reason(int error) { return std::strerror(error); }

std::string unreadable(const std::string& file, const std::string& why) {
    return "cannot read saved searches from '" + file + "': " + why +
           "; fix the file or move it away (its saved searches are then forgotten)";
}

// The JSON form of one saved search: the selecting part of the QuerySpec.
json to_json(const SavedSearch& s) {
    json j;
    j["query"] = s.spec.query;
    j["any"] = s.spec.match_any;
    j["since"] = s.spec.since ? json(*s.spec.since) : json(nullptr);
    j["until"] = s.spec.until ? json(*s.spec.until) : json(nullptr);
    j["authors"] = s.spec.authors;
    j["sources"] = s.spec.sources;
    j["languages"] = s.spec.languages;
    j["leaders"] = s.spec.leaders;
    j["countries"] = s.spec.countries;
    j["organisations"] = s.spec.organisations;
    j["created"] = s.created;
    j["last_run"] = s.last_run ? json(*s.last_run) : json(nullptr);
    return j;
}

std::optional<std::string> optional_string(const json& j, const char* key) {
    const json& v = j.at(key);
    if (v.is_null()) return std::nullopt;
    return v.get<std::string>();
}

// Throws json::exception when a field is missing or of the wrong type.
SavedSearch from_json(const std::string& name, const json& j) {
    SavedSearch s;
    s.name = name;
    s.spec.query = j.at("query").get<std::string>();
    s.spec.match_any = j.at("any").get<bool>();
    s.spec.since = optional_string(j, "since");
    s.spec.until = optional_string(j, "until");
    s.spec.authors = j.at("authors").get<std::vector<std::string>>();
    s.spec.sources = j.at("sources").get<std::vector<std::string>>();
    s.spec.languages = j.at("languages").get<std::vector<std::string>>();
    s.spec.leaders = j.at("leaders").get<std::vector<std::string>>();
    s.spec.countries = j.at("countries").get<std::vector<std::string>>();
    s.spec.organisations = j.at("organisations").get<std::vector<std::string>>();
    s.created = j.at("created").get<std::int64_t>();
    if (!j.at("last_run").is_null()) s.last_run = j.at("last_run").get<std::int64_t>();
    return s;
}

// The whole file, checked; an empty document when there is no file yet.
json read_document(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        const int error = errno;
        std::error_code ec;
        if (!fs::exists(file, ec)) return json{{"format_version", kFileFormatVersion}, {"indexes", json::object()}};
        throw Error(ErrorKind::input, unreadable(file, reason(error)));
    }
    json doc;
    try {
        doc = json::parse(in);
    } catch (const json::exception& e) {
        throw Error(ErrorKind::input, unreadable(file, std::string("not valid JSON (") + e.what() + ")"));
    }
    if (!doc.is_object() || !doc.contains("format_version") || !doc["format_version"].is_number_integer() ||
        !doc.contains("indexes") || !doc["indexes"].is_object()) {
        throw Error(ErrorKind::input, unreadable(file, "not a saved-search file (no format_version and indexes)"));
    }
    if (doc["format_version"].get<std::int64_t>() != kFileFormatVersion) {
        throw Error(ErrorKind::input, unreadable(file, "format version " + dump_json(doc["format_version"]) +
                                                           " is not the version " +
                                                           std::to_string(kFileFormatVersion) + " this searcher reads"));
    }
    return doc;
}

std::vector<SavedSearch> searches_of(const std::string& file, const json& doc, const std::string& key) {
    std::vector<SavedSearch> out;
    auto it = doc["indexes"].find(key);
    if (it == doc["indexes"].end()) return out;
    try {
        for (const auto& [name, value] : it->items()) out.push_back(from_json(name, value));
    } catch (const json::exception& e) {
        throw Error(ErrorKind::input, unreadable(file, std::string("a saved search is damaged (") + e.what() + ")"));
    }
    return out;
}

// Writes `text` to `file` so that readers see the old or the new content,
// never a mix: a temporary file in the same directory, flushed to disk,
// then renamed over it.
void write_atomically(const std::string& file, const std::string& text) {
    const std::string temporary = file + ".tmp." + std::to_string(::getpid());
    auto fail = [&](const std::string& what) {
        const int error = errno;
        ::unlink(temporary.c_str());
        throw Error(ErrorKind::input, "cannot write saved searches to '" + file + "': " + what + ": " +
                                          reason(error));
    };
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail("cannot create '" + temporary + "'");
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::close(fd);
            fail("write failed");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        ::close(fd);
        fail("fsync failed");
    }
    if (::close(fd) != 0) fail("close failed");
    if (::rename(temporary.c_str(), file.c_str()) != 0) fail("rename failed");
    // Make the rename itself durable; a failure here loses nothing already written.
    if (int dir = ::open(fs::path(file).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

// An exclusive lock on FILE.lock for a read-modify-write of FILE. (The file
// itself cannot carry the lock: it is replaced by each write.)
class FileLock {
public:
    explicit FileLock(const std::string& file) {
        std::error_code ec;
        fs::create_directories(fs::path(file).parent_path(), ec);
        if (ec) {
            throw Error(ErrorKind::input, "cannot create the directory of '" + file + "': " + ec.message());
        }
        const std::string lock = file + ".lock";
        m_fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (m_fd < 0) throw Error(ErrorKind::input, "cannot create '" + lock + "': " + reason(errno));
        while (::flock(m_fd, LOCK_EX) != 0) {
            if (errno == EINTR) continue;
            const int error = errno;
            ::close(m_fd);
            throw Error(ErrorKind::input, "cannot lock '" + lock + "': " + reason(error));
        }
    }
    ~FileLock() { ::close(m_fd); } // closing releases the lock
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int m_fd = -1;
};

// Runs `change` on this index's searches (a JSON object by name) under the
// lock and writes the file when it returns true.
bool modify(const std::string& file, const std::string& key, const std::function<bool(json&)>& change) {
    FileLock lock(file);
    json doc = read_document(file);
    searches_of(file, doc, key); // refuse to rewrite a damaged entry
    json& indexes = doc["indexes"];
    json searches = indexes.contains(key) ? indexes[key] : json::object();
    if (!change(searches)) return false;
    if (searches.empty()) {
        indexes.erase(key);
    } else {
        indexes[key] = std::move(searches);
    }
    write_atomically(file, dump_json(doc, 2) + "\n");
    return true;
}

bool plain_word(const std::string& word) {
    if (word.empty()) return false;
    for (unsigned char c : word) {
        if (!(std::isalnum(c) || std::strchr("._/:@=+,-", c) || c >= 0x80)) return false;
    }
    return true;
}

// " (byte 0xE9)": the first byte of `text` that is not UTF-8. (Where it
// stands shows in the text quoted with it, as U+FFFD.)
std::string first_bad_byte(const std::string& text) {
    const std::size_t at = first_invalid_utf8(text);
    char byte[sizeof "0xFF"];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[at])));
    return std::string(" (byte ") + byte + ")";
}

std::string shell_quote(const std::string& word) {
    if (plain_word(word)) return word;
    std::string out = "'";
    for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace

std::string default_saved_searches_path() {
    const char* config = std::getenv("XDG_CONFIG_HOME");
    if (config && *config) return (fs::path(config) / "pundit" / "saved-searches.json").string();
    const char* home = std::getenv("HOME");
    if (home && *home) return (fs::path(home) / ".config" / "pundit" / "saved-searches.json").string();
    throw Error(ErrorKind::input, "cannot tell where to keep saved searches: set XDG_CONFIG_HOME or HOME");
}

std::string saved_search_index_key(const std::string& index_path) {
    std::error_code ec;
    fs::path path = fs::weakly_canonical(fs::absolute(index_path, ec), ec);
    if (ec) path = fs::absolute(index_path).lexically_normal();
    std::string key = path.string();
    while (key.size() > 1 && key.back() == '/') key.pop_back();
    return key;
}

void check_saved_search_name(const std::string& name) {
    auto bad = [&](const std::string& why) {
        throw Error(ErrorKind::input, "'" + name + "' cannot name a saved search: " + why +
                                          " (use letters, digits, '-', '_' or '.', e.g. --save putin-daily)");
    };
    if (name.empty()) bad("it is empty");
    if (name.size() > kMaxNameBytes) bad("it is longer than " + std::to_string(kMaxNameBytes) + " bytes");
    if (name.front() == '-') bad("it starts with '-'");
    if (!is_valid_utf8(name)) bad("it is not UTF-8" + first_bad_byte(name));
    for (unsigned char c : name) {
        if (c <= ' ' || c == 0x7f || c == '/') bad("it holds a space, a control character or '/'");
    }
    // The C1 controls, U+0080 to U+009F, are 0xC2 0x80 to 0xC2 0x9F.
    for (std::size_t i = 0; i + 1 < name.size(); ++i) {
        const auto lead = static_cast<unsigned char>(name[i]), next = static_cast<unsigned char>(name[i + 1]);
        if (lead == 0xC2 && next <= 0x9F) bad("it holds a space, a control character or '/'");
    }
}

std::string describe_saved_search(const SavedSearch& search) {
    const QuerySpec& spec = search.spec;
    std::string out;
    auto add = [&](const std::string& option, const std::string& value) {
        out += (out.empty() ? "" : " ") + option + " " + shell_quote(value);
    };
    if (spec.match_any) out += "--any";
    if (spec.since) add("--since", *spec.since);
    if (spec.until) add("--until", *spec.until);
    for (const auto& v : spec.authors) add("--author", v);
    for (const auto& v : spec.sources) add("--source", v);
    for (const auto& v : spec.languages) add("--language", v);
    for (const auto& v : spec.leaders) add("--leader", v);
    for (const auto& v : spec.countries) add("--country", v);
    for (const auto& v : spec.organisations) add("--org", v);
    if (!spec.query.empty()) {
        out += out.empty() ? "" : " ";
        if (spec.query.front() == '-') out += "-- "; // not an option
        out += shell_quote(spec.query);
    }
    return out;
}

QuerySpec merge_saved_search(const SavedSearch& saved, const QuerySpec& given) {
    QuerySpec spec = given;
    const QuerySpec& kept = saved.spec;
    if (kept.query.empty()) {
        spec.query = given.query;
    } else if (!given.query.empty()) {
        spec.query = "(" + kept.query + ") AND (" + given.query + ")";
    } else {
        spec.query = kept.query;
    }
    spec.match_any = kept.match_any || given.match_any;
    if (!given.since) spec.since = kept.since;
    if (!given.until) spec.until = kept.until;
    auto pick = [](std::vector<std::string>& out, const std::vector<std::string>& saved_values) {
        if (out.empty()) out = saved_values;
    };
    pick(spec.authors, kept.authors);
    pick(spec.sources, kept.sources);
    pick(spec.languages, kept.languages);
    pick(spec.leaders, kept.leaders);
    pick(spec.countries, kept.countries);
    pick(spec.organisations, kept.organisations);
    return spec;
}

SavedSearchStore::SavedSearchStore(std::string file, const std::string& index_path)
    : m_file(std::move(file)), m_index_key(saved_search_index_key(index_path)) {}

std::vector<SavedSearch> SavedSearchStore::list() const {
    return searches_of(m_file, read_document(m_file), m_index_key);
}

void SavedSearchStore::check_saveable(const SavedSearch& search) const {
    auto refuse = [&](const std::string& what, const std::string& text) {
        throw Error(ErrorKind::input, "cannot save the search '" + search.name + "': " + what + " '" + text +
                                          "' is not UTF-8" + first_bad_byte(text) +
                                          "; saved searches are kept as UTF-8 text");
    };
    check_saved_search_name(search.name);
    if (!is_valid_utf8(m_index_key)) refuse("the path of its index", m_index_key);
    const QuerySpec& spec = search.spec;
    if (!is_valid_utf8(spec.query)) refuse("its query", spec.query);
    for (const auto& [option, value] : {std::pair{"--since", &spec.since}, std::pair{"--until", &spec.until}}) {
        if (*value && !is_valid_utf8(**value)) refuse(std::string("its ") + option + " value", **value);
    }
    const std::pair<const char*, const std::vector<std::string>*> lists[] = {
        {"--author", &spec.authors},   {"--source", &spec.sources},     {"--language", &spec.languages},
        {"--leader", &spec.leaders},   {"--country", &spec.countries}, {"--org", &spec.organisations},
    };
    for (const auto& [option, values] : lists) {
        for (const std::string& value : *values) {
            if (!is_valid_utf8(value)) refuse(std::string("its ") + option + " value", value);
        }
    }
}

std::optional<SavedSearch> SavedSearchStore::find(const std::string& name) const {
    for (SavedSearch& s : list()) {
        if (s.name == name) return std::move(s);
    }
    return std::nullopt;
}

void SavedSearchStore::save(const SavedSearch& search) {
    check_saveable(search);
    modify(m_file, m_index_key, [&](json& searches) {
        searches[search.name] = to_json(search);
        return true;
    });
}

bool SavedSearchStore::forget(const std::string& name) {
    return modify(m_file, m_index_key, [&](json& searches) { return searches.erase(name) > 0; });
}

bool SavedSearchStore::mark_run(const std::string& name, std::int64_t seconds) {
    return modify(m_file, m_index_key, [&](json& searches) {
        auto it = searches.find(name);
        if (it == searches.end()) return false;
        (*it)["last_run"] = seconds;
        return true;
    });
}

} // namespace pundit
