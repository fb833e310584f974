// Turns what the user typed into a Xapian::Query: the query string in
// Xapian's syntax (AND/OR/NOT, "phrases", NEAR, trailing wildcards, field
// prefixes title:, author:, source:) plus the filter options. Every word is
// normalised with the same Normaliser as the indexer before Xapian's
// QueryParser sees it, so "Erdoğan", "ERDOGAN" and "erdogan" are one query.
// Not for running the query (searcher.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "pundit/error.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/normaliser.hpp"
#include "pundit/spelling.hpp"
#include "pundit/timeline.hpp"

namespace pundit {

// How hits are ordered. `relevance` is the default: by weight for a search
// with words (or --like); a search without words has no weights, and lists
// by prominence when it filters by entity, else newest first (the order the
// searcher settles on is in SearchResults::sort).
enum class SortOrder { relevance, newest, oldest, prominence };

// Parses "relevance", "newest", "oldest" or "prominence"; throws Error(query)
// otherwise. sort_order_name is the reverse.
SortOrder parse_sort_order(const std::string& name);
const char* sort_order_name(SortOrder order);

// Ranks the matches of `query` by how prominent the entities of its
// leader:, country: and org: terms are in them (schema::prominence_level):
// the query, weightless, and beside it the prominence terms of those
// entities, each weighing its level under Xapian::CoordWeight, so that a
// match weighs the sum of the levels of the entities it names. Stock query
// operators and weighting: it runs on remote shards too. Nullopt when the
// query names no entity.
std::optional<Xapian::Query> rank_by_prominence(const Xapian::Query& query);

struct QuerySpec {
    std::string query;                 // Xapian query syntax; empty = every article
    // Words without an operator between them: any of them matches and the
    // ranking sorts it out (a pasted sentence, a list of alternatives),
    // instead of all of them (the default). Such a query also ranks higher
    // the articles where its words stand close together (kProximityWindow)
    // and lets a demonym match its country ("Algerian" finds "Algeria").
    bool match_any = false;
    // Dates as given: a day, month or year ("2016-03-05", "2016-03",
    // "2016"), from the first day of the period since, to its last until;
    // resolve_dates reads them.
    std::optional<std::string> since;
    std::optional<std::string> until;
    std::vector<std::string> authors;  // any of these (an article has one author)
    std::vector<std::string> sources;  // any of these
    std::vector<std::string> languages; // any of these language codes (en, ru, zh, ...)
    // Entity drill-down: names as the user gave them (any alias, any case);
    // every one must match, so two leaders means articles about both.
    std::vector<std::string> leaders;
    std::vector<std::string> countries;
    std::vector<std::string> organisations;
    // Only articles first added to the index at or after this time (seconds
    // since the epoch, schema::kAddedSlot): a saved search's "what is new".
    std::optional<std::int64_t> added_since;
    // Facets to count over the whole match set: leader, country, org,
    // author, source, year.
    std::vector<std::string> facets;
    std::size_t facet_limit = 10; // values listed per facet; 0 = all
    // Count the matches per year or month over the whole match set (see
    // timeline.hpp), from the date value slot.
    std::optional<TimelinePeriod> timeline;
    SortOrder sort = SortOrder::relevance;
    Xapian::doccount offset = 0;
    Xapian::doccount limit = 10;
    // More like this: articles similar to the stored article with this id
    // (similar.hpp), ranked by similarity; the query words and filters
    // only narrow them down. Empty: an ordinary search.
    std::string like;
    // Fold identical articles (same schema::kFingerprintSlot) into one hit,
    // the best placed, which names the others (Hit::duplicates). Totals,
    // facets and the timeline count every match all the same, as
    // Elasticsearch's field collapsing does.
    bool collapse = true;
};

// The date filters of a QuerySpec as days, both inclusive.
struct DateRange {
    std::optional<std::string> since; // "YYYY-MM-DD"
    std::optional<std::string> until; // "YYYY-MM-DD"
};

// The first day of spec.since's period and the last of spec.until's
// (date.hpp: parse_period). Throws Error(query) for a value that is no day,
// month or year, and for a since after the until, which could match nothing.
DateRange resolve_dates(const QuerySpec& spec);

// Words the query parser drops outside phrases and explicit operators ("the",
// "of", "what", ...) unless nothing else is left: they match nearly every
// article, slow the match down and, in a long OR query, skew the ranking.
const std::vector<std::string>& query_stopwords();

// Supplies the gazetteer when a query first needs it (an entity filter, or
// the demonyms of a match_any query): plain keyword queries never pay for
// loading it.
using GazetteerSource = std::function<std::shared_ptr<const Gazetteer>()>;
// Supplies the countries' names and demonyms for match_any queries; without
// one they come from the whole gazetteer (GazetteerSource).
using CountryFormsSource = std::function<std::vector<CountryForms>()>;
// The articles dated from `low` to `high` (date values, "YYYYMMDD"; empty:
// unbounded) as a query of weight 0, when the source can tell them faster
// than the date slot is read match by match; nullopt when it cannot.
using DateFilterSource = std::function<std::optional<Xapian::Query>(const std::string& low, const std::string& high)>;

class QueryBuilder {
public:
    // `db` is used to expand wildcards; it must outlive the builder.
    QueryBuilder(const Xapian::Database& db, GazetteerSource gazetteer = {});
    // Where match_any queries get the demonyms from, instead of the whole
    // gazetteer (Gazetteer::load_country_forms is much quicker to read).
    void set_country_forms_source(CountryFormsSource source) { m_country_forms_source = std::move(source); }
    // Where date filters come from before the date slot's value range.
    void set_date_filter_source(DateFilterSource source) { m_date_filter_source = std::move(source); }
    ~QueryBuilder();

