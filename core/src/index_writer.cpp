#include "pundit/index_writer.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "pundit/clock.hpp"
#include "pundit/durable_file.hpp"
#include "pundit/error.hpp"
#include "pundit/index.hpp"
#include "pundit/index_layout.hpp"
#include "pundit/index_lock.hpp"
#include "pundit/schema.hpp"

namespace pundit {
namespace {

std::string id_term(const std::string& id) { return std::string(schema::kIdPrefix) + id; }

// Why a write failed, saying plainly when the disk (or the user's quota) is
// full: Xapian reports it only as an errno text inside a DatabaseError.
std::string write_failure(const Xapian::Error& e) {
    // The errno text may be the error's own or nested in its message
    // ("Modifications failed (... No space left on device) ...").
    const std::string description = e.get_description();
    for (int code : {ENOSPC, EDQUOT}) {
        const char* reason = e.get_error_string();
        if ((reason && std::strcmp(reason, std::strerror(code)) == 0) ||
            description.find(std::strerror(code)) != std::string::npos) {
            return "the disk is full (" + description + ")";
        }
    }
    return description;
}

// A write that fails loses only what was not yet committed; every such
// message ends by saying so.
Error write_error(const std::string& what) {
    return Error(ErrorKind::index, what + "; the index keeps the articles of its last commit");
}

} // namespace

IndexWriter::IndexWriter(const std::string& path, OnLocked on_locked, IfMissing if_missing)
    : m_path(path), m_added_value(added_time_value(now_seconds())) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (if_missing == IfMissing::fail && !is_database_directory(path)) {
        throw Error(ErrorKind::index, fs::exists(path, ec) ? "'" + path + "' is not a Xapian database"
                                                           : "'" + path + "' is missing");
    }
    refuse_foreign_directory(path);
    const bool creating = !is_database_directory(path);
    if (creating) {
        clear_cut_short_creation(path);
        fs::create_directories(path, ec);
        if (ec) {
            if (ec == std::errc::permission_denied || ec == std::errc::read_only_file_system) {
                throw Error(ErrorKind::index, not_writable_message(path, ec.value()));
            }
            throw Error(ErrorKind::index, "cannot create the index directory '" + path + "': " + ec.message());
        }
        // Durable before Xapian writes anything: a kill from here on leaves
        // the marker beside whatever Xapian had written.
        try {
            write_file_durably((fs::path(path) / kCreatingName).string(), "a database is being created here\n");
        } catch (const Error&) {
            if (::access(path.c_str(), W_OK) != 0) throw Error(ErrorKind::index, not_writable_message(path, errno));
            throw;
        }
    }
    // Xapian 1.4 can block on the lock itself (DB_RETRY_LOCK). Always as a
    // glass database: never as a stub, which could name a program to run.
    const int flags = (if_missing == IfMissing::create ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN) |
                      Xapian::DB_BACKEND_GLASS | (on_locked == OnLocked::wait ? Xapian::DB_RETRY_LOCK : 0);
    try {
        m_db = Xapian::WritableDatabase(path, flags);
        if (m_db.get_metadata(std::string(schema::kVersionKey)).empty() && m_db.get_doccount() == 0) {
            m_db.set_metadata(std::string(schema::kVersionKey), std::to_string(schema::kVersion));
            m_db.commit();
        }
    } catch (const Xapian::DatabaseLockError&) {
        // Xapian reports a lock file it may not create as a lock it cannot get.
        if (::access(path.c_str(), W_OK) != 0) throw Error(ErrorKind::index, not_writable_message(path, errno));
        throw Error(ErrorKind::index, "the index at '" + path +
                                          "' is locked by another indexer (use --wait to wait for it)");
    } catch (const Xapian::Error& e) {
        if (::access(path.c_str(), W_OK) != 0) throw Error(ErrorKind::index, not_writable_message(path, errno));
        throw Error(ErrorKind::index, "cannot open the index at '" + path + "' for writing: " +
                                          write_failure(e));
    }
    check_schema_version(m_db, path);
    if (creating) {
        fs::remove(fs::path(path) / kCreatingName, ec);
        sync_directory(path);
    }
}

void IndexWriter::set_gazetteer_version(const std::string& version) {
    if (version == m_gazetteer_version) return;
    m_gazetteer_version = version;
    m_metadata_dirty = true;
}

void IndexWriter::set_added_time(std::int64_t seconds) { m_added_value = added_time_value(seconds); }

std::optional<Xapian::Document> IndexWriter::stored_document(const std::string& id) const {
    try {
        Xapian::PostingIterator it = m_db.postlist_begin(id_term(id));
        if (it == m_db.postlist_end(id_term(id))) return std::nullopt;
        return m_db.get_document(*it, Xapian::DOC_ASSUME_VALID);
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::index, "cannot read '" + m_path + "': " + e.get_description());
    }
}

std::optional<std::string> IndexWriter::stored_hash(const std::string& id) const {
    std::optional<Xapian::Document> doc = stored_document(id);
    if (!doc) return std::nullopt;
    try {
        return doc->get_value(schema::kHashSlot);
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::index, "cannot read '" + m_path + "': " + e.get_description());
    }
}

PutOutcome IndexWriter::put(const BuiltDocument& built) {
    std::optional<Xapian::Document> old = stored_document(built.id);
    std::string added = m_added_value;
    try {
        if (old) {
            if (old->get_value(schema::kHashSlot) == built.hash) {
                note_unchanged();
                return PutOutcome::unchanged;
            }
            if (std::string kept = old->get_value(schema::kAddedSlot); !kept.empty()) added = std::move(kept);
        }
        // A copy of the handle: the caller's document gets the slot too,
        // which is harmless (it is written once).
        Xapian::Document doc = built.document;
        doc.add_value(schema::kAddedSlot, added);
        m_db.replace_document(id_term(built.id), doc);
    } catch (const Xapian::Error& e) {
        throw write_error("cannot write article '" + built.id + "' to '" + m_path + "': " + write_failure(e));
    }
    ++m_pending;
    ++m_current;
    return old ? PutOutcome::replaced : PutOutcome::added;
}

