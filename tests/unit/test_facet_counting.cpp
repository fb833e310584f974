#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "pundit/date_range_set.hpp"
#include "pundit/document_builder.hpp"
#include "pundit/facet_cache.hpp"
#include "pundit/facet_counting.hpp"
#include "pundit/index_set.hpp"
#include "pundit/schema.hpp"
#include "pundit/searcher.hpp"
#include "corpus_fixture.hpp"
#include "gazetteer_fixture.hpp"
#include "search_fixture.hpp"
#include "temp_dir.hpp"

namespace {

using Fixture = test::SmallIndex;
using test::all_hits;
using test::corpus;

// Every facet of a search, as comparable text.
std::string render_facets(const pundit::SearchResults& r) {
    std::string out = "total " + std::to_string(r.total) + (r.total_exact ? " exact" : " estimated") + "\n";
    for (const auto& facet : r.facets) {
        out += facet.name + " (" + std::to_string(facet.distinct) + "):";
        for (const auto& v : facet.values) out += " " + v.value + "=" + std::to_string(v.count);
        out += "\n";
    }
    return out;
}

std::string all_facets(pundit::Searcher& s, const std::string& query, std::vector<std::string> leaders = {}) {
    pundit::QuerySpec spec;
    spec.query = query;
    spec.leaders = std::move(leaders);
    spec.facets = {"leader", "country", "org", "year", "author", "source"};
    spec.facet_limit = 0;
    spec.limit = 3;
    return render_facets(s.search(spec));
}

// Name counts as text, by name: "a=2 b=1 (with a value: 3)".
std::string render(const pundit::NameCounts& counts) {
    std::map<std::string, Xapian::doccount> by_name;
    for (const auto& [name, n] : counts.names) by_name[std::string(name)] += n;
    std::string out;
    for (const auto& [name, n] : by_name) out += (name.empty() ? "<empty>" : name) + "=" + std::to_string(n) + " ";
    return out + "(with a value: " + std::to_string(counts.with_value) + ")";
}

} // namespace

TEST_CASE("split_value_counts gives each combination's count to every name in it") {
    const std::string sep(1, pundit::schema::kFacetSeparator);
    struct Row {
        std::vector<std::string> values; // one document each ("" for none)
        std::string expected;
    };
    const Row rows[] = {
        {{}, "(with a value: 0)"},
        {{"", ""}, "(with a value: 0)"},
        {{"Putin"}, "Putin=1 (with a value: 1)"},
        {{"Putin" + sep + "Xi", "Xi", "", "Putin"}, "Putin=2 Xi=2 (with a value: 3)"},
        {{"A" + sep + "B" + sep + "C", "A" + sep + "B" + sep + "C", "C"}, "A=2 B=2 C=3 (with a value: 3)"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.expected);
        Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
        for (const std::string& value : row.values) {
            Xapian::Document doc;
            doc.add_boolean_term("Tall");
            if (!value.empty()) doc.add_value(pundit::schema::kAuthorSlot, value);
            db.add_document(doc);
        }
        Xapian::Enquire enquire(db);
        enquire.set_query(Xapian::Query("Tall"));
        Xapian::ValueCountMatchSpy spy(pundit::schema::kAuthorSlot);
        enquire.add_matchspy(&spy);
        enquire.get_mset(0, 0, db.get_doccount());
        std::vector<std::string> values;
        CHECK(render(pundit::split_value_counts(spy, values)) == row.expected);
    }
}