    // Builds the query with its filters. Throws Error(query) for an invalid
    // date, a filter value with no words, or a query over the limits below;
    // a query string the parser rejects is parsed again as plain words.
    Xapian::Query build(const QuerySpec& spec);

    // The proximity bonus of the last query built (match_any; empty
    // otherwise): weight added to those of its matches where its words stand
    // close together. It matches articles the query does not (the words of
    // an OR near each other, but not as the phrase asked for), so it is
    // never ORed into the query: the searcher weighs the query's best
    // matches with it (Searcher, kRerankDepth).
    const Xapian::Query& bonus() const { return m_bonus; }

    // What the user should know about the last query built: wildcards that
    // match more words than are searched.
    const std::vector<std::string>& warnings() const { return m_warnings; }

    // How the last query built read what the user typed: an entity name that
    // several entities share, taken as the one with by far the most articles
    // (entity_resolution.hpp). Each note once, in the order met.
    const std::vector<std::string>& notes() const { return m_notes; }

    // The query string with every word normalised and the syntax kept:
    // "Erdoğan AND title:“NATO”" -> "erdogan AND title:\"nato\"".
    std::string normalise_query(const std::string& query);

    // The normalised query with each word of a field whose stems are not
    // indexed (schema::FieldStems::vocabulary) replaced by the field's words
    // in the index that share its stem: title:sanction becomes
    // title:(Sanctions OR Sanction OR Sanctioned), capitalised so that the
    // parser takes them as written. A word with one form or none, a
    // wildcard, a hyphenated word and the words of a phrase stay as they
    // are. At most kMaxStemmedFieldWords words are looked up (a warning
    // says when more are left as written).
    std::string expand_field_stems(const std::string& normalised);

    // The query string with misspelt words replaced by Xapian's spelling
    // suggestions (on normalised words, from the index's spelling table),
    // the syntax kept: "Putn AND title:sanctons leader:putin" ->
    // "putin AND title:sanctions leader:putin". Filters (leader:, country:,
    // org:) are left as they are, and so is every word that names someone
    // or something in the gazetteer, or that the index holds but for a very
    // rare typo (worth_correcting in spelling.hpp): 'chirac' is never
    // 'china'. Empty when no word needs correcting or the query cannot be
    // parsed.
    std::string corrected_query(const std::string& query);

    // Throws Error(query) for an --author or --source value that no article
    // of the index has, naming the index's values closest to it
    // (field_values.hpp): "unknown source 'washpost'; did you mean
    // Washington Post?". An empty result would hide the typo. The searcher
    // checks before it builds; build() does not, so that a query can be
    // built without an index to check against.
    void check_field_values(const QuerySpec& spec);

