#include "pundit/query_builder.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

#include <xapian.h>

#include "pundit/clock.hpp"
#include "pundit/date.hpp"
#include "pundit/entity_resolution.hpp"
#include "pundit/error.hpp"
#include "pundit/field_values.hpp"
#include "pundit/schema.hpp"
#include "pundit/spelling.hpp"
#include "pundit/stemmer.hpp"
#include "pundit/text_format.hpp"

namespace pundit {
namespace {

// The entity fields a query holds without words (leader:x, or leader:x OR
// leader:y) as all documents filtered by them, where Xapian's parser scales
// them to weight 0: a term that Xapian need not weigh and that every
// document of a shard holds is read as the list of all documents, which
// Xapian 1.4.22 fails to walk past a gap in the document ids
// (counting_weight in schema.hpp). Both match at weight 0. Only the
// operators the parser puts around fields are rebuilt; the parser scales
// nothing else.
Xapian::Query unscale_boolean_fields(const Xapian::Query& query) {
    const Xapian::Query::op op = query.get_type();
    if (op == Xapian::Query::OP_SCALE_WEIGHT && query.get_num_subqueries() == 1) {
        return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query::MatchAll, query.get_subquery(0));
    }
    switch (op) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER: break;
    default: return query;
    }
    std::vector<Xapian::Query> parts;
    for (std::size_t k = 0; k < query.get_num_subqueries(); ++k) parts.push_back(unscale_boolean_fields(query.get_subquery(k)));
    return Xapian::Query(op, parts.begin(), parts.end());
}

constexpr unsigned kParseFlags = Xapian::QueryParser::FLAG_DEFAULT |
                                 Xapian::QueryParser::FLAG_WILDCARD |
                                 Xapian::QueryParser::FLAG_PURE_NOT;

bool is_operator(std::string_view word) {
    for (std::string_view op : {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"}) {
        if (word == op) return true;
    }
    return false;
}

bool is_quote(unsigned ch) {
    switch (ch) {
    case '"': case 0x201c: case 0x201d: case 0x201e: case 0x201f: case 0xab: case 0xbb:
    case 0xff02: case 0x300c: case 0x300d:
        return true;
    default:
        return false;
    }
}

// The words of a query's phrases, ADJ groups (both OP_PHRASE) and NEAR
// groups (OP_NEAR; the parser makes one group of a NEAR chain), added up
// over the whole query: many short groups cost as much as one long one.
struct PositionalWords {
    std::size_t all = 0;  // in phrases, ADJ and NEAR groups
    std::size_t near = 0; // in NEAR groups alone
};

void count_positional_words(const Xapian::Query& query, PositionalWords& words) {
    const Xapian::Query::op type = query.get_type();
    if (type == Xapian::Query::OP_PHRASE || type == Xapian::Query::OP_NEAR) {
        words.all += query.get_num_subqueries();
        if (type == Xapian::Query::OP_NEAR) words.near += query.get_num_subqueries();
    }
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) count_positional_words(query.get_subquery(i), words);
}

// Refuses a parsed query over kMaxNearWords or kMaxPositionalWords.
void check_positional_words(const Xapian::Query& query) {
    PositionalWords words;
    count_positional_words(query, words);
    if (words.near > kMaxNearWords) {
        throw Error(ErrorKind::query, "the query has " + std::to_string(words.near) +
                                          " words in NEAR groups; at most " + std::to_string(kMaxNearWords) +
                                          " are accepted");
    }
    if (words.all > kMaxPositionalWords) {
        throw Error(ErrorKind::query, "the query has " + std::to_string(words.all) +
                                          " words in phrases and NEAR or ADJ groups; at most " +
                                          std::to_string(kMaxPositionalWords) + " are accepted");
    }
}

// A query of negated words, phrases, groups and fields alone ("-yukos",
// "-blair -\"gordon brown\" -title:iraq"), which Xapian 1.4's parser reads as
// the words themselves: each negated part with its '-' taken off, for
// build() to exclude from every article. Empty when anything at the top
// level of `normalised` is not negated, or nothing is.
std::vector<std::string> negated_parts(const std::string& normalised) {
    std::vector<std::string> parts;
    int depth = 0;
    bool in_quotes = false;
    bool between = true; // between two parts at the top level
    for (char c : normalised) {
        const bool top = !in_quotes && depth == 0;
        if (top && c == ' ') {
            between = true;
            continue;
        }
        if (top && between) {
            if (c != '-') return {};
            parts.emplace_back();
            between = false;
            continue;
        }
        if (c == '"') {
            in_quotes = !in_quotes;
        } else if (!in_quotes && c == '(') {
            ++depth;
        } else if (!in_quotes && c == ')' && depth > 0) {
            --depth;
        }
        parts.back().push_back(c);
    }
    // A '-' alone ("- x") is no negated part.
    if (std::any_of(parts.begin(), parts.end(), [](const std::string& part) { return part.empty(); })) return {};
    return parts;
}

// The first or last day ("YYYY-MM-DD") of the period a date filter names.
std::string checked_period(const std::string& text, const char* option, PeriodEnd end) {
    std::optional<std::string> day = parse_period(text, end);
    if (!day) {
        throw Error(ErrorKind::query, std::string("invalid date for ") + option + ": '" + text +
                                          "' (expected YYYY-MM-DD, YYYY-MM or YYYY)");
    }
    return *day;
}

} // namespace

