#include "pundit/normaliser.hpp"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/translit.h>
#include <unicode/utext.h>

#include <xapian.h>

#include "pundit/error.hpp"

namespace pundit {
namespace {

// The fold cache is cleared when it grows past this many entries, which keeps
// memory bounded on corpora with huge non-Latin vocabularies.
constexpr std::size_t kFoldCacheLimit = 200'000;

void check(UErrorCode status, const char* what) {
    if (U_FAILURE(status)) {
        throw Error(ErrorKind::internal,
                    std::string("ICU: cannot ") + what + ": " + u_errorName(status));
    }
}

bool is_digit(unsigned ch) {
    return Xapian::Unicode::get_category(ch) == Xapian::Unicode::DECIMAL_DIGIT_NUMBER;
}

// Characters Xapian's QueryParser keeps inside a word when a word character
// follows (apostrophes and a few letter joiners)...
bool is_word_infix(unsigned ch) {
    switch (ch) {
    case '\'': case 0x2019: case 0x201b: case 0xff07: // apostrophes
    case 0xb7: case 0x5f4: case 0x2027:              // middle dots, gershayim
        return true;
    default:
        return false;
    }
}

// ...and the separators it keeps between two digits ("3.5", "1,000").
bool is_digit_infix(unsigned ch) {
    switch (ch) {
    case ',': case '.': case ';': case 0x37e: case 0x589: case 0x60d:
    case 0x7f8: case 0x2044: case 0xfe10: case 0xfe13: case 0xfe14:
    case 0xff0c: case 0xff0e:
        return true;
    default:
        return false;
    }
}

// Zero-width characters that Xapian ignores inside words.
bool is_ignorable(unsigned ch) {
    return (ch >= 0x200b && ch <= 0x200d) || ch == 0x2060 || ch == 0xfeff;
}

bool is_ascii(std::string_view s) {
    for (unsigned char c : s) {
        if (c >= 0x80) return false;
    }
    return true;
}

// An initialism such as "U.S" or "U.S.A" (ICU leaves the final dot out):
// single letters separated by dots. Indexed without the dots, as Xapian does.
bool is_initialism(std::string_view word) {
    if (word.size() < 3) return false;
    Xapian::Utf8Iterator it(word.data(), word.size()), end;
    bool expect_letter = true;
    int letters = 0;
    for (; it != end; ++it) {
        unsigned ch = *it;
        if (expect_letter) {
            if (!Xapian::Unicode::is_wordchar(ch) || is_digit(ch)) return false;
            ++letters;
        } else if (ch != '.') {
            return false;
        }
        expect_letter = !expect_letter;
    }
    return letters >= 2 && !expect_letter;
}

bool is_latin_letter_range(UChar32 ch) { return (ch >= 0x80 && ch <= 0x24f) || (ch >= 0x1e00 && ch <= 0x1eff); }

// Latin letters that do not decompose into a base letter and marks.
const char* latin_special(UChar32 ch) {
    switch (ch) {
    case 0x131: return "i";  // dotless i
    case 0x142: return "l";  // l with stroke
    case 0xf8: return "o";   // o with stroke
    case 0x111: return "d";  // d with stroke
    case 0xf0: return "d";   // eth
    case 0xfe: return "th";  // thorn
    case 0xe6: return "ae";
    case 0x153: return "oe";
    case 0x127: return "h";  // h with stroke
    case 0x167: return "t";  // t with stroke
    case 0x14b: return "n";  // eng
    case 0x138: return "k";  // kra
    case 0x17f: return "s";  // long s
    default: return nullptr;
    }
}

} // namespace

struct Normaliser::Icu {
    std::unique_ptr<icu::BreakIterator> words;
    const icu::Normalizer2* nfkc_casefold = nullptr; // owned by ICU
    const icu::Normalizer2* nfd = nullptr;           // owned by ICU
    const icu::Normalizer2* nfc = nullptr;           // owned by ICU
    std::unique_ptr<icu::Transliterator> latin_ascii;