    // The filter for one entity name ("erdogan", "AMLO", "George W. Bush").
    // A name several entities share is settled by their articles in the
    // index, with a note (notes()); throws Error(query) when the name is
    // unknown or none of its namesakes dominates (resolve_entity_name).
    Xapian::Query entity_filter(EntityKind kind, const std::string& name);

    // The one entity `name` names (as for entity_filter, with the same note
    // and errors).
    const Entity& resolve_entity(EntityKind kind, const std::string& name);

    // Keeps a field processor's error to throw once the parser has returned.
    void note_field_error(const Error& error) {
        if (!m_field_error) m_field_error = error;
    }

private:
    // The phrase of `value`'s words under `prefix` (a free-text field's);
    // throws Error(query) naming `option` when the value has no words.
    Xapian::Query field_phrase(const std::string& value, const std::string& prefix, const char* option);
    // Any of `values` (field_phrase).
    Xapian::Query field_filter(const std::vector<std::string>& values, const std::string& prefix, const char* option);
    // Whether `filter` matches at least one article of the index.
    bool matches_any_article(const Xapian::Query& filter);
    // The error for a value of an author or source no article has, naming
    // the values of value slot `slot` closest to it.
    [[noreturn]] void throw_unknown_value(const std::string& value, const char* noun, Xapian::valueno slot);
    // Checks the wildcards of a normalised query: how many, and how far each expands.
    void check_wildcards(const std::string& normalised);
    // The words of the field with term prefix `prefix` that stem as `word`
    // does, the most frequent first (at most kMaxStemForms); none for a
    // word that is not stemmed (a number, a word of a script without
    // capitals, whose stems are indexed).
    std::vector<std::string> stem_forms(const std::string& prefix, const std::string& word);
    const Gazetteer& gazetteer();
    // Whether Xapian's spelling correction of a query word is worth
    // offering: never for a word of a name in the gazetteer (m_name_words),
    // else as spelling.hpp's worth_correcting says from the articles that
    // hold each.
    bool worth_correcting(const std::string& word, const std::string& correction);
    // match_any: each word of `query` and the next kProximitySpan words,
    // within kProximityWindow positions of each other, as a bonus worth
    // kProximityWeight of their weight. Empty with fewer than two words.
    Xapian::Query proximity_bonus(const Xapian::Query& query);
    // match_any: each word of the top-level OR that is a country's demonym
    // becomes a synonym of the country's name and demonyms, so "Algerian
    // vote" also finds "Algeria votes". The words match as written when
    // there is no gazetteer.
    Xapian::Query match_demonyms(const Xapian::Query& query);

    GazetteerSource m_gazetteer_source;
    CountryFormsSource m_country_forms_source;
    DateFilterSource m_date_filter_source;
    std::shared_ptr<const Gazetteer> m_gazetteer;

