// xapian_replay: what Xapian alone costs to write the documents Pundit
// builds. It copies the documents of an index `indexer add` made (every term
// with its positions and wdf, every value, the stored data) into memory a
// batch at a time, and writes each batch into fresh databases the way a
// writer thread of `indexer add` does (add_document, a commit every BATCH
// documents, a new database every SEGMENT documents), timing only the
// writing: the CPU seconds of add_document and of commit. Nothing of Pundit
// runs in the timed part, so the figure is the floor under the indexer's
// CPU per article on this machine, whatever Pundit does around Xapian.
//
// Usage: xapian_replay SOURCE_DB WORK_DIR [LIMIT [BATCH [SEGMENT]]]
//   SOURCE_DB  one database of a Pundit index (a shard, or a compacted one)
//   WORK_DIR   where the copies are written (removed and re-created)
//   LIMIT      documents to copy (default 25000), BATCH (500), SEGMENT (25000)
// Prints one line: documents, CPU seconds adding, committing, and per document.
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <xapian.h>

namespace {

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// A document of the source, held in memory: the copy Xapian gets to write.
Xapian::Document copy_of(const Xapian::Document& source) {
    Xapian::Document copy;
    copy.set_data(source.get_data());
    for (auto term = source.termlist_begin(); term != source.termlist_end(); ++term) {
        // The positions add nothing to the wdf; the wdf is set as stored.
        for (auto pos = term.positionlist_begin(); pos != term.positionlist_end(); ++pos) {
            copy.add_posting(*term, *pos, 0);
        }
        copy.add_term(*term, term.get_wdf());
    }
    for (auto value = source.values_begin(); value != source.values_end(); ++value) {
        copy.add_value(value.get_valueno(), *value);
    }
    return copy;
}

std::size_t arg(int argc, char** argv, int i, std::size_t fallback) {
    return argc > i ? std::strtoull(argv[i], nullptr, 10) : fallback;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: xapian_replay SOURCE_DB WORK_DIR [LIMIT [BATCH [SEGMENT]]]\n";
        return 2;
    }
    const std::filesystem::path work = argv[2];
    const std::size_t limit = arg(argc, argv, 3, 25000);
    const std::size_t batch = std::max<std::size_t>(1, arg(argc, argv, 4, 500));
    const std::size_t segment = std::max<std::size_t>(1, arg(argc, argv, 5, 25000));
    try {
        Xapian::Database source(argv[1]);
        std::filesystem::remove_all(work);
        std::filesystem::create_directories(work);
        double adding = 0;
        double committing = 0;
        std::size_t written = 0;
        std::size_t number = 0;
        Xapian::WritableDatabase target;
        std::vector<Xapian::Document> held;
        auto write = [&] {
            double start = cpu_seconds();
            double inner = 0; // commits of a full database, within the loop
            for (const Xapian::Document& doc : held) {
                if (written % segment == 0) {
                    if (written > 0) {
                        double s = cpu_seconds();
                        target.commit();
                        inner += cpu_seconds() - s;
                    }
                    target = Xapian::WritableDatabase((work / ("db-" + std::to_string(number++))).string(),
                                                      Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
                }
                target.add_document(doc);
                ++written;
            }
            adding += cpu_seconds() - start - inner;
            start = cpu_seconds();
            target.commit();
            committing += inner + cpu_seconds() - start;
            held.clear();
        };
        for (auto id = source.postlist_begin(""); id != source.postlist_end("") && written + held.size() < limit; ++id) {
            held.push_back(copy_of(source.get_document(*id)));
            if (held.size() == batch) write();
        }
        if (!held.empty()) write();
        if (written == 0) {
            std::cerr << "xapian_replay: no document copied from '" << argv[1] << "'\n";
            return 1;
        }
        std::cout << "xapian_replay: " << written << " documents, " << adding << " CPU s adding, " << committing
                  << " CPU s committing, " << (adding + committing) / static_cast<double>(written) * 1e3
                  << " ms a document (batch " << batch << ", databases of " << segment << ")\n";
    } catch (const Xapian::Error& e) {
        std::cerr << "xapian_replay: " << e.get_description() << '\n';
        return 1;
    }
    return 0;
}
