#include "pundit/index_layout.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "pundit/durable_file.hpp"
#include "pundit/error.hpp"
#include "pundit/index_lock.hpp"

namespace pundit {
namespace {

namespace fs = std::filesystem;

// The first line of a compaction journal: a file of another format is
// never taken for one.
constexpr std::string_view kJournalMagic = "pundit compaction journal 1";

// Staging names: a stub or another durable file being written
// (durable_file.hpp adds ".new-PID"), a facet cache being built.
bool is_staging_name(std::string_view name) {
    for (std::string_view base : {std::string_view(kStubFileName), std::string_view(kCompactJournalName),
                                  std::string_view(kSpellingPendingName), std::string_view(kFacetCacheName),
                                  std::string_view(kCreatingName)}) {
        if (name.size() > base.size() && name.starts_with(base) &&
            (name.substr(base.size()).starts_with(".new") || name.substr(base.size()).starts_with(".tmp-"))) {
            return true;
        }
    }
    return false;
}

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string read_whole(const fs::path& file) { return read_small_file(file.string(), kMaxStubBytes).value_or(""); }

} // namespace

std::string hash_shard_name(std::size_t k) {
    std::string number = std::to_string(k);
    if (number.size() < 2) number.insert(0, 2 - number.size(), '0');
    return "shard-" + number;
}

bool is_shard_name(std::string_view name) {
    return (name.starts_with("shard-") && name.size() == 8 && all_digits(name.substr(6))) ||
           (name.starts_with("year-") && name.size() == 9 && all_digits(name.substr(5))) || name == "undated";
}

bool is_compact_dir_name(std::string_view name) {
    return name.starts_with(kCompactDirPrefix) && all_digits(name.substr(kCompactDirPrefix.size()));
}

bool is_index_entry_name(std::string_view name) {
    // A damaged shard that `indexer repair` moved aside: NAME.damaged[-N].
    if (const std::size_t dot = name.find(".damaged"); dot != std::string_view::npos) {
        const std::string_view rest = name.substr(dot + 8);
        if (is_shard_name(name.substr(0, dot)) && (rest.empty() || (rest[0] == '-' && all_digits(rest.substr(1))))) {
            return true;
        }
    }
    return name == kLockFileName || name == kStubFileName || name == kCompactJournalName ||
           name == kSpellingPendingName || name == kFacetCacheName || name == kCreatingName || is_shard_name(name) ||
           is_compact_dir_name(name) || is_staging_name(name) || name == kSegmentsDirName;
}

std::string segment_relative(std::string_view shard, std::size_t number) {
    std::string digits = std::to_string(number);
    if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
    return std::string(kSegmentsDirName) + "/" + std::string(shard) + "." + digits;
}

std::vector<Segment> list_segments(const std::string& dir) {
    std::vector<Segment> out;
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(fs::path(dir) / kSegmentsDirName, ec)) {
        const std::string name = entry.path().filename().string();
        const std::size_t dot = name.rfind('.');
        if (dot == std::string::npos || !is_shard_name(name.substr(0, dot)) || !all_digits(name.substr(dot + 1)) ||
            name.size() - dot - 1 > 9 || !is_database_directory(entry.path().string())) {
            continue;
        }
        out.push_back(Segment{name.substr(0, dot), std::stoul(name.substr(dot + 1)),
                              std::string(kSegmentsDirName) + "/" + name});
    }
    std::sort(out.begin(), out.end(), [](const Segment& a, const Segment& b) {
        return a.shard != b.shard ? a.shard < b.shard : a.number < b.number;
    });
    return out;
}

std::string writable_index_directory(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return path;
    if (fs::path(path).filename() == kStubFileName) {
        const fs::path dir = fs::path(path).parent_path();
        return dir.empty() ? std::string(".") : dir.string();
    }
    const std::vector<StubEntry> entries = index_databases(path);
    if (entries.size() == 1 && entries[0].stub.empty()) return path; // a database in a single file
    throw Error(ErrorKind::index, "'" + path + "' is a stub file: indexer commands write an index through its "
                                  "directory, whose '" + std::string(kStubFileName) + "' lists the shards beside "
                                  "the index's lock and facet cache; give --index that directory (a stub file of "
                                  "another name is for searching)");
}

