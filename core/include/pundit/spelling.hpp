// The spelling data behind "did you mean": which normalised words go into
// Xapian's spelling table (article words, each counted once per article:
// read from the term lists after a first import, else counted in the
// indexer's worker threads; plus the gazetteer's names), and when a
// corrected query is worth suggesting. Not for correcting a query string
// (QueryBuilder::corrected_query) or running it (searcher.hpp).
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "pundit/gazetteer.hpp"
#include "pundit/normaliser.hpp"

namespace pundit {

// Normalised word -> the number of articles using it, gathered between two
// commits.
using SpellingWords = std::unordered_map<std::string, Xapian::termcount>;

// Gathers the words the shard threads counted, for the one shard that holds
// the index's spelling table (the first). Xapian 1.4 merges the spelling
// lists of several databases with a trigram score that grows with the
// number of databases holding a word, so spread over the shards the same
// words would give other suggestions for every shard count; kept in one
// database they give the same as a single database. (Xapian's own
// WritableDatabase::add_spelling on a combined database also writes to the
// first.) Thread-safe.
class SpellingCollector {
public:
    // Adds a thread's counts; `words` is left empty.
    void merge(SpellingWords& words);
    // Everything merged since the last take.
    SpellingWords take();
    // Distinct words merged since the last take.
    std::size_t size();

private:
    std::mutex m_mutex;
    SpellingWords m_words;
};

// The words gathered are added to the spelling table at the end of a run,
// or at a commit of the first shard once this many distinct words wait (tens
// of MB). Adding them at every commit cost 30-40% more indexing CPU time on
// Reuters-21578 (against about 10% this way): each commit rewrites every
// trigram list a new word touches, and lists of common trigrams hold
// thousands of words.
inline constexpr std::size_t kSpellingFlushWords = std::size_t{1} << 19;

// Whether a normalised word belongs in the spelling table: it starts with a
// letter, holds no digit, is kMinSpellingWordBytes to kMaxSpellingWordBytes
// long and is not a query stopword (a stopword near a rare correct word,
// "are" for "abe", would make a bad suggestion).
bool is_spelling_word(std::string_view word);

// Xapian ignores one-letter words; words past this length are URLs, tokens
// glued together and the like, never worth suggesting.
inline constexpr std::size_t kMinSpellingWordBytes = 2;
inline constexpr std::size_t kMaxSpellingWordBytes = 40;

// The normalised words of every name and alias in the gazetteer, each
// counted once per name it appears in: a correction can reach "kilicdaroglu"
// or "stoltenberg" even before an article names them.
SpellingWords gazetteer_spelling_words(const Gazetteer& gazetteer);

// Whether a word is one of gazetteer_spelling_words, without segmenting
// every name into words, which for the Chinese, Japanese and Korean names
// calls up ICU's dictionaries and made a searcher's first judged
// correction take 40 ms: a name is segmented only when its lookup key
// holds the word's.
class GazetteerNameWords {
public:
    explicit GazetteerNameWords(const Gazetteer& gazetteer);
    // `word` normalised as the words of names are (Normaliser::tokenise).
    bool contains(const std::string& word);

private:
    Normaliser m_normaliser;
    // The lookup key of each distinct name of each entity, and the name.
    // Not the gazetteer's own key tables (Gazetteer::KeyTable): they key an
    // entity, not a name, so a word of Vladimir Putin's would segment all of
    // his names, 普京 with ICU's dictionaries among them; they lack a
    // canonical name make_names_unique changed ("Andris Bērziņš (LV)"); and
    // a correction without an entity filter would build them for every
    // kind, surnames and sorting included, which is more than these keys.
    std::vector<std::pair<std::string, const std::string*>> m_names;
    std::unordered_map<std::string, bool> m_answers;
};

// Adds the words that pass is_spelling_word to `db` (not committed).
void add_spelling_words(Xapian::WritableDatabase& db, const SpellingWords& words);

// Adds to `db`'s spelling table (not committed) the words of the headlines
// and bodies that `shards` hold, each with the number of articles holding
// it (its term frequency): what DocumentBuilder::count_spelling_words
// gathers article by article, read in one pass over each term list. For a
// first import, where it costs a fraction of counting as the articles are
// built.
void add_index_words(Xapian::WritableDatabase& db, const std::vector<const Xapian::Database*>& shards);

// When a correction is offered: the query matches fewer than
// kSuggestBelowMatches articles and the corrected one matches more, either
// because the query matches nothing or because the correction matches at
// least kSuggestionGain times as many (so a rare but correct word is not
// second-guessed on a small index).
inline constexpr Xapian::doccount kSuggestBelowMatches = 10;
inline constexpr Xapian::doccount kSuggestionGain = 10;
bool worth_suggesting(Xapian::doccount matches, Xapian::doccount corrected_matches);

// Whether a query word found in `articles` articles may be replaced by a
// spelling correction found in `correction_articles`: always when the index
// lacks the word; when it holds it, only when the word is very rare (in at
// most kRareWordArticles articles, a typo in the articles themselves) and
// the correction kMisspellingRarity times as frequent. 'chirac' in 7 BBC
// articles is no misspelling of 'china' in 92. (A word that names someone or
// something in the gazetteer is never replaced: QueryBuilder::corrected_query.)
inline constexpr Xapian::doccount kRareWordArticles = 3;
inline constexpr Xapian::doccount kMisspellingRarity = 100;
bool worth_correcting(Xapian::doccount articles, Xapian::doccount correction_articles);

} // namespace pundit