DateRange resolve_dates(const QuerySpec& spec) {
    DateRange range;
    if (spec.since) range.since = checked_period(*spec.since, "--since", PeriodEnd::start);
    if (spec.until) range.until = checked_period(*spec.until, "--until", PeriodEnd::end);
    if (range.since && range.until && *range.since > *range.until) {
        // An empty result would read as "nothing was written then".
        auto shown = [](const std::string& given, const std::string& day) {
            return given == day ? "'" + given + "'" : "'" + given + "' (" + day + ")";
        };
        throw Error(ErrorKind::query, "--since " + shown(*spec.since, *range.since) + " is after --until " +
                                          shown(*spec.until, *range.until));
    }
    return range;
}

SortOrder parse_sort_order(const std::string& name) {
    if (name == "relevance") return SortOrder::relevance;
    if (name == "newest") return SortOrder::newest;
    if (name == "oldest") return SortOrder::oldest;
    if (name == "prominence") return SortOrder::prominence;
    throw Error(ErrorKind::query, "unknown sort order '" + name + "' (expected relevance, newest, oldest or prominence)");
}

const char* sort_order_name(SortOrder order) {
    switch (order) {
    case SortOrder::relevance: return "relevance";
    case SortOrder::newest: return "newest";
    case SortOrder::oldest: return "oldest";
    case SortOrder::prominence: return "prominence";
    }
    return "relevance";
}

std::optional<Xapian::Query> rank_by_prominence(const Xapian::Query& query) {
    std::vector<Xapian::Query> levels;
    for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
        const std::string& term = *it;
        for (std::size_t kind = 0; kind < schema::kEntityPrefixes.size(); ++kind) {
            const std::string_view prefix = schema::kEntityPrefixes[kind];
            if (!term.starts_with(prefix)) continue;
            const std::string_view id = std::string_view(term).substr(prefix.size());
            for (unsigned level = 1; level <= schema::kMaxProminenceLevel; ++level) {
                levels.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                                    Xapian::Query(schema::prominence_term(kind, level, id)), level);
            }
        }
    }
    if (levels.empty()) return std::nullopt;
    // The matches at weight 0 as all documents filtered by them, not scaled
    // to 0 (see the filters alone in build).
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE,
                         Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query::MatchAll, query),
                         Xapian::Query(Xapian::Query::OP_OR, levels.begin(), levels.end()));
}

const std::vector<std::string>& query_stopwords() {
    // Snowball's English stop list (snowballstem.org/algorithms/english/stop.txt),
    // in its order. Questions and sentences typed or pasted as queries ("what
    // countries have newly joined the united nations") are half such words; kept,
    // they match nearly every article and add weight to those that repeat them.
    static const std::vector<std::string> kWords{
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
        "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
        "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
        "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
        "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "would",
        "should", "could", "ought", "i'm", "you're", "he's", "she's", "it's", "we're", "they're",
        "i've", "you've", "we've", "they've", "i'd", "you'd", "he'd", "she'd", "we'd", "they'd",
        "i'll", "you'll", "he'll", "she'll", "we'll", "they'll", "isn't", "aren't", "wasn't",
        "weren't", "hasn't", "haven't", "hadn't", "doesn't", "don't", "didn't", "won't",
        "wouldn't", "shan't", "shouldn't", "can't", "cannot", "couldn't", "mustn't", "let's",
        "that's", "who's", "what's", "here's", "there's", "when's", "where's", "why's", "how's",
        "a", "an", "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at",
        "by", "for", "with", "about", "against", "between", "into", "through", "during", "before",
        "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over",
        "under", "again", "further", "then", "once", "here", "there", "when", "where", "why",
        "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no",
        "nor", "not", "only", "own", "same", "so", "than", "too", "very"};
    return kWords;
}