TEST_CASE("ShardFacetCount counts each shard through the cache as split_value_counts counts the stock spy") {
    auto states = pundit::local_shard_states(corpus().path);
    REQUIRE(states);
    auto cache = pundit::FacetCache::open(corpus().path, *states);
    REQUIRE(cache != nullptr);
    auto shards = pundit::open_local_shards(corpus().path);
    REQUIRE(shards);
    REQUIRE(shards->databases.size() == 2);
    Xapian::Database all;
    for (const auto& shard : shards->databases) all.add_database(shard);
    const std::vector<Xapian::valueno> slots = {pundit::schema::kEntitySlots[0], pundit::schema::kSourceSlot,
                                                pundit::schema::kYearSlot};
    // Every article, and those of a term that some articles hold.
    std::vector<Xapian::Query> queries = {Xapian::Query::MatchAll};
    for (auto it = all.allterms_begin(); it != all.allterms_end(); ++it) {
        if (it.get_termfreq() >= 3 && it.get_termfreq() < all.get_doccount() / 2) {
            queries.emplace_back(*it);
            break;
        }
    }
    REQUIRE(queries.size() == 2);
    for (const Xapian::Query& query : queries) {
        CAPTURE(query.get_description());
        pundit::ShardFacetCount counting(*cache, slots, shards->databases, query, 0, false);
        const std::unique_ptr<pundit::CachedFacetSpy> merged = counting.merged();
        Xapian::Enquire enquire(all);
        enquire.set_query(query);
        std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
        for (Xapian::valueno slot : slots) {
            spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(pundit::schema::facet_value_slot(slot)));
            enquire.add_matchspy(spies.back().get());
        }
        const Xapian::MSet mset = enquire.get_mset(0, 0, all.get_doccount());
        CHECK(merged->matched() == mset.get_matches_estimated());
        CHECK(merged->matched() > 0);
        for (std::size_t f = 0; f < slots.size(); ++f) {
            CAPTURE(f);
            std::vector<std::string> values;
            CHECK(render(merged->counts(f)) ==
                  render(pundit::split_value_counts(*spies[f], values, pundit::schema::facet_value_bytes(slots[f]))));
        }
    }
}

TEST_CASE("facets: the facet cache counts what the stock match spies count, and a stale cache is not used") {
    // The ingest wrote an up-to-date cache.
    auto states = pundit::local_shard_states(corpus().path);
    REQUIRE(states);
    REQUIRE(states->size() == 2);
    REQUIRE(pundit::FacetCache::open(corpus().path, *states) != nullptr);

    // A copy without it counts with ValueCountMatchSpy.
    test::TempDir dir;
    const std::string copy = dir / "copy";
    std::filesystem::copy(corpus().path, copy, std::filesystem::copy_options::recursive);
    std::filesystem::remove(pundit::facet_cache_path(copy));
    pundit::Searcher cached(corpus().path, [] { return test::gazetteer(); });
    pundit::Searcher stock(copy, [] { return test::gazetteer(); });
    const std::vector<std::pair<std::string, std::vector<std::string>>> searches = {
        {"", {}}, {"president", {}}, {"putin OR xi", {}}, {"sanctions", {}}, {"", {"putin"}}, {"war", {"trump"}}};
    for (const auto& [query, leaders] : searches) {
        CAPTURE(query);
        CHECK(all_facets(cached, query, leaders) == all_facets(stock, query, leaders));
    }

    // A cache written, then an article added without refreshing it: the
    // cache no longer matches the shards, and the new article is counted.
    pundit::write_facet_cache(copy);
    const std::string before = all_facets(stock, "");
    {
        pundit::IndexSet index(copy, 2);
        pundit::DocumentBuilder builder(test::gazetteer());
        pundit::Article a;
        a.id = "late-arrival";
        a.title = "Putin and Xi meet again";
        a.body = "Vladimir Putin and Xi Jinping met in Beijing.";
        a.date = "2031-05-01";
        index.shard(index.shard_of(a.id)).put(builder.build(a));
        index.commit();
    }
    auto now = pundit::local_shard_states(copy);
    REQUIRE(now);
    CHECK(pundit::FacetCache::open(copy, *now) == nullptr);
    const std::string after = all_facets(stock, "");
    CHECK(after != before);
    CHECK(after.find("2031=1") != std::string::npos);
    pundit::refresh_facet_cache(copy, std::cerr);
    CHECK(pundit::FacetCache::open(copy, *now) != nullptr);
    CHECK(all_facets(stock, "") == after);
}

