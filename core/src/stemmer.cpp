#include "pundit/stemmer.hpp"

#include <string>

#include <xapian.h>

namespace pundit {
namespace {

bool is_cyrillic(unsigned ch) {
    return (ch >= 0x400 && ch <= 0x52f) || (ch >= 0x1c80 && ch <= 0x1c8f) ||
           (ch >= 0x2de0 && ch <= 0x2dff) || (ch >= 0xa640 && ch <= 0xa69f);
}

bool is_latin(unsigned ch) {
    return ch < 0x250 || (ch >= 0x1e00 && ch <= 0x1eff);
}

class ScriptStemmer : public Xapian::StemImplementation {
public:
    std::string operator()(const std::string& word) override {
        Xapian::Utf8Iterator it(word);
        if (it == Xapian::Utf8Iterator()) return word;
        unsigned first = *it;
        if (is_cyrillic(first)) return m_russian(word);
        if (is_latin(first)) return m_english(word);
        return word;
    }

    std::string get_description() const override { return "pundit-script(english,russian)"; }

private:
    Xapian::Stem m_english{"english"};
    Xapian::Stem m_russian{"russian"};
};

} // namespace

Xapian::Stem make_stemmer() {
    // Xapian::Stem takes shared ownership of the implementation.
    return Xapian::Stem(new ScriptStemmer);
}

bool should_stem(const std::string& word) {
    constexpr unsigned kStemmedCategories =
        (1u << Xapian::Unicode::LOWERCASE_LETTER) | (1u << Xapian::Unicode::TITLECASE_LETTER) |
        (1u << Xapian::Unicode::MODIFIER_LETTER) | (1u << Xapian::Unicode::OTHER_LETTER);
    Xapian::Utf8Iterator it(word);
    if (it == Xapian::Utf8Iterator()) return false;
    return ((kStemmedCategories >> Xapian::Unicode::get_category(*it)) & 1u) != 0;
}

bool has_capital(const std::string& word) {
    Xapian::Utf8Iterator it(word);
    if (it == Xapian::Utf8Iterator()) return false;
    return Xapian::Unicode::toupper(*it) != *it;
}

std::string capitalise(const std::string& word) {
    Xapian::Utf8Iterator it(word);
    if (it == Xapian::Utf8Iterator()) return word;
    const unsigned upper = Xapian::Unicode::toupper(*it);
    if (upper == *it) return word;
    std::string out;
    Xapian::Unicode::append_utf8(out, upper);
    ++it;
    out.append(it.raw(), it.left());
    return out;
}

} // namespace pundit