namespace {

// Resolves `leader:NAME` (and country:, org:) inside a query string.
class EntityFieldProcessor : public Xapian::FieldProcessor {
public:
    EntityFieldProcessor(QueryBuilder& builder, EntityKind kind) : m_builder(builder), m_kind(kind) {}
    // An error is kept for the builder to throw once the parser has
    // returned: an exception through Xapian's QueryParser leaks its state
    // (found by fuzz_query_builder).
    Xapian::Query operator()(const std::string& value) override {
        try {
            return m_builder.entity_filter(m_kind, value);
        } catch (const Error& e) {
            m_builder.note_field_error(e);
            return Xapian::Query::MatchNothing;
        }
    }

private:
    QueryBuilder& m_builder;
    EntityKind m_kind;
};

// Rewrites the phrases of fields that keep no positions (schema::TextField::
// positions) for the parser: title:"belt and road" becomes
// ("belt and road" AND title:belt AND title:and AND title:road), the phrase
// in the general text, where a field's words sit at the same positions, and
// each word in the field; so does a hyphenated word, title:jong-un. Only a
// headline whose words are all there but not side by side, in an article
// whose body holds the phrase, matches where the field's own positions would
// not. Phrases inside a bracketed group, title:("a b" c), are left alone.
std::string rewrite_unpositioned_phrases(const std::string& normalised) {
    std::string out;
    std::size_t pos = 0;
    while (pos < normalised.size()) {
        // The next "field:" of a field without positions, at a word's start.
        std::size_t best = std::string::npos;
        std::string_view field;
        for (std::size_t colon = normalised.find(':', pos); colon != std::string::npos;
             colon = normalised.find(':', colon + 1)) {
            const std::size_t before = normalised.find_last_of(" (+-\"", colon);
            const std::size_t start = before == std::string::npos ? 0 : before + 1;
            const schema::TextField* f = schema::text_field(std::string_view(normalised).substr(start, colon - start));
            if (start >= pos && f && !f->positions && !f->prefix.empty()) {
                best = start;
                field = f->name;
                break;
            }
        }
        if (best == std::string::npos) break;
        const std::size_t start = best + field.size() + 1;
        std::string phrase;
        std::size_t end = start;
        if (start < normalised.size() && normalised[start] == '"') {
            const std::size_t close = normalised.find('"', start + 1);
            end = close == std::string::npos ? normalised.size() : close + 1;
            phrase = normalised.substr(start + 1, (close == std::string::npos ? normalised.size() : close) - start - 1);
        } else {
            end = normalised.find_first_of(" ()\"", start);
            if (end == std::string::npos) end = normalised.size();
            phrase = normalised.substr(start, end - start);
            if (phrase.find('-') == std::string::npos || phrase.find('*') != std::string::npos) phrase.clear();
        }
        std::vector<std::string> words;
        for (std::size_t i = 0; i < phrase.size();) {
            const std::size_t cut = phrase.find_first_of(" -", i);
            const std::size_t stop = cut == std::string::npos ? phrase.size() : cut;
            if (stop > i) words.push_back(phrase.substr(i, stop - i));
            i = stop + 1;
        }
        out.append(normalised, pos, best - pos);
        if (words.empty()) {
            out.append(normalised, best, end - best);
        } else {
            out += "(\"" + phrase + "\"";
            for (const std::string& word : words) out += " AND " + std::string(field) + ":" + word;
            out += ")";
        }
        pos = end;
    }
    out.append(normalised, std::min(pos, normalised.size()), std::string::npos);
    return out;
}

// A query string cut into the text between words and the words, in turn:
// the pieces at odd positions are words (field names among them).
std::vector<std::string> split_words(const std::string& query) {
    std::vector<std::string> pieces(1);
    bool in_word = false;
    for (char c : query) {
        const bool word = std::string_view(" ()\"+-:*/").find(c) == std::string_view::npos;
        if (word != in_word) {
            pieces.emplace_back();
            in_word = word;
        }
        pieces.back().push_back(c);
    }
    return pieces;
}

// Whether `piece` (the text between two spaces, brackets or quotes) starts
// with the name of a field whose stems are looked up in the vocabulary
// (schema::FieldStems::vocabulary) and its colon, after any '+' or '-': the
// length of that start, or 0.
std::size_t vocabulary_field_at(std::string_view piece, std::string& prefix) {
    const std::size_t signs = piece.find_first_not_of("+-");
    if (signs == std::string_view::npos) return 0;
    const std::size_t colon = piece.find(':', signs);
    if (colon == std::string_view::npos) return 0;
    const schema::TextField* field = schema::text_field(piece.substr(signs, colon - signs));
    if (!field || field->stems != schema::FieldStems::vocabulary) return 0;
    prefix = field->prefix;
    return colon + 1;
}

} // namespace

