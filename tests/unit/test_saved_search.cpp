#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "pundit/error.hpp"
#include "pundit/saved_search.hpp"
#include "error_text.hpp"
#include "temp_dir.hpp"

namespace {

pundit::SavedSearch putin_search() {
    pundit::SavedSearch s;
    s.name = "putin-daily";
    s.spec.query = "sanctions \"gas pipeline\"";
    s.spec.match_any = true;
    s.spec.since = "2022-01-01";
    s.spec.authors = {"Marta Kowalczyk"};
    s.spec.leaders = {"putin", "Xi Jinping"};
    s.spec.countries = {"ukraine"};
    s.spec.organisations = {"nato"};
    s.spec.languages = {"en"};
    s.spec.sources = {"The Meridian Review"};
    s.created = 1700000000;
    s.last_run = 1700000100;
    return s;
}

std::vector<std::string> names(const std::vector<pundit::SavedSearch>& searches) {
    std::vector<std::string> out;
    for (const auto& s : searches) out.push_back(s.name);
    return out;
}

} // namespace

TEST_CASE("saved searches: a round trip keeps the query, every filter and the times") {
    test::TempDir dir;
    pundit::SavedSearchStore store(dir / "config/pundit/saved-searches.json", dir / "idx");
    CHECK(store.list().empty());
    store.save(putin_search());
    std::optional<pundit::SavedSearch> back = store.find("putin-daily");
    REQUIRE(back);
    const pundit::QuerySpec& spec = back->spec;
    CHECK(spec.query == "sanctions \"gas pipeline\"");
    CHECK(spec.match_any);
    CHECK(spec.since == std::optional<std::string>("2022-01-01"));
    CHECK_FALSE(spec.until);
    CHECK(spec.authors == std::vector<std::string>{"Marta Kowalczyk"});
    CHECK(spec.sources == std::vector<std::string>{"The Meridian Review"});
    CHECK(spec.languages == std::vector<std::string>{"en"});
    CHECK(spec.leaders == std::vector<std::string>{"putin", "Xi Jinping"});
    CHECK(spec.countries == std::vector<std::string>{"ukraine"});
    CHECK(spec.organisations == std::vector<std::string>{"nato"});
    CHECK(back->created == 1700000000);
    CHECK(back->last_run == std::optional<std::int64_t>(1700000100));
    CHECK_FALSE(store.find("nothing"));

    CHECK(store.mark_run("putin-daily", 1800000000));
    CHECK(store.find("putin-daily")->last_run == std::optional<std::int64_t>(1800000000));
    CHECK_FALSE(store.mark_run("nothing", 1));

    pundit::SavedSearch other;
    other.name = "abe";
    other.spec.query = "abe";
    store.save(other);
    CHECK(names(store.list()) == std::vector<std::string>{"abe", "putin-daily"});
    other.spec.query = "abe islands"; // the same name replaces
    store.save(other);
    CHECK(store.find("abe")->spec.query == "abe islands");
    CHECK(store.forget("abe"));
    CHECK_FALSE(store.forget("abe"));
    CHECK(names(store.list()) == std::vector<std::string>{"putin-daily"});
}

TEST_CASE("saved searches: each write replaces the file whole, through a renamed temporary file") {
    test::TempDir dir;
    const std::string file = dir / "pundit/saved-searches.json";
    pundit::SavedSearchStore store(file, dir / "idx");
    store.save(putin_search());
    const std::string before = test::read_file(file);
    struct stat first {};
    REQUIRE(::stat(file.c_str(), &first) == 0);
    // A reader that opened the file before a write keeps reading the old,
    // complete content: the write made a new file and renamed it over.
    std::ifstream reader(file, std::ios::binary);
    pundit::SavedSearch more;
    more.name = "second";
    more.spec.query = "nato";
    store.save(more);
    std::ostringstream seen;
    seen << reader.rdbuf();
    CHECK(seen.str() == before);
    struct stat second {};
    REQUIRE(::stat(file.c_str(), &second) == 0);
    CHECK(first.st_ino != second.st_ino);
    // Valid JSON, and nothing left beside it but the lock file.
    CHECK(nlohmann::json::parse(test::read_file(file))["indexes"].size() == 1);
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir / "pundit")) {
        files.push_back(entry.path().filename().string());
    }
    std::sort(files.begin(), files.end());
    CHECK(files == std::vector<std::string>{"saved-searches.json", "saved-searches.json.lock"});
}

