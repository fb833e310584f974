// xapian_baseline: the reference point for the indexer benchmark. A plain
// single-writer Xapian indexer with none of Pundit's work (no ICU
// normalisation, no entity tagging, no content hashes): it reads the same JSON
// Lines, indexes title and body with a stock TermGenerator and the English
// stemmer, stores the same fields as document data, keys each article by a
// boolean Q<id> term with replace_document, and commits once per
// kCommitEvery documents. The date goes into value slot kDateSlot as YYYYMMDD
// so the query benchmark can filter by date on the baseline index too.
//
// Usage: xapian_baseline INDEX_DIR FILE.jsonl
// Prints "xapian_baseline: N documents (M skipped) in S s" on stdout.
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>
#include <xapian.h>

namespace {

constexpr Xapian::doccount kCommitEvery = 10000;
constexpr Xapian::valueno kDateSlot = 0;
// Positions between the title and the body, so phrases do not span them.
constexpr Xapian::termpos kFieldGap = 100;
const char* const kStoredFields[] = {"id", "title", "body", "date", "author", "source"};

std::string field(const nlohmann::json& record, const char* name) {
    auto it = record.find(name);
    return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The "id" as indexer add reads it: a string as it is, an integer in its
// decimal digits (corpora of one's own may number their articles).
std::string id_of(const nlohmann::json& record) {
    auto it = record.find("id");
    if (it == record.end()) return {};
    if (it->is_number_unsigned()) return std::to_string(it->get<std::uint64_t>());
    if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
    return it->is_string() ? it->get<std::string>() : std::string();
}

// "1987-02-26" or "1987-02-26T15:01:01" -> "19870226"; anything else -> "".
std::string compact_date(const std::string& date) {
    if (date.size() < 10 || date[4] != '-' || date[7] != '-') return {};
    return date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: xapian_baseline INDEX_DIR FILE.jsonl\n";
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    try {
        std::ifstream in(argv[2]);
        if (!in) {
            std::cerr << "xapian_baseline: error: cannot read " << argv[2] << '\n';
            return 2;
        }
        Xapian::WritableDatabase db(argv[1], Xapian::DB_CREATE_OR_OVERWRITE);
        Xapian::TermGenerator termgen;
        termgen.set_stemmer(Xapian::Stem("en"));
        termgen.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);

        Xapian::doccount added = 0, skipped = 0, pending = 0;
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
            const std::string id = record.is_object() ? id_of(record) : std::string();
            if (id.empty()) {
                ++skipped;
                continue;
            }
            Xapian::Document doc;
            termgen.set_document(doc);
            termgen.index_text(field(record, "title"));
            termgen.increase_termpos(kFieldGap);
            termgen.index_text(field(record, "body"));

            nlohmann::json data = nlohmann::json::object();
            for (const char* name : kStoredFields) data[name] = field(record, name);
            data["id"] = id;
            // Like every JSON the project writes: bytes that are not UTF-8
            // become U+FFFD instead of throwing type_error.316.
            doc.set_data(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
            const std::string id_term = "Q" + id;
            doc.add_boolean_term(id_term);
            const std::string date = compact_date(field(record, "date"));
            if (!date.empty()) doc.add_value(kDateSlot, date);
            db.replace_document(id_term, doc);
            ++added;
            if (++pending == kCommitEvery) {
                db.commit();
                pending = 0;
            }
        }
        db.commit();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::cout << "xapian_baseline: " << added << " documents (" << skipped << " skipped) in " << seconds
                  << " s\n";
    } catch (const Xapian::Error& e) {
        std::cerr << "xapian_baseline: error: " << e.get_description() << '\n';
        return 2;
    }
    return 0;
}