TEST_CASE("facets: cache ids are one, two or four bytes wide, and every width counts like the stock spies") {
    // The accessor over each width, little-endian, with a docid past the end.
    const unsigned char bytes[] = {7, 0, 0, 0, 0x34, 0x12, 0, 0, 0x78, 0x56, 0x34, 0x12};
    pundit::FacetCache::Slot slot;
    slot.ids = bytes;
    slot.id_count = 3;
    slot.id_width = 1;
    CHECK(slot.id(0) == 7);
    CHECK(slot.id(3) == 0);
    slot.id_width = 2;
    CHECK(slot.id(2) == 0x1234);
    slot.id_width = 4;
    CHECK(slot.id(0) == 7);
    CHECK(slot.id(2) == 0x12345678);

    // 300 authors: two-byte ids in the cache, one-byte years beside them.
    test::TempDir dir;
    const std::string path = dir / "authors";
    {
        pundit::IndexSet index(path, 2);
        pundit::DocumentBuilder builder;
        for (int i = 0; i < 600; ++i) {
            pundit::Article a;
            a.id = "a" + std::to_string(i);
            a.title = i % 3 ? "Sanctions" : "Markets";
            a.body = "Words about sanctions and markets.";
            a.author = "Author " + std::to_string(i % 300);
            a.date = std::to_string(2000 + i % 20) + "-01-01";
            index.shard(index.shard_of(a.id)).put(builder.build(a));
        }
        index.commit();
    }
    pundit::write_facet_cache(path);
    auto states = pundit::local_shard_states(path);
    REQUIRE(states);
    auto cache = pundit::FacetCache::open(path, *states);
    REQUIRE(cache != nullptr);
    CHECK(cache->slot(pundit::schema::kAuthorSlot)->id_width == 2);
    CHECK(cache->slot(pundit::schema::kYearSlot)->id_width == 1);
    const std::string copy = dir / "copy";
    std::filesystem::copy(path, copy, std::filesystem::copy_options::recursive);
    std::filesystem::remove(pundit::facet_cache_path(copy));
    pundit::Searcher cached(path), stock(copy);
    for (const std::string query : {"", "sanctions", "title:markets"}) {
        CAPTURE(query);
        pundit::QuerySpec spec;
        spec.query = query;
        spec.facets = {"author", "year"};
        spec.facet_limit = 0;
        const std::string counted = render_facets(cached.search(spec));
        CHECK(counted == render_facets(stock.search(spec)));
        CHECK(counted.find("Author 297=") != std::string::npos); // id past 255
    }
}

TEST_CASE("facets: an index by year keeps its facet cache right as ingests add year shards") {
    test::TempDir dir;
    const std::string path = dir / "years";
    pundit::IngestOptions options;
    options.gazetteer = test::gazetteer();
    auto add = [&](const std::string& jsonl) {
        pundit::IndexSet index(path, pundit::ShardingRequest{pundit::ShardBy::year, std::nullopt});
        std::istringstream in(jsonl);
        std::ostringstream diagnostics;
        pundit::ingest(index, {"-"}, options, in, diagnostics);
        CHECK(diagnostics.str() == "");
    };
    add("{\"id\":\"a\",\"title\":\"Putin in Beijing\",\"body\":\"Vladimir Putin met Xi Jinping.\",\"date\":\"2019-05-01\"}\n");
    pundit::Searcher searcher(path, [] { return test::gazetteer(); });
    const std::string before = all_facets(searcher, "");
    CHECK(before.find("2019=1") != std::string::npos);
    // A new year, and an article moved to it: two shards change, one is added.
    add("{\"id\":\"a\",\"title\":\"Putin in Beijing\",\"body\":\"Vladimir Putin met Xi Jinping.\",\"date\":\"2024-05-01\"}\n"
        "{\"id\":\"b\",\"title\":\"Merkel in Paris\",\"body\":\"Angela Merkel met Emmanuel Macron.\",\"date\":\"2024-06-01\"}\n");
    auto states = pundit::local_shard_states(path);
    REQUIRE(states);
    CHECK(states->size() == 3); // year-2019, year-2024, undated
    REQUIRE(pundit::FacetCache::open(path, *states) != nullptr);
    const std::string cached = all_facets(searcher, "");
    CHECK(cached.find("2024=2") != std::string::npos);
    CHECK(cached.find("2019=") == std::string::npos);
    // The stock match spies, without the cache, count the same.
    std::filesystem::remove(pundit::facet_cache_path(path));
    pundit::Searcher stock(path, [] { return test::gazetteer(); });
    CHECK(all_facets(stock, "") == cached);
    CHECK(all_facets(stock, "putin") == all_facets(searcher, "putin"));
}