TEST_CASE("saved searches: kept apart by index, whatever the spelling of its path") {
    test::TempDir dir;
    const std::string file = dir / "saved.json";
    std::filesystem::create_directories(dir / "news");
    std::filesystem::create_directory_symlink(dir / "news", dir / "link");
    pundit::SavedSearchStore news(file, dir / "news");
    pundit::SavedSearchStore archive(file, dir / "archive");
    news.save(putin_search());
    CHECK(archive.list().empty());
    CHECK_FALSE(archive.find("putin-daily"));
    CHECK_FALSE(archive.forget("putin-daily"));
    CHECK(names(news.list()) == std::vector<std::string>{"putin-daily"});
    // The same directory by another path: a trailing slash, "..", a symlink.
    for (const std::string& spelling : {dir / "news/", dir / "archive/../news", dir / "link"}) {
        CAPTURE(spelling);
        CHECK(names(pundit::SavedSearchStore(file, spelling).list()) == std::vector<std::string>{"putin-daily"});
    }
    CHECK(news.index_key() == (dir / "news"));
}

TEST_CASE("saved searches: a damaged file is an error naming it, and is left alone") {
    test::TempDir dir;
    const std::string idx = dir / "idx";
    struct Row {
        std::string content;
        std::string reason;
    };
    const Row rows[] = {
        {"{\"format_version\": 1, \"indexes\": {", "not valid JSON"},
        {"[1, 2, 3]", "not a saved-search file"},
        {"{\"format_version\": 7, \"indexes\": {}}", "format version 7 is not the version 1 this searcher reads"},
        {"{\"format_version\": 1, \"indexes\": {\"" + pundit::saved_search_index_key(idx) +
             "\": {\"x\": {\"query\": 3}}}}",
         "a saved search is damaged"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.content);
        const std::string file = dir.write("saved.json", row.content);
        pundit::SavedSearchStore store(file, idx);
        const std::string expected_start = "cannot read saved searches from '" + file + "': " + row.reason;
        CHECK(test::error_text([&] { (void)store.list(); }).starts_with(expected_start));
        CHECK(test::error_text([&] { store.save(putin_search()); }).starts_with(expected_start));
        CHECK(test::error_text([&] { (void)store.list(); }).ends_with("; fix the file or move it away (its saved searches are then forgotten)"));
        CHECK(test::read_file(file) == row.content);
    }
}

TEST_CASE("saved searches: names") {
    for (const char* good : {"putin", "putin-daily", "x", "путин", "a.b_c"}) {
        CAPTURE(good);
        CHECK_NOTHROW(pundit::check_saved_search_name(good));
    }
    for (const char* bad : {"", "-x", "two words", "a/b", "tab\there", "caf\xE9", "csi\xC2\x9B", "del\x7f"}) {
        CAPTURE(bad);
        CHECK(test::error_text([&] { pundit::check_saved_search_name(bad); }).find("cannot name a saved search") !=
              std::string::npos);
    }
    CHECK_THROWS_AS(pundit::check_saved_search_name(std::string(65, 'a')), pundit::Error);
}

TEST_CASE("saved searches: described as the options that recreate them") {
    pundit::SavedSearch s;
    s.spec.query = "putin";
    CHECK(pundit::describe_saved_search(s) == "putin");
    CHECK(pundit::describe_saved_search(putin_search()) ==
          "--any --since 2022-01-01 --author 'Marta Kowalczyk' --source 'The Meridian Review' --language en "
          "--leader putin --leader 'Xi Jinping' --country ukraine --org nato 'sanctions \"gas pipeline\"'");
    s.spec.query = "-ukraine putin";
    CHECK(pundit::describe_saved_search(s) == "-- '-ukraine putin'");
    s.spec.query = "it's";
    CHECK(pundit::describe_saved_search(s) == "'it'\\''s'");
}

