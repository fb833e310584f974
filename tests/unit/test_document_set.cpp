#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include <xapian.h>

#include "pundit/document_set.hpp"
#include "temp_dir.hpp"

namespace {

// `shards` databases of `per_shard` documents each; document i of the whole
// (1-based, interleaved as Xapian numbers a sharded database) holds "even"
// or "odd", and "all". Returns the stub that lists them.
std::string make_shards(const test::TempDir& dir, int shards, int per_shard) {
    std::ofstream stub(dir / "XAPIANDB");
    for (int s = 0; s < shards; ++s) {
        const std::string name = "shard-" + std::to_string(s);
        Xapian::WritableDatabase db(dir / name, Xapian::DB_CREATE_OR_OVERWRITE);
        for (int local = 1; local <= per_shard; ++local) {
            const int whole = (local - 1) * shards + s + 1;
            Xapian::Document doc;
            doc.add_boolean_term(whole % 2 == 0 ? "even" : "odd");
            doc.add_boolean_term("all");
            db.add_document(doc);
        }
        db.commit();
        stub << "glass " << name << "\n";
    }
    return dir / "XAPIANDB";
}

std::vector<Xapian::docid> matches(const Xapian::Database& db, const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
    return std::vector<Xapian::docid>(mset.begin(), mset.end());
}

} // namespace

TEST_CASE("document set: matches exactly its documents, in one database or across shards") {
    for (int shards : {1, 3}) {
        CAPTURE(shards);
        test::TempDir dir;
        const Xapian::Database db(make_shards(dir, shards, 20));
        REQUIRE(db.get_doccount() == static_cast<Xapian::doccount>(shards * 20));
        const std::vector<Xapian::docid> wanted{1, 2, 5, 12, 13, 14, 31, 60};
        std::vector<Xapian::docid> in_range;
        for (Xapian::docid did : wanted) {
            if (did <= db.get_doccount()) in_range.push_back(did);
        }
        // Unsorted, with a repeat and an id past the last document.
        std::vector<Xapian::docid> given(wanted.rbegin(), wanted.rend());
        given.push_back(5);
        given.push_back(1000);
        CHECK(matches(db, pundit::DocumentSet::query(pundit::DocumentSet::of(db, given))) == in_range);
        // As a filter: the other side is tested on those documents only.
        std::vector<Xapian::docid> even;
        std::copy_if(in_range.begin(), in_range.end(), std::back_inserter(even), [](Xapian::docid d) { return d % 2 == 0; });
        const Xapian::Query filtered(Xapian::Query::OP_FILTER, Xapian::Query("even"),
                                     pundit::DocumentSet::query(pundit::DocumentSet::of(db, given)));
        CHECK(matches(db, filtered) == even);
        // It weighs nothing.
        Xapian::Enquire enquire(db);
        enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("all"),
                                        pundit::DocumentSet::query(pundit::DocumentSet::of(db, given))));
        const Xapian::MSet plain = enquire.get_mset(0, 100);
        enquire.set_query(Xapian::Query("all"));
        const double alone = enquire.get_mset(0, 1)[0].get_weight();
        for (auto it = plain.begin(); it != plain.end(); ++it) CHECK(it.get_weight() == doctest::Approx(alone));
        // No documents: no matches.
        CHECK(matches(db, pundit::DocumentSet::query(pundit::DocumentSet::of(db, {}))).empty());
    }
}

TEST_CASE("document set: none for shards it cannot tell apart") {
    test::TempDir dir;
    make_shards(dir, 2, 3);
    {
        std::ofstream stub(dir / "TWICE");
        stub << "glass shard-0\nglass shard-0\n";
    }
    CHECK(pundit::DocumentSet::of(Xapian::Database(dir / "TWICE"), {1, 2}) == nullptr);
    // An in-memory database has no uuid.
    Xapian::WritableDatabase memory(std::string(), Xapian::DB_BACKEND_INMEMORY);
    memory.add_document(Xapian::Document());
    CHECK(pundit::DocumentSet::of(memory, {1}) == nullptr);
}