    Xapian::Database m_db;
    std::vector<std::string> m_warnings;
    std::vector<std::string> m_notes;
    // The entity filters this search resolved, by kind and name as given:
    // the searcher resolves them again for the facets (filters).
    std::map<std::pair<EntityKind, std::string>, const Entity*> m_resolved;
    // The first error of a field processor during parse_query (see there).
    std::optional<Error> m_field_error;
    Xapian::Query m_bonus; // of the last query built
    Normaliser m_normaliser;
    Xapian::QueryParser m_parser;
    Xapian::SimpleStopper m_stopper;
    // Stemmed term of a demonym ("Zalgerian") -> the terms or phrases
    // (exact words) of its country's name and other demonyms. Built on
    // the first match_any query; empty without a gazetteer.
    std::optional<std::unordered_map<std::string, std::vector<std::vector<std::string>>>> m_demonyms;
    // The words of the names and aliases in the gazetteer, set up when a
    // correction is first judged; null without a gazetteer.
    std::optional<std::unique_ptr<GazetteerNameWords>> m_name_words;
    std::optional<Xapian::Stem> m_stemmer; // stem_forms', made when first needed
};

// The proximity bonus of match_any queries: two query words (stopwords and
// excluded words aside) count again, at kProximityWeight of their weight, in
// a match where they occur within kProximityWindow positions of each other;
// each word is paired with the kProximitySpan words after it. Measured with
// scripts/eval-ranking (IneB2, demonyms on): windows of 10 to 20 and weights
// of 0.1 to 0.25 all gain on the news collection (TIME MAP 0.685 to 0.703,
// from 0.680 without); a weight of 0.25 with a window of 10 or 15 puts NPL
// below raw Xapian, its abstracts being short enough for most pairs to be
// near anyway.
inline constexpr Xapian::termcount kProximityWindow = 15;
inline constexpr std::size_t kProximitySpan = 2;
inline constexpr double kProximityWeight = 0.2;
// Only the first this many words of a query get the bonus: each pair is a
// NEAR test of every candidate, so a pasted page of text (4 KB, some 600
// words) cost 2 s at 8,900 articles, and a NEAR word costs about 15 times a
// plain one. 64 words bound it as the 64-word limit on phrases does
// (query_builder.cpp), and cover every query of the evaluation collections
// but CISI's longest: its MAP went from 0.2184 to 0.2183, the others' not at
// all (scripts/eval-ranking). The 4 KB page then takes 0.16 s instead of 0.51
// at 2,226 articles.
inline constexpr std::size_t kProximityWords = 64;

// Longest query string accepted, and deepest nesting of parentheses: a
// hostile or runaway query gets a clear error instead of tying up the
// matcher (or the parser's recursion).
inline constexpr std::size_t kMaxQueryBytes = 4096;
inline constexpr int kMaxQueryNesting = 32;

// Wildcards expand to at most this many terms (the most frequent ones), so
// "a*" cannot blow up a query; and a query may hold at most kMaxQueryWildcards
// of them ("a* a* a* ..." within kMaxQueryBytes would otherwise OR together a
// million terms: 40 s and 3 GB in our measurement).
inline constexpr Xapian::termcount kMaxWildcardTerms = 1000;
inline constexpr std::size_t kMaxQueryWildcards = 16;

// A headline word (schema::FieldStems::vocabulary) searches for at most
// kMaxStemForms of the headline words that share its stem, the most
// frequent; finding them reads at most kMaxStemScan terms of the
// vocabulary, and a query looks up at most kMaxStemmedFieldWords words, so
// that a 4 KB query of title: words stays cheap.
inline constexpr std::size_t kMaxStemForms = 16;
inline constexpr std::size_t kMaxStemScan = 5000;
inline constexpr std::size_t kMaxStemmedFieldWords = 32;

// Positional matching reads the positions of every word of a phrase, ADJ or
// NEAR group in every article that holds them all, and a 4 KB query can hold
// 455 such words: "the NEAR the NEAR ..." took 1.5 s of CPU at 2,225
// articles and 6.1 s at 8,900, growing with the index. So a query may hold
// at most kMaxPositionalWords words in phrases, ADJ and NEAR groups, added
// up over all of them (many short groups cost as much as one long one), and
// of those at most kMaxNearWords in NEAR groups, whose matcher costs about
// fifteen times as much per word as an exact phrase's. Measured on the BBC
// News collection (2,225 articles, and 8,900 as four copies) with the
// costliest word, "the", every match counted (--facet year):
//   - a pasted quoted sentence fits: 64 words hold 99.5% of the collection's
//     sentences (the median is 21 words, 99% have at most 57; 32 words
//     would hold only 88.5%), and 99.8% of the sample corpus's;
//   - the largest phrase allowed, 64 words, takes 0.03 s at 2,225 articles
//     and 0.09 s at 8,900;
//   - the largest NEAR group allowed, 16 words, takes 0.08 s and 0.34 s,
//     about what the longest plain query the byte limit allows already
//     costs (430 words ORed: 0.29 s at 8,900).
// Xapian 1.4 cannot stop a match after a time (Enquire::set_time_limit only
// stops counting matches past the page, and a NEAR group that matches
// nothing must still test every candidate), so these limits are the bound.
inline constexpr std::size_t kMaxPositionalWords = 64;
inline constexpr std::size_t kMaxNearWords = 16;

} // namespace pundit
