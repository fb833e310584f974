#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <xapian.h>

#include "pundit/normaliser.hpp"
#include "pundit/query_builder.hpp"
#include "pundit/document_builder.hpp"
#include "pundit/stemmer.hpp"
#include "pundit/text_decoder.hpp"

using pundit::Normaliser;

TEST_CASE("normalise folds case, width, compatibility forms and Latin diacritics") {
    Normaliser n;
    struct Row {
        const char* input;
        const char* expected;
    };
    const Row rows[] = {
        {"Erdoğan", "erdogan"},
        {"Kılıçdaroğlu", "kilicdaroglu"},
        {"ERDOGAN", "erdogan"},
        {"ＮＡＴＯ", "nato"},
        {"Ｇ２０ summit", "g20 summit"},
        {"\xEF\xAC\x81nance", "finance"}, // the "fi" ligature
        {"Moon’s", "moon's"},
        {"Moon's", "moon's"},
        {"Andrés Manuel López Obrador", "andres manuel lopez obrador"},
        {"Straße", "strasse"},
        {"Łódź", "lodz"},
        {"Orbán Viktor", "orban viktor"},
        {"Zelenskyy—Putin", "zelenskyy putin"},      // em dash separates words
        {"Kim Jong-un", "kim jong un"},
        {"U.S. policy", "us policy"},                 // initialisms lose their dots
        {"the U.S.A.", "the usa"},
        {"3.5 percent of 1,000", "3.5 percent of 1,000"},
        {"“quoted”", "quoted"},
        {"Путин", "путин"},                           // Cyrillic keeps its letters
        {"ЁЛКА", "ёлка"},
        {"Владимир Путин", "владимир путин"},
        {"title:putin", "title putin"},               // a colon splits, as in the query parser
        {"AT&T", "at t"},
        {"", ""},
        {"  ...  ", ""},
    };
    for (const Row& row : rows) {
        CAPTURE(row.input);
        CHECK(n.normalise(row.input) == row.expected);
    }
}

TEST_CASE("tokenise keeps the byte span of each word in the original text") {
    Normaliser n;
    std::string text = "Erdoğan met ＮＡＴＯ’s chief";
    auto tokens = n.tokenise(text);
    REQUIRE(tokens.size() == 4);
    CHECK(tokens[0].text == "erdogan");
    CHECK(text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin) == "Erdoğan");
    CHECK(tokens[2].text == "nato's");
    CHECK(text.substr(tokens[2].begin, tokens[2].end - tokens[2].begin) == "ＮＡＴＯ’s");
    CHECK(text.substr(tokens[3].begin, tokens[3].end - tokens[3].begin) == "chief");
}

TEST_CASE("Chinese and Japanese are segmented into dictionary words") {
    Normaliser n;
    auto zh = n.tokenise("习近平会见普京");
    std::vector<std::string> words;
    for (auto& t : zh) words.push_back(t.text);
    // Whatever the dictionary splits, the text is not one run, and the words
    // cover the whole string in order.
    CHECK(words.size() >= 2);
    std::string joined;
    for (auto& w : words) joined += w;
    CHECK(joined == "习近平会见普京");

    auto ja = n.tokenise("安倍首相は東京で会見した");
    CHECK(ja.size() >= 3);
}

TEST_CASE("overlong tokens are dropped") {
    Normaliser n;
    std::string blob(pundit::kMaxTokenBytes + 1, 'x');
    CHECK(n.normalise("before " + blob + " after") == "before after");
}

// Every token the indexer makes must come back from Xapian's QueryParser as
// exactly the same term, or queries silently miss. Checked through phrases,
// which use unstemmed terms.
TEST_CASE("index tokens survive the query parser unchanged") {
    Normaliser n;
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    pundit::QueryBuilder builder(db);
    Xapian::QueryParser qp;
    const char* samples[] = {
        "Erdoğan’s speech", "U.S. troops", "3.5 percent", "1,000 troops", "Kim Jong-un",
        "don't panic", "ＮＡＴＯ summit", "Ｇ２０", "\xEF\xAC\x81nance minister", "Путин и Зеленский",
        "AT&T merger", "C++ code", "e-mail", "l·lengua", "Moon’s", "x_y", "$5bn deal", "50% off",
        "José María Aznar", "Mohammed bin Salman", "O'Neill", "hello…world", "New-York-based",
    };
    for (const char* sample : samples) {
        CAPTURE(sample);
        std::vector<std::string> indexed;
        for (auto& t : n.tokenise(sample)) indexed.push_back(t.text);
        std::string normalised = builder.normalise_query(sample);
        Xapian::Query q = qp.parse_query("\"" + normalised + "\"", Xapian::QueryParser::FLAG_PHRASE);
        std::vector<std::string> parsed(q.get_terms_begin(), q.get_terms_end());
        CHECK(parsed == indexed);
    }
}

TEST_CASE("names keep stemmed terms only in scripts without capitals") {
    pundit::DocumentBuilder builder;
    pundit::Article a;
    a.id = "x";
    a.title = "t";
    a.body = "b";
    a.author = "Willie Mays";
    a.source = "普京 News";
    Xapian::Document doc = builder.build(a).document;
    std::vector<std::string> z;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        if ((*t).starts_with("ZA") || (*t).starts_with("ZXS")) z.push_back(*t);
    }
    std::string got;
    for (const auto& t : z) got += t + " ";
    CHECK(got == "ZXS京 ZXS普 "); // ICU segments the name character by character
}

#include <unicode/normalizer2.h>
#include <unicode/translit.h>

