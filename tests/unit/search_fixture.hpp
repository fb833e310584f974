// Indexes to search in tests: a small one whose answers can be worked out by
// hand (SmallIndex), and every hit of a search, past any page (all_hits).
#pragma once

#include <string>

#include "pundit/document_builder.hpp"
#include "pundit/index_writer.hpp"
#include "pundit/searcher.hpp"
#include "temp_dir.hpp"

namespace test {

inline pundit::Article make_article(const std::string& id, const std::string& date, const std::string& title,
                                    const std::string& body, const std::string& author = "",
                                    const std::string& source = "") {
    pundit::Article a;
    a.id = id;
    a.date = date;
    a.title = title;
    a.body = body;
    a.author = author;
    a.source = source;
    return a;
}

// A small index whose answers can be worked out by hand.
struct SmallIndex {
    test::TempDir dir;
    std::string path = dir / "idx";
    SmallIndex() {
        pundit::DocumentBuilder builder;
        pundit::IndexWriter writer(path);
        const pundit::Article articles[] = {
            make_article("title-hit", "2014-03-18", "Sanctions on Moscow", "The markets barely noticed the news from Brussels.",
                         "Jane Doe", "The Meridian Review"),
            make_article("body-hit", "2015-06-01", "Markets in Brussels", "The sanctions on Moscow barely moved the markets.",
                         "John Roe", "The Harbour Post"),
            make_article("field-gap", "2019-01-01", "A conversation with Vladimir", "Putin answered every question at length.",
                         "Jane Doe", "The Harbour Post"),
            make_article("accented", "2023-05-28", "Erdoğan wins a runoff", "Recep Tayyip Erdoğan defeated Kemal Kılıçdaroğlu.",
                         "Ayşe Demir", "The Meridian Review"),
            make_article("undated", "", "Putin and the Kremlin", "Vladimir Putin spoke in Moscow.", "", ""),
            make_article("russian", "2022-02-24", "Путин объявил", "Путин объявил о начале операции. Переговоры сорваны.", "", ""),
            make_article("chinese", "2013-09-07", "习近平提出丝绸之路经济带", "习近平在阿斯塔纳发表演讲。", "", ""),
        };
        for (const auto& a : articles) writer.put(builder.build(a));
        writer.commit();
    }
};

// Every hit of `spec`, whatever its page.
inline pundit::SearchResults all_hits(pundit::Searcher& s, pundit::QuerySpec spec) {
    spec.limit = 10000;
    return s.search(spec);
}

} // namespace test
