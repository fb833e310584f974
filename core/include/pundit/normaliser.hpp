// Text normalisation and word segmentation: the ONE place that decides what a
// word is and how it is spelt in the index. It runs on article text, on
// gazetteer aliases and on every query word and filter value, so ingest and
// query can never disagree.
//
// Normalised form: NFKC with case folding (ＮＡＴＯ -> nato, ﬁnance -> finance),
// then Latin letters folded to ASCII (Erdoğan -> erdogan, Kılıçdaroğlu ->
// kilicdaroglu, Straße -> strasse); other scripts keep their letters
// (Путин -> путин, 普京 stays). Typographic apostrophes become "'".
// Words come from ICU's word break iterator, which uses dictionaries for
// Chinese, Japanese and Thai, and are then split the way Xapian's
// QueryParser splits words, so that every token survives a round trip through
// the query parser as the same single term.
//
// Not thread-safe: ICU break iterators and transliterators hold state. Create
// one Normaliser per thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pundit {

struct Token {
    std::string text;      // normalised form, never empty
    std::size_t begin = 0; // byte span of the word in the original text
    std::size_t end = 0;
};

class Normaliser {
public:
    // How text is cut into words. `fast` segments runs of ASCII text with a
    // hand-written subset of the Unicode word break rules (UAX #29) that
    // gives exactly ICU's words for ASCII, about five times faster, and
    // everything else with ICU; `icu` sends all text through ICU. Tests
    // compare the two on real and random text.
    enum class Segmentation { fast, icu };

    explicit Normaliser(Segmentation segmentation = Segmentation::fast); // throws Error(internal) without ICU data
    ~Normaliser();
    Normaliser(const Normaliser&) = delete;
    Normaliser& operator=(const Normaliser&) = delete;

    // Appends the tokens of `text` (UTF-8) to `out`, in order.
    void tokenise(std::string_view text, std::vector<Token>& out);
    std::vector<Token> tokenise(std::string_view text);

    // The normalised tokens of `text` joined by single spaces: the key form
    // of a name or filter value ("Recep Tayyip Erdoğan" -> "recep tayyip erdogan").
    std::string normalise(std::string_view text);

    // Normalises one word that is already known to be a single token.
    std::string fold_word(std::string_view word);

private:
    // Word-break `text[begin, end)` with ICU / with the ASCII rules, passing
    // each word to split_word.
    void segment_icu(std::string_view text, std::size_t begin, std::size_t end, std::vector<Token>& out);
    void segment_ascii(std::string_view text, std::size_t begin, std::size_t end, std::vector<Token>& out);
    void split_word(std::string_view text, std::size_t begin, std::size_t end,
                    std::vector<Token>& out);
    void split_ascii_word(std::string_view text, std::size_t begin, std::size_t end, std::vector<Token>& out);
    void emit_piece(std::string_view piece, std::size_t begin, std::size_t end,
                    std::vector<Token>& out);

    // ICU objects live behind a pointer so that this header needs no ICU.
    struct Icu;
    std::unique_ptr<Icu> m_icu;
    Segmentation m_segmentation;
    // Folding a non-ASCII word through ICU costs microseconds; names repeat,
    // so remember recent answers.
    std::unordered_map<std::string, std::string> m_fold_cache;
};

// Longest token kept, in bytes of its normalised form. Longer "words" are
// base64 blobs, URLs run together and similar noise, and Xapian refuses
// terms over 245 bytes.
inline constexpr std::size_t kMaxTokenBytes = 64;

} // namespace pundit
