#include "pundit/field_values.hpp"

#include <algorithm>
#include <tuple>

#include "pundit/edit_distance.hpp"

namespace pundit {
namespace {

// The normalised words of `text`, and the same run together.
struct Key {
    std::vector<std::string> words;
    std::string joined;
};

Key key_of(const std::string& text, Normaliser& normaliser) {
    Key key;
    for (const Token& token : normaliser.tokenise(text)) {
        key.words.push_back(token.text);
        key.joined += token.text;
    }
    return key;
}

std::size_t letters(const std::string& utf8) {
    std::size_t n = 0;
    for (Xapian::Utf8Iterator it(utf8), end; it != end; ++it) ++n;
    return n;
}

// Whether `short_form` is `full` with letters left out, starting as it does.
bool shortens(const std::string& short_form, const std::string& full) {
    if (short_form.size() < 2 || short_form.size() >= full.size() || short_form.front() != full.front()) return false;
    std::size_t at = 0;
    for (char c : full) {
        if (at < short_form.size() && c == short_form[at]) ++at;
    }
    return at == short_form.size();
}

} // namespace

std::vector<std::string> close_values(const std::string& typed, const std::vector<FieldValue>& values,
                                      Normaliser& normaliser) {
    const Key wanted = key_of(typed, normaliser);
    if (wanted.joined.empty()) return {};
    std::vector<std::string> sorted_words = wanted.words;
    std::sort(sorted_words.begin(), sorted_words.end());
    const std::size_t typo_edits = std::max<std::size_t>(1, letters(wanted.joined) / kLettersPerValueTypo);
    // (a shortening, edits, minus the articles, the value): the closest first.
    std::vector<std::tuple<bool, std::size_t, long long, const std::string*>> close;
    for (const FieldValue& candidate : values) {
        const Key key = key_of(candidate.value, normaliser);
        if (key.joined.empty()) continue;
        std::vector<std::string> words = key.words;
        std::sort(words.begin(), words.end());
        const long long rank = -static_cast<long long>(candidate.articles);
        // The value's words from any one on: "guardain" is a typo of "The
        // Guardian" too, and "harbpost" a shortening of "The Harbour Post".
        std::size_t edits = std::string::npos;
        bool shortened = false;
        std::string tail;
        for (std::size_t w = key.words.size(); w-- > 0;) {
            tail = key.words[w] + tail;
            edits = std::min(edits, edit_distance(wanted.joined, tail));
            shortened = shortened || shortens(wanted.joined, tail);
        }
        if (words == sorted_words) {
            close.emplace_back(false, 0, rank, &candidate.value);
        } else if (edits <= typo_edits) {
            close.emplace_back(false, edits, rank, &candidate.value);
        } else if (shortened) {
            close.emplace_back(true, 0, rank, &candidate.value);
        }
    }
    std::sort(close.begin(), close.end(), [](const auto& a, const auto& b) {
        if (std::get<0>(a) != std::get<0>(b)) return !std::get<0>(a);
        if (std::get<1>(a) != std::get<1>(b)) return std::get<1>(a) < std::get<1>(b);
        if (std::get<2>(a) != std::get<2>(b)) return std::get<2>(a) < std::get<2>(b);
        return *std::get<3>(a) < *std::get<3>(b);
    });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < close.size() && out.size() < kSuggestedValues; ++i) out.push_back(*std::get<3>(close[i]));
    return out;
}

std::vector<FieldValue> field_values(const Xapian::Database& db, Xapian::valueno slot) {
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query::MatchAll);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    Xapian::ValueCountMatchSpy spy(slot);
    enquire.add_matchspy(&spy);
    enquire.get_mset(0, 0, db.get_doccount());
    std::vector<FieldValue> out;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) out.push_back(FieldValue{*it, it.get_termfreq()});
    return out;
}

} // namespace pundit
