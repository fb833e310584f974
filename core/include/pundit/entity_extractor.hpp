// Finds the leaders, countries and organisations an article discusses, with
// the gazetteer's names matched on normalised words (so case, diacritics and
// width do not matter) and, for Chinese and Japanese, on the character stream.
//
// Rules, in the order they apply:
// - The longest match wins, on whole words only (Putin is not in "Putinism").
//   Phrases in rules/not_entities.txt ("Trump Tower") are matched like names
//   and consumed without tagging anything.
// - Case: a one-word name must be capitalised in the text ("Moon", not
//   "moon"; "Bush", not "bush"); a short all-capitals abbreviation must be in
//   capitals ("US", not "us"). Longer names match in any case.
// - A leader's surname alone ("Abe", "President Moon", "Mr Modi") counts only
//   when licensed: the leader was named in full earlier in the article (in a
//   headline: anywhere in it), or a title precedes it, or the surname speaks
//   for itself: it belongs to one leader, is not a common word
//   (ambiguous.txt) nor a place or organisation name, the article's date is
//   near the leader's time in office, and the leader is widely covered
//   (the gazetteer gives native-script spellings) or the article names the
//   leader's country.
// - A surname right after another capitalised name ("Sadiq Khan"; "Kim
//   Yo-jong" for family-name-first names) is a different person, and later
//   bare mentions of that surname refer to that person, not the leader.
// - Namesakes are told apart by the title's office and the article's date
//   against terms in office: "President Bush" in 1991 is George H. W. Bush,
//   in 2003 George W. Bush.
// - Countries: a name or demonym names its country on its own; a demonym
//   several countries share means the principal one (the gazetteer keeps it
//   only there: "American" is the United States). A one-word place name
//   right after a capitalised name word is part of a longer name and names
//   nothing ("Morgan Stanley", "New Jersey", "Rhode Island", "Latin
//   America"); so is a capital right before one or an initial ("Stanley
//   Fischer", "the Paris Club"); demonyms and headlines are exempt. A capital
//   names its country only when the article names the country otherwise or
//   the country is widely covered (one of its own leaders has native-script
//   spellings: "Moscow replied"); a country name that is also another
//   well-known place's (ambiguous.txt: Georgia) only when the article names
//   the country otherwise. Capitals must be capitalised ("the bottom" is not
//   The Bottom).
// - Organisations: none is named in an article dated before it existed under
//   its name (rules/organisation_dates.tsv: "TPP" in 2016 is not the CPTPP).
//   An abbreviation is not the organisation's when the article spells it out
//   as something else ("the Iran Sanctions Act (ISA)"), when it is joined by
//   a hyphen to a name that is no place or organisation ("Fed-Ex"), when it
//   follows a capitalised name word within a sentence (a product: "PowerMac
//   G4"), or, being a word of three letters or more (ambiguous.txt: "CAN",
//   "CITES"), when it stands among words in capitals.
// - A country's or organisation's abbreviation in angle brackets is a stock
//   ticker ("<ROK>"), not a mention.
// - A leader named in the headline or the first paragraph is a main subject.
// Thread-compatible: one extractor per thread (it owns a Normaliser).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pundit/article.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/normaliser.hpp"

namespace pundit {

class EntityExtractor {
public:
    explicit EntityExtractor(std::shared_ptr<const Gazetteer> gazetteer);
    ~EntityExtractor();
    EntityExtractor(const EntityExtractor&) = delete;
    EntityExtractor& operator=(const EntityExtractor&) = delete;

    // Tags for an article whose headline and body were tokenised by a
    // Normaliser (the document builder passes the tokens it indexes).
    // `date` is "YYYY-MM-DD" or empty. Sorted by kind, then mentions
    // (most first), then name.
    std::vector<EntityTag> extract(const std::string& title, const std::vector<Token>& title_tokens,
                                   const std::string& body, const std::vector<Token>& body_tokens,
                                   const std::string& date);

    // The same, tokenising the article itself.
    std::vector<EntityTag> extract(const Article& article);

    const Gazetteer& gazetteer() const;

private:
    // The gazetteer, a Normaliser, the name matcher and the mention resolver
    // (core/src) live behind a pointer, so that this header needs none of them.
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Returns true for Han, Hiragana, Katakana and Hangul characters.
bool is_cjk(unsigned ch);

} // namespace pundit