std::vector<std::string> QueryBuilder::stem_forms(const std::string& prefix, const std::string& word) {
    if (!should_stem(word) || !has_capital(word)) return {};
    if (!m_stemmer) m_stemmer = make_stemmer();
    const std::string stem = (*m_stemmer)(word);
    // A Snowball stem begins every word it stems from, but for a final 'y'
    // that it turns into 'i' ("happy" -> "happi") and a few exceptions
    // ("dying" -> "die"), for which the word itself is looked up.
    std::string start = prefix + (stem.ends_with('i') ? stem.substr(0, stem.size() - 1) : stem);
    std::vector<std::pair<Xapian::doccount, std::string>> forms;
    std::size_t scanned = 0;
    auto consider = [&](const std::string& term, Xapian::doccount frequency) {
        const std::string form = term.substr(prefix.size());
        if (should_stem(form) && (*m_stemmer)(form) == stem &&
            std::none_of(forms.begin(), forms.end(), [&](const auto& f) { return f.second == form; })) {
            forms.emplace_back(frequency, form);
        }
    };
    for (auto it = m_db.allterms_begin(start); it != m_db.allterms_end(start) && scanned < kMaxStemScan;
         ++it, ++scanned) {
        consider(*it, it.get_termfreq());
    }
    if (const Xapian::doccount own = m_db.get_termfreq(prefix + word); own > 0) consider(prefix + word, own);
    // The most frequent forms first, then by spelling: a stable query.
    std::sort(forms.begin(), forms.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    if (forms.size() > kMaxStemForms) forms.resize(kMaxStemForms);
    std::vector<std::string> out;
    for (auto& form : forms) out.push_back(std::move(form.second));
    return out;
}

std::string QueryBuilder::expand_field_stems(const std::string& normalised) {
    std::string out;
    // For each open bracket: the prefix of the vocabulary field whose words
    // it groups, as in title:(sanctions OR tariffs), or "".
    std::vector<std::string> groups;
    std::string opening; // the field of a "title:" right before a bracket
    bool in_quotes = false;
    std::size_t looked_up = 0;
    std::size_t i = 0;
    while (i < normalised.size()) {
        const char c = normalised[i];
        if (c == '"' || c == '(' || c == ')' || c == ' ') {
            if (c == '"') in_quotes = !in_quotes;
            if (c == '(' && !in_quotes) groups.push_back(!opening.empty() || groups.empty() ? opening : groups.back());
            if (c == ')' && !in_quotes && !groups.empty()) groups.pop_back();
            opening.clear();
            out.push_back(c);
            ++i;
            continue;
        }
        std::size_t end = normalised.find_first_of(" ()\"", i);
        if (end == std::string::npos) end = normalised.size();
        const std::string_view piece = std::string_view(normalised).substr(i, end - i);
        i = end;
        std::string prefix;
        std::size_t word_at = in_quotes ? 0 : vocabulary_field_at(piece, prefix);
        if (word_at == 0 && !in_quotes && !groups.empty() && !groups.back().empty()) {
            prefix = groups.back();
            word_at = std::min(piece.find_first_not_of("+-"), piece.size());
        }
        const std::string_view word = piece.substr(word_at);
        if (word.empty() && !prefix.empty() && i < normalised.size() && normalised[i] == '(') opening = prefix;
        // A word the parser would read as one: no wildcard, hyphen or field.
        const bool plain = !prefix.empty() && !word.empty() && !is_operator(word) &&
                           word.find_first_of("+-:*/") == std::string_view::npos;
        std::vector<std::string> forms;
        if (plain && ++looked_up <= kMaxStemmedFieldWords) {
            forms = stem_forms(prefix, Xapian::Unicode::tolower(std::string(word)));
        }
        out.append(piece.substr(0, word_at));
        if (!plain) {
            out.append(word);
            continue;
        }
        // Capitalised: the parser takes each as written, not as a stem.
        if (forms.size() < 2) {
            out += capitalise(forms.empty() ? std::string(word) : forms.front());
            continue;
        }
        out.push_back('(');
        for (std::size_t f = 0; f < forms.size(); ++f) out += (f == 0 ? "" : " OR ") + capitalise(forms[f]);
        out.push_back(')');
    }
    if (looked_up > kMaxStemmedFieldWords) {
        m_warnings.push_back("the query has " + std::to_string(looked_up) + " headline words; the first " +
                             std::to_string(kMaxStemmedFieldWords) +
                             " match other forms of the word, the others only as written");
    }
    return out;
}

QueryBuilder::~QueryBuilder() = default;

const Gazetteer& QueryBuilder::gazetteer() {
    if (!m_gazetteer) {
        if (!m_gazetteer_source) throw Error(ErrorKind::query, "entity filters need a gazetteer");
        m_gazetteer = m_gazetteer_source();
    }
    return *m_gazetteer;
}

Xapian::Query QueryBuilder::entity_filter(EntityKind kind, const std::string& name) {
    const Entity& entity = resolve_entity(kind, name);
    return Xapian::Query(std::string(schema::kEntityPrefixes[static_cast<std::size_t>(kind)]) + entity.id);
}

const Entity& QueryBuilder::resolve_entity(EntityKind kind, const std::string& name) {
    if (auto known = m_resolved.find({kind, name}); known != m_resolved.end()) return *known->second;
    EntityResolution resolution = resolve_entity_name(gazetteer(), kind, name, m_db, m_normaliser);
    m_resolved.emplace(std::pair{kind, name}, resolution.entity);
    // A name may come twice (--leader bush and leader:bush), and the searcher
    // resolves the filters again for the facets.
    if (!resolution.note.empty() && std::find(m_notes.begin(), m_notes.end(), resolution.note) == m_notes.end()) {
        m_notes.push_back(std::move(resolution.note));
    }
    return *resolution.entity;
}

QueryBuilder::QueryBuilder(const Xapian::Database& db, GazetteerSource gazetteer)
    : m_gazetteer_source(std::move(gazetteer)), m_db(db) {
    for (const std::string& word : query_stopwords()) m_stopper.add(word);
    m_parser.set_database(db);
    m_parser.set_stemmer(make_stemmer());
    m_parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    m_parser.set_stopper(&m_stopper);
    m_parser.set_max_expansion(kMaxWildcardTerms, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    for (const schema::TextField& field : schema::kTextFields) {
        if (!field.prefix.empty()) m_parser.add_prefix(std::string(field.name), std::string(field.prefix));
    }
    // leader:, country:, org: filters. An article has many of each, so two
    // filters of one kind must both match (AND), not either (Xapian's default).
    for (EntityKind kind : {EntityKind::leader, EntityKind::country, EntityKind::organisation}) {
        const std::string empty_grouping;
        m_parser.add_boolean_prefix(std::string(schema::kEntityFieldNames[static_cast<std::size_t>(kind)]),
                                    (new EntityFieldProcessor(*this, kind))->release(), &empty_grouping);
    }
}

std::string QueryBuilder::normalise_query(const std::string& query) {
    std::vector<Token> tokens = m_normaliser.tokenise(query);
    std::string out;
    bool in_quotes = false;
    std::size_t pos = 0;
    // For each open bracket: whether it groups the words of an unstemmed
    // field, as in author:(kowalczyk OR mays).
    std::vector<bool> groups;

    // Whether `out` ends with the name of an unstemmed field and its colon.
    auto after_unstemmed_field = [&out] {
        if (out.empty() || out.back() != ':') return false;
        const std::size_t start = out.find_last_of(" (\"+-", out.size() - 1);
        const std::string_view name =
            std::string_view(out).substr(start == std::string::npos ? 0 : start + 1,
                                         out.size() - 1 - (start == std::string::npos ? 0 : start + 1));
        const schema::TextField* field = schema::text_field(name);
        return field && field->stems == schema::FieldStems::none;
    };

    // Rewrites the text between two words: keeps the query syntax the parser
    // needs, turns everything else into spaces.
    auto emit_gap = [&](std::string_view gap, bool word_before, bool word_after, bool after_proximity) {
        Xapian::Utf8Iterator it(gap.data(), gap.size()), end;
        bool first = true;
        while (it != end) {
            unsigned ch = *it;
            ++it;
            bool last = it == end;
            unsigned next = last ? 0 : *it;
            if (is_quote(ch)) {
                out.push_back('"');
                in_quotes = !in_quotes;
            } else if (ch == '(') {
                groups.push_back(after_unstemmed_field() || (!groups.empty() && groups.back()));
                out.push_back('(');
            } else if (ch == ')') {
                if (!groups.empty()) groups.pop_back();
                out.push_back(')');
            } else if ((ch == '+' || ch == '-') && last && word_after) {
                out.push_back(static_cast<char>(ch));
            } else if ((ch == '+' || ch == '-') && (is_quote(next) || next == '(') &&
                       (out.empty() || out.back() == ' ' || out.back() == '(')) {
                // A required or excluded phrase or group: +"...", -(...).
                out.push_back(static_cast<char>(ch));
            } else if (ch == ':' && first && word_before && (last ? word_after : (is_quote(next) || next == '('))) {
                out.push_back(':');
            } else if (ch == '*' && first && word_before) {
                out.push_back('*');
            } else if (ch == '/' && first && after_proximity && last && word_after) {
                out.push_back('/');
            } else if (out.empty() || out.back() != ' ') {
                out.push_back(' ');
            }
            first = false;
        }
    };

    std::string previous_original;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& token = tokens[i];
        bool adjacent = i > 0 && token.begin <= pos;
        if (!adjacent) {
            emit_gap(std::string_view(query).substr(pos, token.begin - pos), i > 0, true,
                     previous_original == "NEAR" || previous_original == "ADJ");
        }
        // Words written without a space between them (Chinese and Japanese
        // text) become a phrase, as they were one run of text.
        bool run_starts = !in_quotes && i + 1 < tokens.size() && tokens[i + 1].begin <= token.end &&
                          !adjacent;
        if (adjacent) out.push_back(' ');
        if (run_starts) out.push_back('"');
        std::string original = query.substr(token.begin, token.end - token.begin);
        if (is_operator(original)) {
            out += original;
        } else if (after_unstemmed_field() || (!groups.empty() && groups.back())) {
            // A name: the parser leaves a capitalised word unstemmed.
            out += capitalise(token.text);
        } else {
            out += token.text;
        }
        bool run_ends = !in_quotes && adjacent &&
                        (i + 1 == tokens.size() || tokens[i + 1].begin > token.end);
        if (run_ends) out.push_back('"');
        previous_original = original;
        pos = std::max(pos, token.end);
    }
    emit_gap(std::string_view(query).substr(std::min(pos, query.size())), !tokens.empty(), false, false);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    while (!out.empty() && out.front() == ' ') out.erase(out.begin());
    return out;
}

Xapian::Query QueryBuilder::field_phrase(const std::string& value, const std::string& prefix, const char* option) {
    std::vector<Xapian::Query> words;
    for (const Token& token : m_normaliser.tokenise(value)) words.emplace_back(prefix + token.text);
    if (words.empty()) {
        // It would silently match nothing.
        throw Error(ErrorKind::query, std::string(option) + " '" + value + "' has no words to match");
    }
    return Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(), static_cast<Xapian::termcount>(words.size()));
}

