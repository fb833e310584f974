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

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

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



Normaliser::Normaliser(Segmentation segmentation) : m_icu(std::make_unique<Icu>()), m_segmentation(segmentation) {
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
    if (m_segmentation == Segmentation::icu) {
        segment_icu(text, 0, text.size(), out);
        return;
    }
    // ASCII runs go to the fast rules, the rest to ICU. A run is cut only
    // just before ASCII white space that is followed by ASCII (or the end):
    // the word break rules always break on both sides of such a character
    // (only combining marks, ZWJ and format characters could attach to it,
    // and those are not ASCII), so each part segments as the whole would.
    auto is_cut = [&](std::size_t at) {
        return is_ascii_space(text[at]) && (at + 1 == text.size() || static_cast<unsigned char>(text[at + 1]) < 0x80);
    };
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t foreign = pos;
        while (foreign < text.size() && static_cast<unsigned char>(text[foreign]) < 0x80) ++foreign;
        if (foreign == text.size()) {
            segment_ascii(text, pos, text.size(), out);
            return;
        }
        std::size_t icu_from = foreign;
        while (icu_from > pos && !is_cut(icu_from - 1)) --icu_from;
        if (icu_from > pos) --icu_from; // the cut: the white space goes with ICU
        segment_ascii(text, pos, icu_from, out);
        std::size_t icu_to = foreign;
        while (icu_to < text.size() && !is_cut(icu_to)) ++icu_to;
        segment_icu(text, icu_from, icu_to, out);
        pos = icu_to;
    }
}

void Normaliser::segment_icu(std::string_view text, std::size_t begin, std::size_t end, std::vector<Token>& out) {
    if (begin >= end) return;
    std::string_view part = text.substr(begin, end - begin);
    UErrorCode status = U_ZERO_ERROR;
    UText* ut = utext_openUTF8(nullptr, part.data(), static_cast<int64_t>(part.size()), &status);
    check(status, "open text");
    std::unique_ptr<UText, decltype(&utext_close)> guard(ut, &utext_close);
    m_icu->words->setText(ut, status);
    check(status, "segment text");

    int32_t start = m_icu->words->first();
    for (int32_t stop = m_icu->words->next(); stop != icu::BreakIterator::DONE;
         start = stop, stop = m_icu->words->next()) {
        if (m_icu->words->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue; // spaces, punctuation
        split_word(text, begin + static_cast<std::size_t>(start), begin + static_cast<std::size_t>(stop), out);
    }
    // Detach the iterator from the UText we are about to close.
    icu::UnicodeString empty;
    m_icu->words->setText(empty);
}

// The word break rules of UAX #29 as ICU applies them, restricted to ASCII:
// letters and digits join (WB5, WB8-WB10); "." and "'" join two letters
// (WB6-WB7; ICU leaves ":" out of MidLetter); "," ";" "." "'" join two
// digits (WB11-WB12); "_" joins anything word-like on either side (WB13a-b).
// ICU counts "@" as a letter. Every other character stands alone, and is
// not a word; nor is a lone "_". (Checked against ICU by unit tests and by
// fuzz_normaliser, which found the "@".)
void Normaliser::segment_ascii(std::string_view text, std::size_t begin, std::size_t end, std::vector<Token>& out) {
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@'; };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    auto wordlike = [&](char c) { return letter(c) || digit(c) || c == '_'; };
    std::size_t i = begin;
    while (i < end) {
        if (!wordlike(text[i])) {
            ++i;
            continue;
        }
        const std::size_t start = i;
        bool letters_or_digits = false;
        std::size_t last = i; // the last character of the word so far
        while (true) {
            const char prev = text[last];
            letters_or_digits = letters_or_digits || prev != '_';
            const std::size_t next = last + 1;
            if (next >= end) break;
            const char c = text[next];
            if (wordlike(c)) {
                last = next;
                continue;
            }
            if (next + 1 < end) {
                const char after = text[next + 1];
                if (letter(prev) && letter(after) && (c == '.' || c == '\'')) {
                    last = next + 1;
                    continue;
                }
                if (digit(prev) && digit(after) && (c == ',' || c == ';' || c == '.' || c == '\'')) {
                    last = next + 1;
                    continue;
                }
            }
            break;
        }
        i = last + 1;
        if (letters_or_digits || i - start > 1) split_ascii_word(text, start, i, out);
    }
}

// split_word and emit_piece for an ASCII word of segment_ascii: the same
// splitting (the query parser keeps "'" between word characters and "." ","
// ";" between digits), and the folded form is the piece in lower case.
void Normaliser::split_ascii_word(std::string_view text, std::size_t begin, std::size_t end,
                                  std::vector<Token>& out) {
    const std::string_view word = text.substr(begin, end - begin);
    if (word.find('.') != std::string_view::npos && is_initialism(word)) {
        split_word(text, begin, end, out);
        return;
    }
    auto emit = [&](std::size_t from, std::size_t to) {
        if (to == from || to - from > kMaxTokenBytes) return;
        Token& token = out.emplace_back();
        token.text.resize(to - from);
        for (std::size_t i = from; i < to; ++i) {
            const char c = text[i];
            token.text[i - from] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        }
        token.begin = from;
        token.end = to;
    };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    auto wordchar = [&](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || digit(c) || c == '_'; };
    std::size_t piece = begin;
    bool in_piece = false;
    char prev = 0;
    for (std::size_t k = begin; k < end; ++k) {
        const char c = text[k];
        if (wordchar(c)) {
            if (!in_piece) {
                piece = k;
                in_piece = true;
            }
            prev = c;
            continue;
        }
        const char next = k + 1 < end ? text[k + 1] : '\0';
        if (in_piece && wordchar(next)) {
            const bool digits = digit(prev) && digit(next);
            if (digits ? (c == '.' || c == ',' || c == ';') : c == '\'') continue;
        }
        if (in_piece) emit(piece, k);
        in_piece = false;
    }
    if (in_piece) emit(piece, end);
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