PutOutcome IndexWriter::add_new(const BuiltDocument& built) {
    try {
        Xapian::Document doc = built.document;
        doc.add_value(schema::kAddedSlot, m_added_value);
        m_db.add_document(doc);
    } catch (const Xapian::Error& e) {
        throw write_error("cannot write article '" + built.id + "' to '" + m_path + "': " + write_failure(e));
    }
    ++m_pending;
    ++m_current;
    return PutOutcome::added;
}

bool IndexWriter::remove(const std::string& id) {
    try {
        if (!m_db.term_exists(id_term(id))) return false;
        m_db.delete_document(id_term(id));
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::index, "cannot delete article '" + id + "' from '" + m_path +
                                          "': " + e.get_description());
    }
    ++m_pending;
    return true;
}

void IndexWriter::commit() {
    try {
        if (!m_gazetteer_version.empty() && (m_metadata_dirty || m_pending > 0)) {
            const std::string key(schema::kGazetteerVersionKey);
            std::string versions = m_db.get_metadata(key);
            if (m_current >= m_db.get_doccount() || versions.empty()) {
                versions = m_gazetteer_version;
            } else if ((" " + versions + " ").find(" " + m_gazetteer_version + " ") == std::string::npos) {
                versions += " " + m_gazetteer_version;
            }
            m_db.set_metadata(key, versions);
            m_metadata_dirty = false;
        }
        check_free_space();
        m_db.commit();
    } catch (const Xapian::Error& e) {
        discard_pending();
        throw write_error("cannot commit to '" + m_path + "': " + write_failure(e));
    } catch (const Error&) {
        discard_pending();
        throw;
    }
    m_pending = 0;
}

void IndexWriter::discard_pending() noexcept {
    // Xapian 1.4 drops uncommitted changes only by cancelling a transaction;
    // one begun unflushed takes them in.
    try {
        m_db.begin_transaction(false);
        m_db.cancel_transaction();
    } catch (const Xapian::Error&) {
        // Nothing more can be done; the database reports its own state on reopening.
    }
    m_pending = 0;
}

void IndexWriter::add_spelling(const SpellingWords& words) {
    try {
        add_spelling_words(m_db, words);
    } catch (const Xapian::Error& e) {
        throw write_error("cannot write spelling data to '" + m_path + "': " + write_failure(e));
    }
}

void IndexWriter::add_index_spelling(const std::vector<const IndexWriter*>& shards) {
    std::vector<const Xapian::Database*> databases;
    for (const IndexWriter* shard : shards) databases.push_back(&shard->m_db);
    try {
        add_index_words(m_db, databases);
    } catch (const Xapian::Error& e) {
        throw write_error("cannot write spelling data to '" + m_path + "': " + write_failure(e));
    }
}

void IndexWriter::seed_spelling(const Gazetteer& gazetteer) {
    const std::string key(schema::kSpellingGazetteerKey);
    try {
        if (m_db.get_metadata(key) == gazetteer.version()) return;
        add_spelling_words(m_db, gazetteer_spelling_words(gazetteer));
        m_db.set_metadata(key, gazetteer.version());
    } catch (const Xapian::Error& e) {
        throw write_error("cannot write spelling data to '" + m_path + "': " + write_failure(e));
    }
}

void IndexWriter::clear_spelling() {
    try {
        std::vector<std::pair<std::string, Xapian::termcount>> words;
        for (auto it = m_db.spellings_begin(); it != m_db.spellings_end(); ++it) words.emplace_back(*it, it.get_termfreq());
        for (const auto& [word, frequency] : words) m_db.remove_spelling(word, frequency);
        m_db.set_metadata(std::string(schema::kSpellingGazetteerKey), "");
    } catch (const Xapian::Error& e) {
        throw write_error("cannot write spelling data to '" + m_path + "': " + write_failure(e));
    }
    ++m_pending;
}

void IndexWriter::check_free_space() const {
    struct statvfs fs {};
    if (::statvfs(m_path.c_str(), &fs) != 0) return; // no answer: let the write tell
    const std::uint64_t block = fs.f_frsize ? fs.f_frsize : fs.f_bsize;
    const std::uint64_t free = static_cast<std::uint64_t>(fs.f_bavail) * block;
    const std::uint64_t size = static_cast<std::uint64_t>(fs.f_blocks) * block;
    const std::uint64_t reserve =
        std::min<std::uint64_t>(kMinFreeBytes, std::max<std::uint64_t>(size / kMinFreeFraction, kMinFreeFloorBytes));
    if (free < reserve) {
        throw write_error("cannot commit to '" + m_path + "': the disk is full (" + std::to_string(free / 1024) +
                          " KiB free, " + std::to_string(reserve / 1024) + " KiB kept in reserve: " +
                          std::strerror(ENOSPC) + ")");
    }
}

std::string IndexWriter::metadata(const std::string& key) const {
    try {
        return m_db.get_metadata(key);
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::index, "cannot read '" + m_path + "': " + e.get_description());
    }
}

void IndexWriter::set_metadata(const std::string& key, const std::string& value) {
    try {
        m_db.set_metadata(key, value);
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::index, "cannot write to '" + m_path + "': " + write_failure(e));
    }
    ++m_pending;
}

Xapian::doccount IndexWriter::document_count() const { return m_db.get_doccount(); }

} // namespace pundit