TEST_CASE("saved searches: options given with --run add words and replace filters") {
    pundit::SavedSearch saved = putin_search();
    saved.spec.match_any = false;
    pundit::QuerySpec given;
    given.limit = 3;
    given.sort = pundit::SortOrder::newest;
    pundit::QuerySpec same = pundit::merge_saved_search(saved, given);
    CHECK(same.query == saved.spec.query);
    CHECK(same.leaders == saved.spec.leaders);
    CHECK(same.since == saved.spec.since);
    CHECK_FALSE(same.match_any);
    CHECK(same.limit == 3);
    CHECK(same.sort == pundit::SortOrder::newest);

    given.query = "ukraine";
    given.leaders = {"zelensky"};
    given.since = "2023-01-01";
    given.until = "2023-12-31";
    given.match_any = true;
    pundit::QuerySpec merged = pundit::merge_saved_search(saved, given);
    CHECK(merged.query == "(sanctions \"gas pipeline\") AND (ukraine)");
    CHECK(merged.leaders == std::vector<std::string>{"zelensky"});
    CHECK(merged.countries == saved.spec.countries);
    CHECK(merged.since == std::optional<std::string>("2023-01-01"));
    CHECK(merged.until == std::optional<std::string>("2023-12-31"));
    CHECK(merged.match_any);

    saved.spec.query.clear();
    CHECK(pundit::merge_saved_search(saved, given).query == "ukraine");
}

TEST_CASE("saved searches: the file lives under XDG_CONFIG_HOME, else ~/.config") {
    setenv("XDG_CONFIG_HOME", "/xdg-config", 1);
    CHECK(pundit::default_saved_searches_path() == "/xdg-config/pundit/saved-searches.json");
    unsetenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    const std::string saved_home = home ? home : "";
    setenv("HOME", "/home/u", 1);
    CHECK(pundit::default_saved_searches_path() == "/home/u/.config/pundit/saved-searches.json");
    if (home) setenv("HOME", saved_home.c_str(), 1); else unsetenv("HOME");
}

TEST_CASE("saved searches: a query, filter value or index path that is not UTF-8 is refused, naming it") {
    test::TempDir dir;
    const std::string file = dir / "config/pundit/saved-searches.json";
    struct Row {
        std::string index;
        std::function<void(pundit::SavedSearch&)> change;
        std::string error;
    };
    const std::string refused = "cannot save the search 'putin-daily': ";
    const std::string kept = "; saved searches are kept as UTF-8 text";
    const Row rows[] = {
        {"idx", [](auto&) {}, "(no error)"},
        {"idx", [](auto& s) { s.spec.query = "caf\xE9 sanctions"; },
         refused + "its query 'caf\xE9 sanctions' is not UTF-8 (byte 0xE9)" + kept},
        {"idx", [](auto& s) { s.spec.authors.push_back("Ana\xFF"); },
         refused + "its --author value 'Ana\xFF' is not UTF-8 (byte 0xFF)" + kept},
        {"idx", [](auto& s) { s.spec.organisations = {"nato", "\xC0\xAF"}; },
         refused + "its --org value '\xC0\xAF' is not UTF-8 (byte 0xC0)" + kept},
        {"idx", [](auto& s) { s.spec.until = "2020\xE2\x80"; },
         refused + "its --until value '2020\xE2\x80' is not UTF-8 (byte 0xE2)" + kept},
        {"idx-\xE9", [](auto&) {},
         refused + "the path of its index '" + (dir / "idx-\xE9") + "' is not UTF-8 (byte 0xE9)" + kept},
        // Control characters are text JSON keeps: saved as they are.
        {"idx", [](auto& s) { s.spec.query = "vote\x1b]52;c;x\x07"; }, "(no error)"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.error);
        pundit::SavedSearchStore store(file, dir / row.index);
        pundit::SavedSearch search = putin_search();
        row.change(search);
        CHECK(test::error_text([&] { store.check_saveable(search); }) == row.error);
        // save() refuses the same, and the file is left as it was.
        CHECK(test::error_text([&] { store.save(search); }) == row.error);
        if (row.error != "(no error)") CHECK_FALSE(store.find("putin-daily"));
        if (row.error == "(no error)") {
            std::optional<pundit::SavedSearch> back = store.find("putin-daily");
            REQUIRE(back);
            CHECK(back->spec.query == search.spec.query);
            store.forget("putin-daily");
        }
    }
}