TEST_CASE("facets: counts over the whole match set equal a count of the stored tags") {
    pundit::Searcher s(corpus().path, [] { return test::gazetteer(); });
    for (const char* query : {"", "president", "putin OR xi", "sanctions", "leader:putin"}) {
        CAPTURE(query);
        pundit::QuerySpec spec;
        spec.query = query;
        spec.facets = {"leader", "country", "org", "year", "author", "source"};
        spec.facet_limit = 0;
        spec.limit = 1; // a page much smaller than the match set
        pundit::SearchResults faceted = s.search(spec);
        REQUIRE(faceted.facets.size() == 6);

        // Brute force: every matching article's stored tags.
        std::map<std::string, std::map<std::string, Xapian::doccount>> expected;
        pundit::QuerySpec plain;
        plain.query = query;
        pundit::SearchResults every = all_hits(s, plain);
        CHECK(every.hits.size() == faceted.total);
        for (const auto& hit : every.hits) {
            for (const auto& tag : hit.article.entities) ++expected[pundit::entity_kind_name(tag.kind)][tag.name];
            if (!hit.article.date.empty()) ++expected["year"][hit.article.date.substr(0, 4)];
            if (!hit.article.author.empty()) ++expected["author"][hit.article.author];
            if (!hit.article.source.empty()) ++expected["source"][hit.article.source];
        }
        for (const auto& facet : faceted.facets) {
            CAPTURE(facet.name);
            std::map<std::string, Xapian::doccount> got;
            for (const auto& v : facet.values) got[v.value] = v.count;
            CHECK(got == expected[facet.name]);
            CHECK(facet.distinct == expected[facet.name].size());
            for (std::size_t i = 1; i < facet.values.size(); ++i) CHECK(facet.values[i - 1].count >= facet.values[i].count);
        }
    }
}

TEST_CASE("facets: under a filter of their own kind, entity facets list the entities discussed together with it") {
    pundit::Searcher s(corpus().path, [] { return test::gazetteer(); });
    pundit::QuerySpec spec;
    spec.leaders = {"putin"};
    spec.countries = {"Russian Federation", "russia"}; // one country, named twice
    spec.facets = {"leader", "country", "org"};
    spec.facet_limit = 0;
    spec.limit = 1000;
    pundit::SearchResults r = s.search(spec);
    REQUIRE(r.facets.size() == 3);
    CHECK(r.facets[0].together_with == std::vector<std::string>{"Vladimir Putin"});
    CHECK(r.facets[1].together_with == std::vector<std::string>{"Russia"});
    CHECK(r.facets[2].together_with.empty());
    std::map<std::string, std::map<std::string, Xapian::doccount>> expected;
    for (const auto& hit : r.hits) {
        for (const auto& tag : hit.article.entities) ++expected[pundit::entity_kind_name(tag.kind)][tag.name];
    }
    REQUIRE(expected["leader"]["Vladimir Putin"] == r.total); // every match discusses him ...
    expected["leader"].erase("Vladimir Putin");                // ... so he is not listed
    expected["country"].erase("Russia");
    for (const auto& facet : r.facets) {
        CAPTURE(facet.name);
        std::map<std::string, Xapian::doccount> got;
        for (const auto& v : facet.values) got[v.value] = v.count;
        CHECK(got == expected[facet.name]);
        CHECK(facet.distinct == expected[facet.name].size());
    }
}