    bool strip_latin_marks(icu::UnicodeString& text) const;
};

// Folds the Latin letters of `text` (already case-folded) to ASCII by
// canonical decomposition, dropping the marks that follow a Latin base
// letter, and a small table. Other scripts keep their marks (й stays й).
// Returns false, leaving `text` alone, when a Latin letter is left that
// needs the full transliterator.
bool Normaliser::Icu::strip_latin_marks(icu::UnicodeString& text) const {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString decomposed = nfd->normalize(text, status);
    check(status, "decompose text");
    icu::UnicodeString out;
    bool after_latin = false;
    for (int32_t i = 0; i < decomposed.length();) {
        UChar32 ch = decomposed.char32At(i);
        i += U16_LENGTH(ch);
        if (u_charType(ch) == U_NON_SPACING_MARK) {
            if (!after_latin) out.append(ch);
            continue;
        }
        after_latin = ch < 0x80 ? u_isalpha(ch) != 0 : is_latin_letter_range(ch);
        if (ch < 0x80 || !is_latin_letter_range(ch)) {
            out.append(ch);
        } else if (const char* ascii = latin_special(ch)) {
            out.append(icu::UnicodeString(ascii));
        } else {
            return false;
        }
    }
    text = nfc->normalize(out, status);
    check(status, "compose text");
    return true;
}



Normaliser::Normaliser() : m_icu(std::make_unique<Icu>()) {
    UErrorCode status = U_ZERO_ERROR;
    m_icu->words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    check(status, "create the word break iterator");
    m_icu->nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    check(status, "load NFKC_Casefold");
    m_icu->nfd = icu::Normalizer2::getNFDInstance(status);
    check(status, "load NFD");
    m_icu->nfc = icu::Normalizer2::getNFCInstance(status);
    check(status, "load NFC");
}

Normaliser::~Normaliser() = default;

std::string Normaliser::fold_word(std::string_view word) {
    std::string out;
    if (is_ascii(word)) {
        out.assign(word);
        for (char& c : out) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        return out;
    }
    std::string key(word);
    if (auto hit = m_fold_cache.find(key); hit != m_fold_cache.end()) return hit->second;

    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
    icu::UnicodeString folded = m_icu->nfkc_casefold->normalize(u, status);
    check(status, "normalise text");
    // Most accented Latin letters lose their marks by decomposition (é -> e);
    // a few need a table (ı -> i, ł -> l, ø -> o). Only what is left after
    // that goes through ICU's Latin-ASCII transliterator, which takes
    // milliseconds to create: plain news text never needs it.
    if (!m_icu->strip_latin_marks(folded)) {
        if (!m_icu->latin_ascii) {
            m_icu->latin_ascii.reset(icu::Transliterator::createInstance("Latin-ASCII", UTRANS_FORWARD, status));
            check(status, "create the Latin-ASCII transliterator");
        }
        m_icu->latin_ascii->transliterate(folded);
    }
    folded.toUTF8String(out);

    // Latin-ASCII leaves apostrophes in non-Latin words alone; one spelling.
    std::string clean;
    clean.reserve(out.size());
    for (Xapian::Utf8Iterator it(out), end; it != end; ++it) {
        unsigned ch = *it;
        if (ch == 0x2019 || ch == 0x201b || ch == 0xff07) ch = '\'';
        Xapian::Unicode::append_utf8(clean, ch);
    }
    if (m_fold_cache.size() >= kFoldCacheLimit) m_fold_cache.clear();
    m_fold_cache.emplace(std::move(key), clean);
    return clean;
}

void Normaliser::emit_piece(std::string_view piece, std::size_t begin, std::size_t end,
                            std::vector<Token>& out) {
    std::string folded = fold_word(piece);
    // Folding can itself produce separators ("½" -> "1⁄2", "㎞" stays a word):
    // split again with the same rule; the parts share the piece's span.
    std::string current;
    unsigned prev = 0;
    auto flush = [&] {
        if (!current.empty() && current.size() <= kMaxTokenBytes) {
            out.push_back(Token{std::move(current), begin, end});
        }
        current.clear();
    };
    Xapian::Utf8Iterator it(folded), stop;
    while (it != stop) {
        unsigned ch = *it;
        ++it;
        if (Xapian::Unicode::is_wordchar(ch)) {
            Xapian::Unicode::append_utf8(current, ch);
            prev = ch;
            continue;
        }
        if (is_ignorable(ch)) continue;
        unsigned next = it != stop ? *it : 0;
        if (!current.empty() && next && Xapian::Unicode::is_wordchar(next)) {
            bool digits = is_digit(prev) && is_digit(next);
            if ((digits && is_digit_infix(ch)) || (!digits && ch == '\'')) {
                Xapian::Unicode::append_utf8(current, ch);
                continue;
            }
            if (!digits && is_word_infix(ch)) {
                Xapian::Unicode::append_utf8(current, ch);
                continue;
            }
        }
        flush();
    }
    flush();
}

void Normaliser::split_word(std::string_view text, std::size_t begin, std::size_t end,
                            std::vector<Token>& out) {
    std::string_view word = text.substr(begin, end - begin);
    if (is_initialism(word)) {
        std::string letters;
        for (char c : word) {
            if (c != '.') letters.push_back(c);
        }
        emit_piece(letters, begin, end, out);
        return;
    }
    // Split the original word where Xapian's query parser would split it, so
    // that each piece keeps its exact span (title:putin -> "title", "putin").
    std::size_t piece_begin = begin;
    unsigned prev = 0;
    const char* base = text.data();
    Xapian::Utf8Iterator it(base + begin, end - begin), stop;
    bool in_piece = false;
    while (it != stop) {
        std::size_t at = static_cast<std::size_t>(it.raw() - base);
        unsigned ch = *it;
        ++it;
        if (Xapian::Unicode::is_wordchar(ch) || is_ignorable(ch)) {
            if (!in_piece) {
                piece_begin = at;
                in_piece = true;
            }
            if (!is_ignorable(ch)) prev = ch;
            continue;
        }
        unsigned next = it != stop ? *it : 0;
        if (in_piece && next && Xapian::Unicode::is_wordchar(next)) {
            bool digits = is_digit(prev) && is_digit(next);
            if ((digits && is_digit_infix(ch)) || (!digits && is_word_infix(ch))) continue;
        }
        if (in_piece) emit_piece(text.substr(piece_begin, at - piece_begin), piece_begin, at, out);
        in_piece = false;
    }
    if (in_piece) emit_piece(text.substr(piece_begin, end - piece_begin), piece_begin, end, out);
}

void Normaliser::tokenise(std::string_view text, std::vector<Token>& out) {
    UErrorCode status = U_ZERO_ERROR;
    UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
    check(status, "open text");
    std::unique_ptr<UText, decltype(&utext_close)> guard(ut, &utext_close);
    m_icu->words->setText(ut, status);
    check(status, "segment text");

    int32_t start = m_icu->words->first();
    for (int32_t stop = m_icu->words->next(); stop != icu::BreakIterator::DONE;
         start = stop, stop = m_icu->words->next()) {
        if (m_icu->words->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue; // spaces, punctuation
        split_word(text, static_cast<std::size_t>(start), static_cast<std::size_t>(stop), out);
    }
    // Detach the iterator from the UText we are about to close.
    icu::UnicodeString empty;
    m_icu->words->setText(empty);
}

std::vector<Token> Normaliser::tokenise(std::string_view text) {
    std::vector<Token> out;
    tokenise(text, out);
    return out;
}

std::string Normaliser::normalise(std::string_view text) {
    std::string out;
    for (const Token& token : tokenise(text)) {
        if (!out.empty()) out.push_back(' ');
        out += token.text;
    }
    return out;
}

} // namespace pundit
