#include "pundit/language.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <xapian.h>

namespace pundit {
namespace {

// Only the first part of a long text is looked at.
// Share of English function words among Latin-script words above which the
// text is taken to be English (typical English prose is around 0.4).
constexpr double kEnglishShare = 0.15;

bool is_english_function_word(std::string_view w) {
    static constexpr std::array<std::string_view, 24> kWords{
        "the", "and", "of", "to", "in", "is", "that", "it", "for", "was", "on", "with",
        "as", "are", "be", "by", "this", "has", "have", "not", "but", "from", "at", "his"};
    for (auto k : kWords) {
        if (w == k) return true;
    }
    return false;
}

} // namespace

std::string guess_language(std::string_view text) {
    text = text.substr(0, kLanguageSampleBytes);
    std::size_t latin = 0, cyrillic = 0, han = 0, kana = 0, hangul = 0, arabic = 0;
    for (Xapian::Utf8Iterator it(text.data(), text.size()), end; it != end; ++it) {
        unsigned ch = *it;
        if (ch < 0x80) {
            if (std::isalpha(static_cast<int>(ch))) ++latin;
        } else if (ch < 0x250) {
            ++latin;
        } else if (ch >= 0x400 && ch <= 0x52f) {
            ++cyrillic;
        } else if (ch >= 0x600 && ch <= 0x6ff) {
            ++arabic;
        } else if ((ch >= 0x3040 && ch <= 0x30ff)) {
            ++kana;
        } else if (ch >= 0xac00 && ch <= 0xd7af) {
            ++hangul;
        } else if ((ch >= 0x4e00 && ch <= 0x9fff) || (ch >= 0x3400 && ch <= 0x4dbf)) {
            ++han;
        }
    }
    // CJK characters carry a word's worth of meaning each; weigh them up.
    constexpr std::size_t kCjkWeight = 3;
    std::size_t best = std::max({latin, cyrillic, arabic, (han + kana) * kCjkWeight, hangul * kCjkWeight});
    if (best == 0) return "";
    if (best == cyrillic) return "ru";
    if (best == arabic) return "ar";
    if (best == hangul * kCjkWeight) return "ko";
    if (best == (han + kana) * kCjkWeight) return kana * 10 > han ? "ja" : "zh";

    std::size_t words = 0, function_words = 0;
    std::string word;
    auto finish = [&] {
        if (!word.empty()) {
            ++words;
            if (is_english_function_word(word)) ++function_words;
        }
        word.clear();
    };
    for (char c : text) {
        if (std::isalpha(static_cast<unsigned char>(c))) {
            word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        } else {
            finish();
        }
    }
    finish();
    if (words > 0 && static_cast<double>(function_words) / static_cast<double>(words) >= kEnglishShare) {
        return "en";
    }
    return "";
}

} // namespace pundit
