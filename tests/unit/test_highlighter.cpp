#include <doctest/doctest.h>

#include "pundit/highlighter.hpp"

using pundit::Highlighter;
using pundit::render_snippet;

namespace {
pundit::Normaliser& normaliser() {
    static pundit::Normaliser n;
    return n;
}
} // namespace

TEST_CASE("highlighter marks folded and stemmed matches in the original text") {
    // An exact (phrase) term marks only the same word; a stem marks its forms.
    Highlighter exact({"erdogan", "Zsanction", "ZSignored", "Qid"}, normaliser());
    auto s = exact.snippet("Erdoğan’s government faced new sanctions, and ERDOGAN said so.");
    CHECK(render_snippet(s, "[", "]") == "Erdoğan’s government faced new [sanctions], and [ERDOGAN] said so.");
    Highlighter stemmed({"Zerdogan"}, normaliser());
    auto t = stemmed.snippet("Erdoğan’s government faced new sanctions, and ERDOGAN said so.");
    CHECK(render_snippet(t, "[", "]") == "[Erdoğan’s] government faced new sanctions, and [ERDOGAN] said so.");
}

TEST_CASE("highlighter picks the passage with the most query words") {
    std::string text;
    for (int i = 0; i < 60; ++i) text += "filler ";
    text += "Putin met Abe in Vladivostok.";
    for (int i = 0; i < 60; ++i) text += " padding";
    Highlighter h({"Zputin", "Zabe"}, normaliser());
    auto s = h.snippet(text, 10);
    CHECK(render_snippet(s, "[", "]") == "…filler filler filler filler [Putin] met [Abe] in Vladivostok. padding…");
}

TEST_CASE("highlighter: no match gives the opening, white space is collapsed") {
    Highlighter h({"nothing"}, normaliser());
    auto s = h.snippet("First   line\n\nsecond line third fourth", 3);
    CHECK(s.text == "First line second…");
    CHECK(s.highlights.empty());
    CHECK(h.snippet("").text.empty());
}

TEST_CASE("highlighter marks whole headlines") {
    Highlighter h({"Zkuril"}, normaliser());
    auto s = h.mark("The Kuril Islands and the kurils");
    CHECK(render_snippet(s, "<", ">") == "The <Kuril> Islands and the <kurils>");
}

TEST_CASE("highlighter looks only at the start of a very long text") {
    std::string text = "Opening words of a long piece.";
    while (text.size() < pundit::kSnippetScanBytes + 1000) text += " filler";
    text += " Putin at the very end.";
    Highlighter h({"Zputin"}, normaliser());
    auto s = h.snippet(text, 4);
    CHECK(render_snippet(s, "[", "]") == "Opening words of a…");
}