Xapian::Query QueryBuilder::field_filter(const std::vector<std::string>& values, const std::string& prefix,
                                         const char* option) {
    std::vector<Xapian::Query> alternatives;
    for (const std::string& value : values) alternatives.push_back(field_phrase(value, prefix, option));
    if (alternatives.empty()) return Xapian::Query::MatchNothing;
    return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
}

void QueryBuilder::check_field_values(const QuerySpec& spec) {
    struct Field {
        const std::vector<std::string>* values;
        std::size_t field;
        const char* option;
        const char* noun;
        Xapian::valueno slot;
    };
    const Field fields[] = {
        {&spec.authors, schema::kAuthorField, "--author", "author", schema::kAuthorSlot},
        {&spec.sources, schema::kSourceField, "--source", "source", schema::kSourceSlot},
    };
    for (const Field& f : fields) {
        const std::string prefix(schema::kTextFields[f.field].prefix);
        for (const std::string& value : *f.values) {
            if (!matches_any_article(field_phrase(value, prefix, f.option))) throw_unknown_value(value, f.noun, f.slot);
        }
    }
}

bool QueryBuilder::matches_any_article(const Xapian::Query& filter) {
    for (auto it = filter.get_unique_terms_begin(); it != filter.get_unique_terms_end(); ++it) {
        if (m_db.get_termfreq(*it) == 0) return false;
    }
    Xapian::Enquire enquire(m_db);
    enquire.set_query(filter);
    enquire.set_weighting_scheme(schema::counting_weight());
    return enquire.get_mset(0, 0, 1).get_matches_lower_bound() > 0;
}