bool is_database_directory(const std::string& dir) {
    std::error_code ec;
    return fs::exists(fs::path(dir) / "iamglass", ec) || fs::exists(fs::path(dir) / "iamchert", ec);
}

bool is_inside(std::string_view relative) {
    const fs::path path = fs::path(relative).lexically_normal();
    if (path.empty() || path.is_absolute()) return false;
    const std::string first = path.begin()->string();
    return first != ".." && first != ".";
}

std::vector<StubEntry> writable_shards(const std::string& dir) {
    const std::string stub = (fs::path(dir) / kStubFileName).string();
    std::vector<StubEntry> entries = index_databases(dir);
    for (const StubEntry& entry : entries) {
        if (entry.remote) {
            throw Error(ErrorKind::index, "'" + dir + "' lists a remote shard ('" + entry.line + "'); write it where it lives");
        }
        if (entry.stub != stub) {
            throw Error(ErrorKind::index, "'" + stub + "' names '" + entry.stub + "', a stub of its own: an index that " +
                                              "Pundit writes lists its shards directly");
        }
    }
    if (entries.empty()) throw Error(ErrorKind::index, "'" + stub + "' lists no databases");
    return entries;
}

std::string stub_contents(const std::vector<std::string>& relatives) {
    std::string out;
    for (const std::string& relative : relatives) out += "auto " + relative + "\n";
    return out;
}

void write_stub(const std::string& dir, const std::vector<std::string>& relatives) {
    write_file_durably((fs::path(dir) / kStubFileName).string(), stub_contents(relatives));
}

void write_compaction_journal(const std::string& dir, const CompactionJournal& journal) {
    std::string text(kJournalMagic);
    text += "\ncreated " + journal.created + "\n";
    for (const std::string& replaced : journal.replaced) text += "replaced " + replaced + "\n";
    text += std::string("stub-created ") + (journal.stub_created ? "yes" : "no") + "\n";
    text += "stub " + std::to_string(journal.new_stub.size()) + "\n" + journal.new_stub;
    write_file_durably((fs::path(dir) / kCompactJournalName).string(), text);
}

std::optional<CompactionJournal> read_compaction_journal(const std::string& dir) {
    const fs::path file = fs::path(dir) / kCompactJournalName;
    std::error_code ec;
    if (!fs::exists(file, ec)) return std::nullopt;
    std::istringstream in(read_whole(file));
    std::string line;
    CompactionJournal journal;
    auto bad = [&] { return Error(ErrorKind::index, "cannot read '" + file.string() + "': not a compaction journal"); };
    if (!std::getline(in, line) || line != kJournalMagic) throw bad();
    while (std::getline(in, line)) {
        if (line.starts_with("created ")) {
            journal.created = line.substr(8);
        } else if (line.starts_with("replaced ")) {
            journal.replaced.push_back(line.substr(9));
        } else if (line.starts_with("stub-created ")) {
            journal.stub_created = line.substr(13) == "yes";
        } else if (line.starts_with("stub ")) {
            const std::size_t size = std::stoul(line.substr(5));
            journal.new_stub.resize(size);
            in.read(journal.new_stub.data(), static_cast<std::streamsize>(size));
            if (!in) throw bad();
            return journal;
        } else {
            throw bad();
        }
    }
    throw bad(); // cut short: written durably, so never by us
}

bool compaction_switched(const std::string& dir, const CompactionJournal& journal) {
    return !is_database_directory(dir) && read_whole(fs::path(dir) / kStubFileName) == journal.new_stub;
}

void finish_compaction(const std::string& dir, const CompactionJournal& journal) {
    std::error_code ec;
    for (const std::string& replaced : journal.replaced) {
        if (!is_inside(replaced)) continue;
        const fs::path path = fs::path(dir) / replaced;
        fs::remove_all(path, ec);
        // A compact-N directory whose shards are all gone goes too.
        const fs::path parent = path.parent_path();
        if (parent != fs::path(dir) && is_compact_dir_name(parent.filename().string()) && fs::is_empty(parent, ec)) {
            fs::remove(parent, ec);
        }
    }
    fs::remove(fs::path(dir) / kCompactJournalName, ec);
    sync_directory(dir);
}

