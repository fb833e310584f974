#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pundit/clock.hpp"
#include "pundit/document_builder.hpp"
#include "pundit/error.hpp"
#include "pundit/index_set.hpp"
#include "pundit/searcher.hpp"
#include "error_text.hpp"
#include "temp_dir.hpp"

TEST_CASE("clock: PUNDIT_NOW fixes the time, and added-time values order like the times") {
    setenv("PUNDIT_NOW", "1234567890", 1);
    CHECK(pundit::now_seconds() == 1234567890);
    setenv("PUNDIT_NOW", "yesterday", 1);
    CHECK(test::error_text([] { (void)pundit::now_seconds(); }) ==
          "PUNDIT_NOW='yesterday' is not a number of seconds since 1970; unset it");
    unsetenv("PUNDIT_NOW");
    CHECK(pundit::now_seconds() > 1700000000);
    CHECK(pundit::format_utc(1234567890) == "2009-02-13 23:31:30 UTC");
    CHECK(pundit::parse_added_time(pundit::added_time_value(1234567890)) == 1234567890);
    CHECK(pundit::added_time_value(99) < pundit::added_time_value(100));
    CHECK(pundit::added_time_value(1700000000) < pundit::added_time_value(1800000000));
    CHECK(pundit::added_time_value(1800000000).size() == 5); // the per-article cost
}

TEST_CASE("added time: stamped on new articles, kept when unchanged or replaced, filtered on every shard") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    pundit::DocumentBuilder builder;
    auto article = [](const std::string& id, const std::string& body) {
        pundit::Article a;
        a.id = id;
        a.title = "Note " + id;
        a.body = body;
        return a;
    };
    auto put_all = [&](std::int64_t when, const std::vector<pundit::Article>& articles) {
        pundit::IndexSet index(path, 2);
        for (std::size_t k = 0; k < index.shard_count(); ++k) index.shard(k).set_added_time(when);
        for (const pundit::Article& a : articles) index.shard(index.shard_of(a.id)).put(builder.build(a));
        index.commit();
    };
    put_all(1000, {article("a", "geneva talks"), article("b", "geneva again"), article("c", "geneva once more")});
    // At 2000: "a" unchanged, "b" corrected, "d" and "e" new.
    put_all(2000, {article("a", "geneva talks"), article("b", "geneva again, corrected"), article("d", "geneva news"),
                   article("e", "geneva latest")});
    pundit::Searcher searcher(path);
    auto ids_since = [&](std::optional<std::int64_t> since) {
        pundit::QuerySpec spec;
        spec.query = "geneva";
        spec.sort = pundit::SortOrder::oldest;
        spec.added_since = since;
        std::vector<std::string> out;
        for (const auto& hit : searcher.search(spec).hits) out.push_back(hit.article.id);
        std::sort(out.begin(), out.end());
        return out;
    };
    CHECK(ids_since(std::nullopt) == std::vector<std::string>{"a", "b", "c", "d", "e"});
    CHECK(ids_since(1000) == std::vector<std::string>{"a", "b", "c", "d", "e"});
    CHECK(ids_since(1001) == std::vector<std::string>{"d", "e"});
    CHECK(ids_since(2000) == std::vector<std::string>{"d", "e"});
    CHECK(ids_since(2001).empty());
}