void QueryBuilder::throw_unknown_value(const std::string& value, const char* noun, Xapian::valueno slot) {
    std::string message = std::string("unknown ") + noun + " '" + value + "'";
    const std::vector<std::string> near = close_values(value, field_values(m_db, slot), m_normaliser);
    if (near.empty()) {
        message += std::string(" (searcher --facet ") + noun + " --facet-limit 0 --limit 0 lists them all)";
    } else {
        message += "; did you mean ";
        for (std::size_t i = 0; i < near.size(); ++i) {
            message += (i == 0 ? "" : i + 1 == near.size() ? " or " : ", ") + near[i];
        }
        message += "?";
    }
    throw Error(ErrorKind::query, message);
}

void QueryBuilder::check_wildcards(const std::string& normalised) {
    // normalise_query keeps a '*' only right after a word.
    std::size_t wildcards = static_cast<std::size_t>(std::count(normalised.begin(), normalised.end(), '*'));
    if (wildcards > kMaxQueryWildcards) {
        throw Error(ErrorKind::query, "the query has " + std::to_string(wildcards) + " wildcards; at most " +
                                          std::to_string(kMaxQueryWildcards) + " are accepted");
    }
    for (std::size_t star = normalised.find('*'); star != std::string::npos; star = normalised.find('*', star + 1)) {
        std::size_t start = normalised.find_last_of(" ()\"+-", star);
        start = start == std::string::npos ? 0 : start + 1;
        std::string word = normalised.substr(start, star - start);
        std::string prefix;
        if (auto colon = word.find(':'); colon != std::string::npos) {
            const std::string field = word.substr(0, colon);
            word.erase(0, colon + 1);
            const schema::TextField* known = schema::text_field(field);
            if (!known) continue; // not a field that expands wildcards
            prefix = known->prefix;
        }
        if (word.empty()) continue;
        word = Xapian::Unicode::tolower(word); // capitalised in an unstemmed field
        // Count the words it matches, up to one past the limit.
        Xapian::termcount matches = 0;
        for (auto it = m_db.allterms_begin(prefix + word); it != m_db.allterms_end(prefix + word); ++it) {
            if (++matches > kMaxWildcardTerms) break;
        }
        if (matches > kMaxWildcardTerms) {
            m_warnings.push_back("the wildcard '" + normalised.substr(start, star + 1 - start) + "' matches more than " +
                                 format_count(kMaxWildcardTerms) + " words; only the " +
                                 format_count(kMaxWildcardTerms) + " most frequent are searched");
        }
    }
}

