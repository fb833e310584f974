#include "pundit/spelling.hpp"

#include <algorithm>
#include <unordered_set>

#include "pundit/normaliser.hpp"
#include "pundit/query_builder.hpp"
#include "pundit/schema.hpp"
#include "pundit/stemmer.hpp"

namespace pundit {
namespace {

// Each distinct name of `entity` once, into `names`, for the two users of
// the names' words to take the same ones: the canonical name is among the
// aliases unless make_names_unique added a country to it, and most
// countries list their official name among their aliases too, which would
// count its words twice.
void distinct_names(const Entity& entity, std::vector<const std::string*>& names) {
    names.assign(1, &entity.name);
    for (const std::string& alias : entity.aliases) {
        if (std::none_of(names.begin(), names.end(), [&](const std::string* n) { return *n == alias; })) {
            names.push_back(&alias);
        }
    }
}

} // namespace

bool is_spelling_word(std::string_view word) {
    if (word.size() < kMinSpellingWordBytes || word.size() > kMaxSpellingWordBytes) return false;
    if (std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
    const std::string text(word);
    // Letters first: the same test that decides whether a word is stemmed.
    if (!should_stem(text)) return false;
    static const std::unordered_set<std::string> kStopwords(query_stopwords().begin(), query_stopwords().end());
    return kStopwords.count(text) == 0;
}

SpellingWords gazetteer_spelling_words(const Gazetteer& gazetteer) {
    Normaliser normaliser;
    SpellingWords words;
    std::vector<const std::string*> names;
    std::vector<Token> tokens;
    for (const Entity& entity : gazetteer.entities()) {
        distinct_names(entity, names);
        for (const std::string* name : names) {
            tokens.clear();
            normaliser.tokenise(*name, tokens);
            for (const Token& token : tokens) ++words[token.text];
        }
    }
    return words;
}

GazetteerNameWords::GazetteerNameWords(const Gazetteer& gazetteer) {
    std::vector<const std::string*> names;
    for (const Entity& entity : gazetteer.entities()) {
        distinct_names(entity, names);
        for (const std::string* name : names) m_names.emplace_back(lookup_key(m_normaliser, *name), name);
    }
}

bool GazetteerNameWords::contains(const std::string& word) {
    if (auto known = m_answers.find(word); known != m_answers.end()) return known->second;
    // A word of a name has its letters in the name's key: a name whose key
    // lacks them is not segmented.
    const std::string key = lookup_key(m_normaliser, word);
    bool found = false;
    std::vector<Token> tokens;
    for (const auto& [name_key, name] : m_names) {
        if (key.empty() || name_key.find(key) == std::string::npos) continue;
        tokens.clear();
        m_normaliser.tokenise(*name, tokens);
        found = std::any_of(tokens.begin(), tokens.end(), [&](const Token& token) { return token.text == word; });
        if (found) break;
    }
    m_answers.emplace(word, found);
    return found;
}

void add_spelling_words(Xapian::WritableDatabase& db, const SpellingWords& words) {
    for (const auto& [word, count] : words) {
        if (count > 0 && is_spelling_word(word)) db.add_spelling(word, count);
    }
}

void add_index_words(Xapian::WritableDatabase& db, const std::vector<const Xapian::Database*>& shards) {
    // The general text's words are the unprefixed terms, which sort from
    // kFirstSpellingTerm on.
    const std::string kFirstWord(schema::kFirstSpellingTerm);
    std::vector<Xapian::TermIterator> at;
    std::vector<std::string> term; // each iterator's current term; "" when done
    for (const Xapian::Database* shard : shards) {
        at.push_back(shard->allterms_begin());
        at.back().skip_to(kFirstWord);
        term.push_back(at.back() == shard->allterms_end() ? std::string() : *at.back());
    }
    // A merge of the sorted term lists: each word once, its frequencies summed.
    while (true) {
        const std::string* least = nullptr;
        for (const std::string& t : term) {
            if (!t.empty() && (!least || t < *least)) least = &t;
        }
        if (!least) return;
        const std::string word = *least;
        Xapian::doccount articles = 0;
        for (std::size_t k = 0; k < at.size(); ++k) {
            if (term[k] != word) continue;
            articles += at[k].get_termfreq();
            ++at[k];
            term[k] = at[k] == shards[k]->allterms_end() ? std::string() : *at[k];
        }
        if (is_spelling_word(word)) db.add_spelling(word, articles);
    }
}

void SpellingCollector::merge(SpellingWords& words) {
    std::lock_guard lock(m_mutex);
    if (m_words.empty()) {
        m_words.swap(words);
        return;
    }
    for (const auto& [word, count] : words) m_words[word] += count;
    words.clear();
}

SpellingWords SpellingCollector::take() {
    std::lock_guard lock(m_mutex);
    SpellingWords out;
    out.swap(m_words);
    return out;
}

std::size_t SpellingCollector::size() {
    std::lock_guard lock(m_mutex);
    return m_words.size();
}

bool worth_suggesting(Xapian::doccount matches, Xapian::doccount corrected_matches) {
    if (matches >= kSuggestBelowMatches || corrected_matches <= matches) return false;
    return matches == 0 || corrected_matches / kSuggestionGain >= matches;
}

bool worth_correcting(Xapian::doccount articles, Xapian::doccount correction_articles) {
    if (articles == 0) return true;
    return articles <= kRareWordArticles && correction_articles / kMisspellingRarity >= articles;
}

} // namespace pundit
