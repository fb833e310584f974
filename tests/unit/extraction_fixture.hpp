// What the entity extractor tags in an article, as strings easy to read
// and compare, for the tests of its stages: name_matcher (finding names),
// mention_resolver (the rules), writer_text (bylines and bios) and the
// extractor itself. Each helper makes its extractor (over the project's
// gazetteer) once for all of them.
#pragma once

#include <string>

#include "gazetteer_fixture.hpp"
#include "pundit/entity_extractor.hpp"

namespace test {

// Table rows: an article body and the tags expected, with or without a date.
struct TextRow {
    const char* body;
    const char* expected;
};
struct DatedRow {
    const char* body;
    const char* date;
    const char* expected;
};

// The tags as one readable string: "leader:vladimir-putin x2 main; country:ru x1".
inline std::string tags(const std::string& title, const std::string& body, const std::string& date = "") {
    static pundit::EntityExtractor extractor(test::gazetteer());
    pundit::Article a;
    a.title = title;
    a.body = body;
    a.date = date;
    std::string out;
    for (const auto& t : extractor.extract(a)) {
        if (!out.empty()) out += "; ";
        out += std::string(pundit::entity_kind_name(t.kind)) + ":" + t.id + " x" + std::to_string(t.count) +
               (t.main ? " main" : "");
    }
    return out;
}

// Only the leaders, without counts or flags: "vladimir-putin, xi-jinping".
inline std::string leaders(const std::string& body, const std::string& date = "") {
    static pundit::EntityExtractor extractor(test::gazetteer());
    pundit::Article a;
    a.title = "Untitled";
    a.body = "Opening paragraph.\n\n" + body;
    a.date = date;
    std::string out;
    for (const auto& t : extractor.extract(a)) {
        if (t.kind != pundit::EntityKind::leader) continue;
        out += (out.empty() ? "" : ", ") + t.id + (t.count > 1 ? " x" + std::to_string(t.count) : "");
    }
    return out;
}

// The leaders of an article with an author field: "david-thompson x2, ...".
inline std::string leaders_by(const std::string& author, const std::string& body, const std::string& date) {
    static pundit::EntityExtractor extractor(test::gazetteer());
    pundit::Article a;
    a.title = "Untitled";
    a.body = "Opening paragraph.\n\n" + body;
    a.author = author;
    a.date = date;
    std::string out;
    for (const auto& t : extractor.extract(a)) {
        if (t.kind != pundit::EntityKind::leader) continue;
        out += (out.empty() ? "" : ", ") + t.id + (t.count > 1 ? " x" + std::to_string(t.count) : "");
    }
    return out;
}

} // namespace test