Xapian::Query QueryBuilder::build(const QuerySpec& spec) {
    Xapian::Query query = Xapian::Query::MatchAll;
    bool blank = spec.query.find_first_not_of(" \t\r\n") == std::string::npos;
    if (spec.query.size() > kMaxQueryBytes) {
        throw Error(ErrorKind::query, "the query is " + std::to_string(spec.query.size()) + " bytes long; at most " +
                                          std::to_string(kMaxQueryBytes) + " are accepted");
    }
    int depth = 0, deepest = 0;
    for (char c : spec.query) {
        if (c == '(') deepest = std::max(deepest, ++depth);
        if (c == ')' && depth > 0) --depth;
    }
    if (deepest > kMaxQueryNesting) {
        throw Error(ErrorKind::query, "the query nests parentheses " + std::to_string(deepest) +
                                          " deep; at most " + std::to_string(kMaxQueryNesting) + " are accepted");
    }
    m_warnings.clear();
    m_notes.clear();
    m_resolved.clear();
    m_bonus = Xapian::Query();
    if (!blank) {
        std::string normalised = expand_field_stems(rewrite_unpositioned_phrases(normalise_query(spec.query)));
        m_parser.set_default_op(spec.match_any ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
        check_wildcards(normalised);
        m_field_error.reset();
        auto parse = [&](const std::string& text) {
            try {
                return m_parser.parse_query(text, kParseFlags);
            } catch (const Xapian::QueryParserError&) {
                // Like Omega: a query the syntax cannot express is read as plain words.
                return m_parser.parse_query(text, 0);
            }
        };
        // Negated parts alone mean every article but those that hold any of
        // them, as NOT does (FLAG_PURE_NOT); Xapian 1.4 drops the '-' and
        // searches for them instead.
        const std::vector<std::string> excluded = negated_parts(normalised);
        const bool negation = !excluded.empty();
        if (negation) {
            std::vector<Xapian::Query> parts;
            for (const std::string& part : excluded) parts.push_back(parse(part));
            query = Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll,
                                  Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()));
        } else {
            query = parse(normalised);
        }
        query = unscale_boolean_fields(query);
        if (m_field_error) {
            Error error = *m_field_error;
            m_field_error.reset();
            throw error;
        }
        // What the user wrote, before the proximity bonus of match_any adds
        // NEAR pairs of its own (two per word, within the byte limit).
        check_positional_words(query);
        if (spec.match_any && !negation && !query.empty()) {
            m_bonus = proximity_bonus(query);
            query = match_demonyms(query);
        }
        // Only stopwords or punctuation: nothing can match.
        if (query.empty()) query = Xapian::Query::MatchNothing;
    }

    std::vector<Xapian::Query> filters;
    if (const DateRange dates = resolve_dates(spec); dates.since || dates.until) {
        const std::string low = dates.since ? date_to_value(*dates.since) : std::string();
        const std::string high = dates.until ? date_to_value(*dates.until) : std::string();
        std::optional<Xapian::Query> given;
        if (m_date_filter_source) given = m_date_filter_source(low, high);
        if (given) {
            filters.push_back(std::move(*given));
        } else if (dates.since && dates.until) {
            filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot, low, high);
        } else if (dates.since) {
            filters.emplace_back(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, low);
        } else {
            filters.emplace_back(Xapian::Query::OP_VALUE_LE, schema::kDateSlot, high);
        }
    }
    const std::string author_prefix(schema::kTextFields[schema::kAuthorField].prefix);
    const std::string source_prefix(schema::kTextFields[schema::kSourceField].prefix);
    if (!spec.authors.empty()) filters.push_back(field_filter(spec.authors, author_prefix, "--author"));
    if (!spec.sources.empty()) filters.push_back(field_filter(spec.sources, source_prefix, "--source"));
    if (!spec.languages.empty()) {
        std::vector<Xapian::Query> codes;
        for (std::string code : spec.languages) {
            std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::tolower(c); });
            codes.emplace_back(std::string(schema::kLanguagePrefix) + code);
        }
        filters.emplace_back(Xapian::Query::OP_OR, codes.begin(), codes.end());
    }
    for (const std::string& name : spec.leaders) filters.push_back(entity_filter(EntityKind::leader, name));
    for (const std::string& name : spec.countries) filters.push_back(entity_filter(EntityKind::country, name));
    for (const std::string& name : spec.organisations) filters.push_back(entity_filter(EntityKind::organisation, name));
    if (spec.added_since) {
        filters.emplace_back(Xapian::Query::OP_VALUE_GE, schema::kAddedSlot, added_time_value(*spec.added_since));
    }

    if (filters.empty()) return query;
    Xapian::Query filter(Xapian::Query::OP_AND, filters.begin(), filters.end());
    // Filters alone match at weight 0, as every article does without words:
    // all documents, filtered. Not the filter scaled to weight 0, which was
    // 5 to 8% faster: Xapian 1.4.22 then reads a term that every article of
    // a shard holds through the list of all documents, and fails with
    // "Unexpected end of posting list" once the shard has lost an article
    // (counting_weight in schema.hpp).
    // Dates alone read no term: their value range stands as it is.
    if (blank && filter.get_unique_terms_begin() == filter.get_unique_terms_end()) return filter;
    if (blank) return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query::MatchAll, filter);
    return Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
}

namespace {

// A term of the general text (headline and body).
bool is_general_word(std::string_view term) { return !term.empty() && !schema::is_prefixed(term); }

// The terms of `query` that a match must or may hold (`wanted`), and those
// it must not (`excluded`: right of an AND_NOT); `positive` is the sign of
// `query` itself.
void sort_terms_by_sign(const Xapian::Query& query, bool positive, std::set<std::string>& wanted,
                        std::set<std::string>& excluded) {
    if (query.get_type() == Xapian::Query::LEAF_TERM) {
        (positive ? wanted : excluded).insert(*query.get_terms_begin());
        return;
    }
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
        const bool negated = query.get_type() == Xapian::Query::OP_AND_NOT && i > 0;
        sort_terms_by_sign(query.get_subquery(i), positive && !negated, wanted, excluded);
    }
}

} // namespace

Xapian::Query QueryBuilder::proximity_bonus(const Xapian::Query& query) {
    // The query's words in order, as the user wrote them (normalised):
    // positions are kept for those, not for the stems the parser searches.
    std::vector<std::string> words;
    const std::string stem_prefix(schema::kStemPrefix);
    // A word the query only excludes ("putin -ukraine") is in no match.
    std::set<std::string> wanted, excluded;
    sort_terms_by_sign(query, true, wanted, excluded);
    for (auto it = query.get_terms_begin(); it != query.get_terms_end(); ++it) {
        const std::string& term = *it;
        if (excluded.count(term) != 0 && wanted.count(term) == 0) continue;
        std::string word;
        if (is_general_word(term)) {
            word = term;
        } else if (term.compare(0, stem_prefix.size(), stem_prefix) == 0 &&
                   is_general_word(std::string_view(term).substr(stem_prefix.size()))) {
            auto unstemmed = m_parser.unstem_begin(term);
            if (unstemmed == m_parser.unstem_end(term)) continue;
            word = *unstemmed;
        } else {
            continue;
        }
        words.push_back(std::move(word));
        if (words.size() == kProximityWords) break;
    }
    std::vector<Xapian::Query> pairs;
    for (std::size_t i = 0; i < words.size(); ++i) {
        for (std::size_t j = i + 1; j < words.size() && j <= i + kProximitySpan; ++j) {
            if (words[i] == words[j]) continue;
            const Xapian::Query pair[] = {Xapian::Query(words[i]), Xapian::Query(words[j])};
            pairs.emplace_back(Xapian::Query::OP_NEAR, std::begin(pair), std::end(pair), kProximityWindow);
        }
    }
    if (pairs.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                         Xapian::Query(Xapian::Query::OP_OR, pairs.begin(), pairs.end()), kProximityWeight);
}

