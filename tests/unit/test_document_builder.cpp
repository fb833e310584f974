#include <doctest/doctest.h>

#include <string>

#include <xapian.h>

#include "pundit/document_builder.hpp"
#include "pundit/error.hpp"
#include "pundit/schema.hpp"
#include "article_fixture.hpp"
#include "gazetteer_fixture.hpp"

namespace {

// A document as one readable line per term: "term wdf=N pos=1,2", then the
// values, so expectations are easy to read and diff.
std::string render(const Xapian::Document& doc) {
    std::string out;
    // The fingerprint's term is shown as "XFP<fingerprint>" when it is the
    // term of the document's fingerprint value (which depends on a hash).
    const std::string print_term =
        pundit::schema::fingerprint_term(doc.get_value(pundit::schema::kFingerprintSlot));
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        out += (*t == print_term ? std::string("XFP<fingerprint>") : *t) + " wdf=" + std::to_string(t.get_wdf());
        std::string positions;
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
            positions += (positions.empty() ? "" : ",") + std::to_string(*p);
        }
        if (!positions.empty()) out += " pos=" + positions;
        out += "\n";
    }
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
        // Hashes are checked separately.
        if (v.get_valueno() == pundit::schema::kHashSlot || v.get_valueno() == pundit::schema::kFingerprintSlot) continue;
        out += "value " + std::to_string(v.get_valueno()) + "=" + *v + "\n";
    }
    return out;
}

pundit::DocumentBuilder& plain() {
    static pundit::DocumentBuilder builder;
    return builder;
}

} // namespace

TEST_CASE("document: fields, prefixes, stems, weights, gaps and values") {
    pundit::DocumentBuilder builder;
    auto built = builder.build(test::sample_article());
    CHECK(built.id == "2019-erdogan");
    // Title words at 1-2 (weight 3 in the general text); the body starts after
    // the field gap (2 + 100), the author after the body's gap, and so on.
    CHECK(render(built.document) ==
          "Adoe wdf=1 pos=208\n"
          "Ajane wdf=1 pos=207\n"
          "Q2019-erdogan wdf=0\n"
          // Headline words keep their positions in the general text only,
          // and count twice, as they did with a stem term beside them.
          "Serdogan wdf=2\n"
          "Swins wdf=2\n"
          "XFP<fingerprint> wdf=0\n" // identical articles are found by it
          "XFPBUCKETS wdf=0\n"
          "XSreview wdf=1 pos=310\n"
          "XSthe wdf=1 pos=309\n"
          // No field's words get stemmed terms under its prefix: names
          // (author, source) are not stemmed, and a headline word's forms
          // are found in the vocabulary (schema::FieldStems).
          "Zback wdf=1\n"
          "Zerdogan wdf=4\n" // 3 from the headline, 1 from "Erdoğan’s" in the body
          "Zparti wdf=1\n"
          "Zvoter wdf=1\n"
          "Zwin wdf=3\n"
          "backed wdf=1 pos=104\n"
          "erdogan wdf=3 pos=1\n"
          "erdogan's wdf=1 pos=105\n"
          "party wdf=1 pos=106\n"
          "voters wdf=1 pos=103\n"
          "wins wdf=3 pos=2\n"
          "value 0=20190629\n"
          "value 2=Jane Doe\n"
          "value 3=The Review\n"
          "value 6=201906292019-erdogan\n"
          "value 7=201906292019-erdogan\n");
    CHECK(built.document.get_value(pundit::schema::kHashSlot) == plain().content_hash(test::sample_article()));
    CHECK(built.document.get_value(pundit::schema::kHashSlot).size() == 8);
}

TEST_CASE("document: the content hash changes with every stored field") {
    const std::string base = plain().content_hash(test::sample_article());
    auto changed = [&](void (*edit)(pundit::Article&)) {
        pundit::Article a = test::sample_article();
        edit(a);
        return plain().content_hash(a) != base;
    };
    CHECK(changed([](pundit::Article& a) { a.title += "!"; }));
    CHECK(changed([](pundit::Article& a) { a.body += "!"; }));
    CHECK(changed([](pundit::Article& a) { a.author += "!"; }));
    CHECK(changed([](pundit::Article& a) { a.date = "2019-06-30"; }));
    CHECK(changed([](pundit::Article& a) { a.source += "!"; }));
    CHECK(changed([](pundit::Article& a) { a.url = "https://example.org"; }));
    CHECK(changed([](pundit::Article& a) { a.id += "2"; }));
    // Moving text between fields changes the hash too.
    pundit::Article a = test::sample_article(), b = test::sample_article();
    a.title = "ab"; a.body = "c";
    b.title = "a"; b.body = "bc";
    CHECK(plain().content_hash(a) != plain().content_hash(b));
    // Where the article came from is not content.
    pundit::Article moved = test::sample_article();
    moved.origin_path = "elsewhere.txt";
    CHECK(plain().content_hash(moved) == base);
}