std::vector<std::string> recover_index_directory(const std::string& dir) {
    std::vector<std::string> notes;
    std::error_code ec;
    if (std::optional<CompactionJournal> journal = read_compaction_journal(dir)) {
        if (compaction_switched(dir, *journal)) {
            finish_compaction(dir, *journal);
            notes.push_back("finished the compaction of '" + dir + "' that was interrupted after it switched the "
                            "index over");
        } else {
            // Killed before the switch: readers never saw the new shards.
            if (is_compact_dir_name(journal->created)) fs::remove_all(fs::path(dir) / journal->created, ec);
            if (journal->stub_created && read_whole(fs::path(dir) / kStubFileName) == journal->new_stub) {
                fs::remove(fs::path(dir) / kStubFileName, ec);
            }
            fs::remove(fs::path(dir) / kCompactJournalName, ec);
            sync_directory(dir);
            notes.push_back("undid the compaction of '" + dir + "' that was interrupted before it switched the index "
                            "over; the index is as it was");
        }
    }
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
        if (is_staging_name(entry.path().filename().string())) fs::remove(entry.path(), ec);
    }
    // A segment whose creation was cut short holds no article: a directory
    // of nothing but the staging file of our marker, or Xapian's files
    // beside the marker without a version file.
    for (const fs::directory_entry& entry : fs::directory_iterator(fs::path(dir) / kSegmentsDirName, ec)) {
        const std::string path = entry.path().string();
        if (!entry.is_directory(ec) || is_database_directory(path)) continue;
        bool staging_only = true;
        for (const fs::directory_entry& inner : fs::directory_iterator(entry.path(), ec)) {
            if (!is_staging_name(inner.path().filename().string())) staging_only = false;
        }
        if (staging_only || fs::exists(entry.path() / kCreatingName, ec)) fs::remove_all(entry.path(), ec);
    }
    return notes;
}

namespace {

// Xapian's own files in a database directory.
bool is_xapian_file_name(std::string_view name) {
    return name == "flintlock" || name.ends_with(".glass") || name.ends_with(".tmp");
}

} // namespace

void refuse_foreign_directory(const std::string& dir) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) return;
    if (!fs::is_directory(dir, ec)) {
        throw Error(ErrorKind::index, "'" + dir + "' exists and is not a directory; choose another --index");
    }
    if (is_database_directory(dir) || fs::exists(fs::path(dir) / kStubFileName, ec)) return;
    bool foreign = false;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (!is_xapian_file_name(name) && !is_index_entry_name(name)) foreign = true;
    }
    if (foreign || ec) {
        throw Error(ErrorKind::index, "'" + dir + "' is a non-empty directory that is not an index; choose another --index");
    }
}

void clear_cut_short_creation(const std::string& dir) {
    std::error_code ec;
    if (is_database_directory(dir) || !fs::is_directory(dir, ec)) return;
    std::vector<fs::path> xapian_files;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
        if (is_xapian_file_name(entry.path().filename().string())) xapian_files.push_back(entry.path());
    }
    if (xapian_files.empty()) return;
    if (!fs::exists(fs::path(dir) / kCreatingName, ec)) {
        throw Error(ErrorKind::index, "'" + dir + "' holds a database without its version file (iamglass): it is "
                                          "damaged, and left as it is; move it away, or index into another --index");
    }
    for (const fs::path& file : xapian_files) fs::remove(file, ec);
}

} // namespace pundit

namespace pundit {

void mark_spelling_pending(const std::string& dir) {
    write_file_durably((std::filesystem::path(dir) / kSpellingPendingName).string(),
                       "an ingest has not added all its words to the spelling table yet\n");
}

bool spelling_pending(const std::string& dir) {
    std::error_code ec;
    return std::filesystem::exists(std::filesystem::path(dir) / kSpellingPendingName, ec);
}

void clear_spelling_pending(const std::string& dir) {
    std::error_code ec;
    if (!std::filesystem::remove(std::filesystem::path(dir) / kSpellingPendingName, ec)) return;
    sync_directory(dir);
}

} // namespace pundit