Xapian::Query QueryBuilder::match_demonyms(const Xapian::Query& query) {
    if (!m_demonyms) {
        m_demonyms.emplace();
        std::vector<CountryForms> countries;
        try {
            if (m_country_forms_source) {
                countries = m_country_forms_source();
            } else {
                for (const Entity& entity : gazetteer().entities()) {
                    if (entity.kind == EntityKind::country) countries.push_back(CountryForms{entity.name, entity.demonyms});
                }
            }
        } catch (const Error&) {
            // No gazetteer: the words match as written.
        }
        {
            Xapian::Stem stemmer = make_stemmer();
            auto words_of = [&](const std::string& text) {
                std::vector<std::string> words;
                for (const Token& token : m_normaliser.tokenise(text)) words.push_back(token.text);
                return words;
            };
            // A one-word form is searched by its stem, as the parser searches a word.
            auto stem_of = [&](const std::string& word) {
                return should_stem(word) ? std::string(schema::kStemPrefix) + stemmer(word) : word;
            };
            for (const CountryForms& country : countries) {
                std::vector<std::vector<std::string>> forms;
                auto add_form = [&](std::vector<std::string> words) {
                    if (words.empty()) return;
                    if (words.size() == 1) words.front() = stem_of(words.front());
                    if (std::find(forms.begin(), forms.end(), words) == forms.end()) forms.push_back(std::move(words));
                };
                add_form(words_of(country.name));
                for (const std::string& demonym : country.demonyms) add_form(words_of(demonym));
                for (const std::string& demonym : country.demonyms) {
                    const std::vector<std::string> words = words_of(demonym);
                    if (words.size() != 1) continue;
                    std::vector<std::vector<std::string>>& alternatives = (*m_demonyms)[stem_of(words.front())];
                    for (const auto& form : forms) {
                        if (std::find(alternatives.begin(), alternatives.end(), form) == alternatives.end()) {
                            alternatives.push_back(form);
                        }
                    }
                }
            }
        }
    }
    if (m_demonyms->empty()) return query;

    auto expand = [&](const Xapian::Query& word) {
        if (word.get_type() != Xapian::Query::LEAF_TERM) return word;
        const std::string term = *word.get_terms_begin();
        auto found = m_demonyms->find(term);
        if (found == m_demonyms->end()) return word;
        std::vector<Xapian::Query> synonyms{word};
        for (const std::vector<std::string>& form : found->second) {
            if (form.size() == 1) {
                if (form.front() != term) synonyms.emplace_back(form.front());
            } else {
                std::vector<Xapian::Query> phrase(form.begin(), form.end());
                synonyms.emplace_back(Xapian::Query::OP_PHRASE, phrase.begin(), phrase.end(), phrase.size());
            }
        }
        return Xapian::Query(Xapian::Query::OP_SYNONYM, synonyms.begin(), synonyms.end());
    };
    if (query.get_type() != Xapian::Query::OP_OR) return expand(query);
    std::vector<Xapian::Query> words;
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) words.push_back(expand(query.get_subquery(i)));
    return Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end());
}

std::string QueryBuilder::corrected_query(const std::string& query) {
    if (query.size() > kMaxQueryBytes) return {};
    const std::string normalised = normalise_query(query);
    if (normalised.empty()) return {};
    m_field_error.reset();
    std::string corrected;
    try {
        m_parser.parse_query(normalised, kParseFlags | Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
        corrected = m_parser.get_corrected_query_string();
    } catch (const Xapian::QueryParserError&) {
        corrected.clear();
    }
    if (m_field_error) {
        m_field_error.reset();
        return {};
    }
    if (corrected.empty() || corrected == normalised) return {};
    // Xapian offers a correction for any word with a more frequent one close
    // by: keep only those worth making, the rest of the query as written.
    std::vector<std::string> asked = split_words(normalised);
    std::vector<std::string> offered = split_words(corrected);
    if (asked.size() != offered.size()) return {};
    bool changed = false;
    for (std::size_t i = 0; i < asked.size(); ++i) {
        if (asked[i] == offered[i]) continue;
        if (i % 2 == 0) return {}; // the syntax between the words differs: not a word's correction
        if (worth_correcting(asked[i], offered[i])) {
            changed = true;
        } else {
            offered[i] = asked[i];
        }
    }
    if (!changed) return {};
    std::string out;
    for (const std::string& piece : offered) out += piece;
    return out;
}

bool QueryBuilder::worth_correcting(const std::string& word, const std::string& correction) {
    const std::string term = Xapian::Unicode::tolower(word); // capitalised in an unstemmed field
    if (!pundit::worth_correcting(m_db.get_termfreq(term), m_db.get_termfreq(Xapian::Unicode::tolower(correction)))) {
        return false;
    }
    // Only then the gazetteer, whose loading costs more than the search.
    if (!m_name_words) {
        m_name_words.emplace();
        try {
            if (m_gazetteer_source) *m_name_words = std::make_unique<GazetteerNameWords>(gazetteer());
        } catch (const Error&) {
            // No gazetteer: the index alone decides.
        }
    }
    return !*m_name_words || !(*m_name_words)->contains(term);
}

} // namespace pundit
