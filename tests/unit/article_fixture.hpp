// Articles for the unit tests, and the options to read them with: one
// definition of each, for the test files that share them.
#pragma once

#include <string>

#include "pundit/article.hpp"
#include "pundit/input_reader.hpp"

namespace test {

// A dated article with every field, a name with a diacritic and a curly
// apostrophe in it.
inline pundit::Article sample_article() {
    pundit::Article a;
    a.id = "2019-erdogan";
    a.title = "Erdoğan wins";
    a.body = "Voters backed Erdoğan’s party.";
    a.author = "Jane Doe";
    a.source = "The Review";
    a.date = "2019-06-29";
    return a;
}

// An undated article headed "Headline ID".
inline pundit::Article headline_article(const std::string& id, const std::string& body) {
    pundit::Article a;
    a.id = id;
    a.title = "Headline " + id;
    a.body = body;
    return a;
}

inline pundit::InputOptions input_options(pundit::InputFormat format, bool follow_links = false) {
    pundit::InputOptions options;
    options.format = format;
    options.follow_links = follow_links;
    return options;
}

} // namespace test