// The fast fold (decomposition and a small table) must give what ICU's
// Latin-ASCII transliterator gives, or an index built one way would miss
// queries folded the other.
TEST_CASE("the fast Latin fold agrees with ICU's Latin-ASCII") {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> latin_ascii(
        icu::Transliterator::createInstance("Latin-ASCII", UTRANS_FORWARD, status));
    const icu::Normalizer2* casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    REQUIRE(U_SUCCESS(status));
    Normaliser n;
    const char* words[] = {
        "Erdoğan", "Kılıçdaroğlu", "Łódź", "Øresund", "Þór", "Æsir", "Œuvre", "Straße", "Đoàn", "Nguyễn",
        "Tô", "Lâm", "Sánchez", "Müller", "Français", "Ångström", "Čapek", "Dvořák", "Ceaușescu", "Țiriac",
        "Şahin", "Ğ", "Ħal", "Ŋ", "Ĳssel", "Mikuláš", "Ärzte", "São", "Paulo", "Zürich", "Ñandú", "Göteborg",
        "Kraków", "Gdańsk", "Žižek", "Mečiar", "Orbán", "Fidesz", "Smørrebrød", "Sæther", "Hafþór",
    };
    for (const char* word : words) {
        CAPTURE(word);
        icu::UnicodeString u = casefold->normalize(icu::UnicodeString::fromUTF8(word), status);
        latin_ascii->transliterate(u);
        std::string expected;
        u.toUTF8String(expected);
        CHECK(n.fold_word(word) == expected);
    }
}

namespace {

// The tokens of `text` as one comparable string: "text@begin-end" per token.
std::string render_tokens(Normaliser& n, std::string_view text) {
    std::string out;
    for (const pundit::Token& t : n.tokenise(text)) {
        out += t.text + "@" + std::to_string(t.begin) + "-" + std::to_string(t.end) + " ";
    }
    return out;
}

// Every .txt file under `dir` (recursively), decoded to UTF-8.
std::vector<std::string> texts_under(const std::filesystem::path& dir, std::size_t at_most) {
    std::vector<std::filesystem::path> paths;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".txt") paths.push_back(it->path());
    }
    std::sort(paths.begin(), paths.end());
    if (paths.size() > at_most) paths.resize(at_most);
    std::vector<std::string> texts;
    for (const auto& path : paths) {
        std::ifstream in(path, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        texts.push_back(pundit::decode_text(bytes).text);
    }
    return texts;
}

} // namespace

TEST_CASE("fast ASCII segmentation gives exactly ICU's tokens") {
    Normaliser fast(Normaliser::Segmentation::fast);
    Normaliser icu(Normaliser::Segmentation::icu);
    SUBCASE("word break edge cases") {
        const char* rows[] = {
            "U.S. e.g. a.b.c 3.5 1,000,000 1;2 1'000 can't rock 'n' roll",
            "a_b _ __ _a a_ 1_ _1 a_.b a._b a:b 10:30 a..b 1..2 1.a a.1",
            "x\ty\r\nz\fw\vq  double  spaces\n\n'quoted' \"dq\" (paren) [b] {c}",
            "title:putin author:smith e-mail re-elect -minus +plus #tag @user",
            "...trailing. .leading 'a' a' 'b a'b' 1. .1 1.' 'a'b'c' a''b",
            "C++ C# .NET 9/11 24/7 50% $100 £5 a&b AT&T",
            // ICU counts "@" as a letter (found by fuzz_normaliser).
            "user@example.com @mention a.a@ x@a.a _@ @_ 1@2 a'@ @'a",
        };
        for (const char* row : rows) CHECK(render_tokens(fast, row) == render_tokens(icu, row));
    }
    SUBCASE("random text mixing ASCII and other scripts") {
        // Characters chosen to stress the rules and the cuts between ASCII
        // and ICU runs: combining marks, ZWJ, NBSP, curly quotes, CJK, Thai.
        const std::vector<std::string> alphabet = {
            "a", "b", "Z", "0", "7", "_", ".", ",", ";", ":", "'", "\"", " ", " ", "\t", "\n", "\r", "-", "@",
            "/", "(", "!", "e\xCC\x81", "\xCC\x81", "\xE2\x80\x8D", "\xC2\xA0", "\xE2\x80\x99", "\xC3\xA9",
            "\xE4\xB8\xAD\xE6\x96\x87", "\xE0\xB9\x84\xE0\xB8\x97\xE0\xB8\xA2", "\xF0\x9F\x91\x8D", "\xD0\x9F"};
        std::mt19937 random(20261128);
        std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1), length(0, 24);
        for (int i = 0; i < 20000; ++i) {
            std::string text;
            for (std::size_t k = length(random); k > 0; --k) text += alphabet[pick(random)];
            INFO("text: ", text);
            REQUIRE(render_tokens(fast, text) == render_tokens(icu, text));
        }
    }
    SUBCASE("real articles") {
        std::vector<std::string> texts = texts_under(std::string(PUNDIT_SOURCE_DIR) + "/corpus/articles", 1000);
        REQUIRE(texts.size() >= 25);
        // The BBC corpus, when ../shared is there: 2,225 real news articles.
        const std::filesystem::path bbc = std::filesystem::path(PUNDIT_SOURCE_DIR) / ".." / "shared" / "datasets" / "bbc-news";
        for (std::string& text : texts_under(bbc, 600)) texts.push_back(std::move(text));
        MESSAGE(texts.size(), " texts compared");
        for (const std::string& text : texts) {
            INFO("text starts: ", text.substr(0, 80));
            REQUIRE(render_tokens(fast, text) == render_tokens(icu, text));
        }
    }
}
