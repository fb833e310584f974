#include "pundit/entity_extractor.hpp"

#include <algorithm>
#include <cstdint>

#include "mention_resolver.hpp"
#include "name_matcher.hpp"
#include "writer_text.hpp"

namespace pundit {

// Extraction in two stages: the matcher finds the gazetteer's names in the
// headline and the body, the resolver applies the rules to what it found.
struct EntityExtractor::Impl {
    explicit Impl(std::shared_ptr<const Gazetteer> g)
        : gazetteer(std::move(g)), matcher(*gazetteer, normaliser), resolver(*gazetteer, normaliser, matcher) {}

    std::shared_ptr<const Gazetteer> gazetteer;
    Normaliser normaliser;
    NameMatcher matcher;
    MentionResolver resolver;
};

EntityExtractor::EntityExtractor(std::shared_ptr<const Gazetteer> gazetteer)
    : m_impl(std::make_unique<Impl>(std::move(gazetteer))) {}

EntityExtractor::~EntityExtractor() = default;

const Gazetteer& EntityExtractor::gazetteer() const { return *m_impl->gazetteer; }

std::vector<EntityTag> EntityExtractor::extract(const Article& article) {
    std::vector<Token> title_tokens = m_impl->normaliser.tokenise(article.title);
    std::vector<Token> body_tokens = m_impl->normaliser.tokenise(article.body);
    return extract(article.title, title_tokens, article.body, body_tokens, article.date, article.author);
}

std::vector<EntityTag> EntityExtractor::extract(const std::string& title, const std::vector<Token>& title_tokens,
                                                const std::string& body, const std::vector<Token>& body_tokens,
                                                const std::string& date_text, const std::string& author) {
    // The whole headline counts as first paragraph; the body's ends at its
    // first blank line. Body tokens follow the headline's in reading order.
    Stream streams[2] = {Stream{&title, &title_tokens, {}, true, title.size(), 0},
                         Stream{&body, &body_tokens, {}, false, body.find("\n\n"), title_tokens.size()}};
    std::vector<RawMatch> matches;
    for (Stream& s : streams) m_impl->matcher.match(s, matches);
    std::stable_sort(matches.begin(), matches.end(), [](const RawMatch& a, const RawMatch& b) {
        return a.stream->offset + a.token < b.stream->offset + b.token;
    });
    // Bylines, bios and credits speak of the writers, not of the subject.
    WriterText writers = find_writer_text(body, author);
    std::erase_if(matches, [&](const RawMatch& m) {
        return !m.stream->headline && writers.covers((*m.stream->tokens)[m.token].begin);
    });
    std::vector<std::vector<std::string>> writer_keys;
    for (const std::string& name : writers.names) {
        std::vector<std::string> keys;
        for (const Token& t : m_impl->normaliser.tokenise(name)) keys.push_back(m_impl->matcher.match_key(t.text));
        if (!keys.empty()) writer_keys.push_back(std::move(keys));
    }
    std::uint32_t date = date_text.empty() ? 0 : parse_term_date(date_text, false);
    return m_impl->resolver.resolve(matches, date, writer_keys);
}

} // namespace pundit