TEST_CASE("document: identical bodies share a fingerprint whatever their headline, case and punctuation") {
    auto fingerprint_of = [](const std::string& id, const std::string& title, const std::string& body) {
        pundit::Article a = test::sample_article();
        a.id = id;
        a.title = title;
        a.body = body;
        const std::string value = plain().build(a).document.get_value(pundit::schema::kFingerprintSlot);
        CHECK(value.size() == 8);
        return value;
    };
    const std::string wire = fingerprint_of("a", "China continues breakneck growth",
                                            "China's economy has expanded by a breakneck 9.5% during 2004.");
    // Another id and headline, other case, accents, spacing and punctuation: the same body.
    CHECK(fingerprint_of("b", "China continues rapid growth",
                         "CHINA’S ECONOMY has expanded  by a breakneck 9.5%\nduring 2004") == wire);
    CHECK(fingerprint_of("c", "China continues breakneck growth",
                         "China's economy has expanded by a breakneck 9.6% during 2004.") != wire);
    // Words are not run together: "ab c" is not "a bc".
    CHECK(fingerprint_of("d", "t", "ab c") != fingerprint_of("e", "t", "a bc"));
    // Without body words the article's own content hash, which covers its id:
    // headline-only articles are never identical to one another.
    pundit::Article bare = test::sample_article();
    bare.body = " -- ";
    auto built = plain().build(bare);
    CHECK(built.document.get_value(pundit::schema::kFingerprintSlot) == built.hash);
    bare.id = "other";
    CHECK(plain().build(bare).document.get_value(pundit::schema::kFingerprintSlot) != built.hash);
}

TEST_CASE("document: the language is guessed when not given, and stored") {
    pundit::DocumentBuilder builder;
    pundit::Article a = test::sample_article();
    a.body = "The voters said that the result was clear.";
    auto built = builder.build(a);
    CHECK(pundit::deserialise_article(built.document.get_data()).language == "en");
    bool has_language_term = false;
    for (auto t = built.document.termlist_begin(); t != built.document.termlist_end(); ++t) {
        if (*t == "Len") has_language_term = true;
    }
    CHECK(has_language_term);
}

TEST_CASE("document: over-long ids are refused as input errors") {
    pundit::DocumentBuilder builder;
    pundit::Article a = test::sample_article();
    a.id = std::string(pundit::kMaxIdBytes + 1, 'x');
    CHECK_THROWS_AS(builder.build(a), pundit::Error);
}

TEST_CASE("document: entity tags become boolean terms, prominence terms, slot values and stored data with mention counts") {
    pundit::DocumentBuilder builder(test::gazetteer());
    pundit::Article a = test::sample_article();
    a.title = "Putin and Xi meet";
    a.body = "Vladimir Putin met Xi Jinping in Moscow. Putin smiled.\n\nNATO was not invited.";
    a.date = "2023-03-21";
    auto built = builder.build(a);
    std::string entity_terms;
    for (auto t = built.document.termlist_begin(); t != built.document.termlist_end(); ++t) {
        if ((*t).starts_with("XLEADER:") || (*t).starts_with("XCOUNTRY:") || (*t).starts_with("XORG:") ||
            (*t).starts_with("XP")) {
            entity_terms += *t + " wdf=" + std::to_string(t.get_wdf()) + "\n";
        }
    }
    CHECK(entity_terms ==
          "XCOUNTRY:ru wdf=0\n"
          "XLEADER:vladimir-putin wdf=0\n"
          "XLEADER:xi-jinping wdf=0\n"
          "XORG:nato wdf=0\n"
          // Level: mentions, plus 20 when named up front (the headline or the first paragraph).
          "XPCOUNTRY:21:ru wdf=0\n"
          "XPLEADER:22:xi-jinping wdf=0\n"
          "XPLEADER:23:vladimir-putin wdf=0\n"
          "XPORG:1:nato wdf=0\n");
    using pundit::schema::kEntitySlots;
    CHECK(built.document.get_value(kEntitySlots[0]) == "Vladimir Putin\x1fXi Jinping");
    CHECK(built.document.get_value(kEntitySlots[1]) == "Russia");
    CHECK(built.document.get_value(kEntitySlots[2]) == "NATO");
    // The year facet reads the date (schema::facet_value_slot).
    CHECK(built.document.get_value(pundit::schema::kYearSlot).empty());
    CHECK(built.document.get_value(pundit::schema::kDateSlot).substr(0, pundit::schema::kYearBytes) == "2023");

    auto stored = pundit::deserialise_article(built.document.get_data());
    REQUIRE(stored.entities.size() == 4);
    CHECK(stored.entities[0].name == "Vladimir Putin");
    CHECK(stored.entities[0].count == 3);
    CHECK(stored.entities[0].main);
    CHECK(stored.entities[3].kind == pundit::EntityKind::organisation);
    CHECK_FALSE(stored.entities[3].main);

    // Tagging with a gazetteer is part of the content: its version is hashed.
    pundit::Article completed = a;
    pundit::DocumentBuilder::complete(completed);
    CHECK(builder.content_hash(completed) != plain().content_hash(completed));
}

TEST_CASE("document: a headline made from the body is stored as such and not indexed as a headline") {
    pundit::Article a = test::sample_article();
    a.title = "Voters backed Erdoğan’s party.";
    a.title_derived = true;
    pundit::DocumentBuilder builder;
    auto built = builder.build(a);
    const std::string terms = render(built.document);
    CHECK(terms.find("Svoters") == std::string::npos); // no headline (S) terms
    CHECK(terms.find("voters wdf=1 pos=") != std::string::npos); // the body's, once
    pundit::Article back = pundit::deserialise_article(built.document.get_data());
    CHECK(back.title == a.title);
    CHECK(back.title_derived);
    // The flag is part of what makes an article changed, and a headline
    // given is not flagged.
    pundit::Article given = a;
    given.title_derived = false;
    CHECK(builder.content_hash(given) != builder.content_hash(a));
    CHECK_FALSE(pundit::deserialise_article(pundit::serialise_article(given)).title_derived);
    // Stored data of articles written before the flag existed ends after
    // the entity rows, and reads as not derived.
    const std::string old = pundit::serialise_article(given);
    CHECK(pundit::serialise_article(a) == old + '\x01');
    // Flags that are unknown are damage.
    CHECK_THROWS_AS(pundit::deserialise_article(old + '\x02'), pundit::Error);
}