TEST_CASE("facets: matches without a value are counted apart, and the counts add up to the total") {
    Fixture f;
    pundit::Searcher stock(f.path);
    pundit::Searcher cached(corpus().path, [] { return test::gazetteer(); });
    for (pundit::Searcher* s : {&stock, &cached}) {
        for (const char* query : {"", "putin", "putin OR sanctions"}) {
            CAPTURE(query);
            pundit::QuerySpec spec;
            spec.query = query;
            spec.facets = {"year", "author", "source"};
            spec.facet_limit = 0;
            const pundit::SearchResults r = s->search(spec);
            REQUIRE(r.facets.size() == 3);
            for (const pundit::Facet& facet : r.facets) {
                CAPTURE(facet.name);
                Xapian::doccount sum = facet.missing;
                for (const pundit::FacetValue& v : facet.values) sum += v.count;
                CHECK(sum == r.total);
            }
        }
    }
    pundit::QuerySpec all;
    all.facets = {"year", "author"};
    const pundit::SearchResults r = stock.search(all);
    CHECK(r.facets[0].missing == 1); // "undated"
    CHECK(r.facets[1].missing == 3); // "undated", "russian", "chinese"
}

namespace {

pundit::Article dated_article(const std::string& id, const std::string& date, const std::string& body) {
    pundit::Article a;
    a.id = id;
    a.title = "Budget " + id;
    a.body = body;
    a.date = date;
    return a;
}

std::vector<std::string> hit_ids(const pundit::SearchResults& r) {
    std::vector<std::string> ids;
    for (const pundit::Hit& hit : r.hits) ids.push_back(hit.article.id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

} // namespace

TEST_CASE("facets: a date range read from the facet cache matches what the date slot matches") {
    for (std::size_t shards : {std::size_t{1}, std::size_t{3}}) {
        CAPTURE(shards);
        test::TempDir dir;
        const std::string path = dir / "idx";
        {
            pundit::IndexSet index(path, shards);
            pundit::DocumentBuilder builder;
            // 2019-2021, one article on each of some 400 days; every 37th undated.
            for (int i = 0; i < 420; ++i) {
                const std::string date = i % 37 == 5 ? std::string()
                                                     : std::to_string(2019 + i % 3) + "-" + two_digits(1 + i % 12) + "-" +
                                                           two_digits(1 + i % 28);
                const std::string body = i % 2 ? "The budget was debated." : "Rain fell on the capital.";
                const pundit::Article a = dated_article("d" + std::to_string(i), date, body);
                index.shard(index.shard_of(a.id)).put(builder.build(a));
            }
            index.commit();
        }
        pundit::write_facet_cache(path);
        const std::string copy = dir / "copy";
        std::filesystem::copy(path, copy, std::filesystem::copy_options::recursive);
        std::filesystem::remove(pundit::facet_cache_path(copy));
        pundit::Searcher cached(path), stock(copy);
        struct Range {
            std::optional<std::string> since, until;
        };
        const Range ranges[] = {{"2020-02-01", "2020-02-29"}, {"2021-06-15", std::nullopt}, {std::nullopt, "2019-03-31"},
                                {"2019-05-09", "2019-05-09"}, {"2022-01-01", std::nullopt},  {"2019", "2019"},
                                {"2020-01", "2021-03"}};
        for (const Range& range : ranges) {
            for (const std::string query : {"", "budget", "budget OR rain", "NOT rain"}) {
                CAPTURE(range.since.value_or("-"));
                CAPTURE(range.until.value_or("-"));
                CAPTURE(query);
                pundit::QuerySpec spec;
                spec.query = query;
                spec.since = range.since;
                spec.until = range.until;
                spec.limit = 1000;
                spec.facets = {"year"};
                const pundit::SearchResults a = cached.search(spec);
                const pundit::SearchResults b = stock.search(spec);
                CHECK(hit_ids(a) == hit_ids(b));
                CHECK(a.total == b.total);
                CHECK(a.total_exact);
                CHECK(render_facets(a) == render_facets(b));
                spec.facets.clear();
                spec.limit = 5;
                CHECK(cached.search(spec).total == a.total);
            }
        }
    }
}

TEST_CASE("facets: a date range set matches its shard's dated articles and gives their number exactly") {
    for (std::size_t shards : {std::size_t{1}, std::size_t{3}}) {
        CAPTURE(shards);
        test::TempDir dir;
        const std::string path = dir / "idx";
        {
            pundit::IndexSet index(path, shards);
            pundit::DocumentBuilder builder;
            for (int i = 0; i < 90; ++i) {
                const pundit::Article a = dated_article("d" + std::to_string(i),
                                                        i % 10 == 9 ? std::string() : "2020-0" + std::to_string(1 + i % 9) + "-15",
                                                        "Item " + std::to_string(i) + ".");
                index.shard(index.shard_of(a.id)).put(builder.build(a));
            }
            index.commit();
        }
        pundit::write_facet_cache(path);
        const auto states = pundit::local_shard_states(path);
        REQUIRE(states);
        const auto cache = pundit::FacetCache::open(path, *states);
        REQUIRE(cache != nullptr);
        const pundit::FacetCache::Slot* dates = cache->slot(pundit::schema::kDateSlot);
        REQUIRE(dates != nullptr);
        const Xapian::Database db(path);
        // March to May: 3 of the 9 months, 10 articles each, less the 3 of
        // them left undated (d29, d39, d49).
        Xapian::Enquire enquire(db);
        enquire.set_query(Xapian::Query((new pundit::DateRangeSet(*dates, "20200301", "20200531", *states))->release()));
        const Xapian::MSet all = enquire.get_mset(0, 100);
        CHECK(all.size() == 27);
        // Counted, not estimated: the bounds meet before a match is read.
        const Xapian::MSet none = enquire.get_mset(0, 0, Xapian::doccount{0});
        CHECK(none.get_matches_lower_bound() == 27);
        CHECK(none.get_matches_upper_bound() == 27);
        std::set<std::string> months;
        for (auto it = all.begin(); it != all.end(); ++it) {
            months.insert(it.get_document().get_value(pundit::schema::kDateSlot).substr(0, 6));
        }
        CHECK(months == std::set<std::string>{"202003", "202004", "202005"});
    }
}

TEST_CASE("facets: a search whose date range is read from a newer facet cache answers as of one commit") {
    // The search pauses with its database reopened at a commit; meanwhile
    // another commit replaces articles dated in the range by others and the
    // facet cache is rewritten. Its dates then number documents as the newer
    // commit does: the search must not apply them to the database it
    // reopened before.
    test::TempDir dir;
    const std::string path = dir / "idx";
    auto change = [&](const std::vector<std::string>& removed, const std::string& added, int count) {
        {
            pundit::IndexSet index(path, 2);
            pundit::DocumentBuilder builder;
            for (const std::string& id : removed) index.remove(id);
            for (int i = 0; i < count; ++i) {
                const pundit::Article a =
                    dated_article(added + std::to_string(i), "2020-03-" + two_digits(1 + i % 28),
                                  "The budget was debated, " + added + " item " + std::to_string(i) + ".");
                index.shard(index.shard_of(a.id)).put(builder.build(a));
            }
            index.commit();
        }
        pundit::write_facet_cache(path);
    };
    change({}, "a", 40);
    pundit::Searcher s(path);
    pundit::QuerySpec spec;
    spec.query = "budget";
    spec.since = "2020-03-01";
    spec.until = "2020-03-31";
    spec.limit = 100;
    REQUIRE(hit_ids(s.search(spec)).size() == 40);
    // A commit the next search reopens its database at, before it pauses.
    change({"a10"}, "b", 3);
    const std::vector<std::string> reopened = hit_ids(pundit::Searcher(path).search(spec));
    REQUIRE(reopened.size() == 42);

    test::TempDir pause;
    ::setenv("PUNDIT_FAULT", ("search-before-run:pause=" + pause.path().string()).c_str(), 1);
    std::vector<std::string> during;
    std::thread searching([&] { during = hit_ids(s.search(spec)); });
    const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!std::filesystem::exists(pause / "search-before-run.reached") && std::chrono::steady_clock::now() < limit) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::unsetenv("PUNDIT_FAULT");
    const bool reached = std::filesystem::exists(pause / "search-before-run.reached");
    if (reached) change({"a0", "a1", "a2", "a3", "b0"}, "c", 6);
    std::ofstream(pause / "search-before-run.go").put('\n');
    searching.join();
    REQUIRE(reached);
    const std::vector<std::string> newer = hit_ids(pundit::Searcher(path).search(spec));
    REQUIRE(newer.size() == 43);
    CHECK((during == reopened || during == newer));
}
