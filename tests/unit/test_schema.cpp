#include <doctest/doctest.h>

#include <string>

#include "pundit/entity.hpp"
#include "pundit/error.hpp"
#include "pundit/schema.hpp"
#include "pundit/index_writer.hpp"
#include "pundit/searcher.hpp"
#include "temp_dir.hpp"

TEST_CASE("schema: a term that starts with a capital letter is prefixed, any other is a word") {
    const std::pair<std::string, bool> rows[] = {
        {"", false},         {"putin", false},      {"1991", false},   {"ünter", false}, {"путин", false},
        {"_x", false},       {"ZSputin", true},     {"Zputin", true},  {"Q2019-x", true}, {"XLEADER:putin", true},
        {"A", true},         {"Len", true},         {"@user", false},  {"[", false},
    };
    for (const auto& [term, prefixed] : rows) {
        CAPTURE(term);
        CHECK(pundit::schema::is_prefixed(term) == prefixed);
        // Spelling words are the unprefixed terms that do not start with a digit or a sign.
        const bool spelling = term >= pundit::schema::kFirstSpellingTerm;
        if (prefixed) CHECK_FALSE(spelling);
    }
    CHECK(std::string("apple") >= pundit::schema::kFirstSpellingTerm);
    CHECK_FALSE(std::string("1991") >= pundit::schema::kFirstSpellingTerm);
}

TEST_CASE("schema: one table of entity kinds names them in queries, messages and headings") {
    using pundit::EntityKind;
    const EntityKind kinds[] = {EntityKind::leader, EntityKind::country, EntityKind::organisation};
    const char* expected[][3] = {
        {"leader", "leader", "leaders"}, {"country", "country", "countries"}, {"org", "organisation", "organisations"}};
    for (std::size_t k = 0; k < 3; ++k) {
        CHECK(std::string(pundit::entity_kind_name(kinds[k])) == expected[k][0]);
        CHECK(std::string(pundit::entity_kind_noun(kinds[k])) == expected[k][1]);
        CHECK(std::string(pundit::entity_kind_plural(kinds[k])) == expected[k][2]);
        CHECK(pundit::parse_entity_kind(expected[k][0]) == kinds[k]);
        CHECK(pundit::schema::kEntityFieldNames[k] == expected[k][0]);
    }
    CHECK_THROWS_WITH_AS(pundit::parse_entity_kind("organisation"),
                         "unknown entity kind 'organisation' (expected leader, country or org)", pundit::Error);
}

TEST_CASE("schema: the facets a search counts come from one table") {
    CHECK(pundit::facet_names() ==
          std::vector<std::string>{"leader", "country", "org", "author", "source", "year"});
}

TEST_CASE("schema: a facet outside the table is refused with the table's names") {
    test::TempDir dir;
    const std::string path = dir / "idx";
    {
        pundit::IndexWriter writer(path);
        writer.commit();
    }
    pundit::Searcher searcher(path);
    pundit::QuerySpec spec;
    spec.facets = {"organisation"};
    CHECK_THROWS_WITH_AS(searcher.search(spec),
                         "unknown facet 'organisation' (expected leader, country, org, author, source or year)",
                         pundit::Error);
}
