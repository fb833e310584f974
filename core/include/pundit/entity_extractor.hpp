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
// - A leader is tagged when the article discusses that person, in office or
//   not ("Chancellor Gordon Brown" in 2005 is Gordon Brown): a full name
//   tags on its own; dates decide between namesakes and how much evidence a
//   surname alone needs.
// - A leader's surname alone ("Abe", "President Moon", "Mr Modi") counts only
//   when licensed, by the first of these that applies:
//   - another capitalised name right before or after it ("Sadiq Khan"; "Kim
//     Yo-jong" for family-name-first names), or a given name and a middle
//     initial before it ("Peter T. King"), make it a different person's,
//     unless that name is the leader's own given name;
//   - an office title before it (rules/titles.tsv) must be one of the
//     leader's offices in leader_terms.tsv: "King Abdullah" is no chief
//     executive, "President Abe" no prime minister, and an office no leader
//     holds ("Senator Cruz", "Governor Christie", "Rep.", "Mayor", "Judge",
//     "Coach") blocks the surname here and in its later bare mentions;
//   - a person the article names with a given name, anywhere in it, claims
//     the surname ("Mr Howard said ... Michael Howard, the Tory leader": not
//     John Howard); when several people of that surname are named, a bare
//     surname is none of theirs unless an honorific's sex tells them apart;
//     otherwise the surname means whom it meant when last used;
//   - an honorific (Mr, Mrs, Ms, Miss, Dr) licenses it, but never for a
//     leader of the other sex (rules/honorifics.tsv, and the leader's sex
//     from rules/given_names.tsv or a monarch's title; unknown sex rules
//     nobody out), and of namesakes means the widely covered one;
//   - the surname speaks for itself: it belongs to one leader, is not a
//     common word (ambiguous.txt) nor a place or organisation name, the
//     article is dated (undated, a bare surname could be anyone's) near the
//     leader's time in office, and the leader is widely covered (the
//     gazetteer gives native-script spellings) or the article names the
//     leader's country;
//   - in a headline, the leader is named in full in the article.
// - Namesakes are told apart by the title's office and the article's date
//   against terms in office: "President Bush" in 1991 is George H. W. Bush,
//   in 2003 George W. Bush.
// - A name that is part of another name is not a mention: of a place,
//   institution, company or work named after the person ("Nelson Mandela
//   Road", "Kennedy Space Center", "Suzuki Motor": rules/named_after.txt), of
//   a company introduced as one ("drugmaker Dr Reddy's":
//   rules/company_nouns.txt), of another monarch ("Queen Elizabeth I",
//   "Louis XIV"); later bare mentions of that surname are not the leader's
//   either. A leader's initials ("GMA") count only when the article also
//   names the leader or the leader's country, and not before another
//   capitalised word ("GMA News").
// - A bare surname in a list of names separated by commas or semicolons (a
//   team sheet) needs more than speaking for itself: a title or an earlier
//   full name.
// - The article's writers are not mentions: its author field, a byline or
//   bio paragraph in the body ("By Jennifer Smith", "Mr. Phillips is
//   Director of ..."), the credit of a cited piece ('," by Jennifer Smith').
//   Names in byline and bio paragraphs are skipped; a writer's full name or
//   surname elsewhere, bare or after Mr/Mrs/Ms/Dr, is the writer's.
// - Mentions are counted for the person they were resolved to: a surname
//   claimed by somebody else is not the leader's mention.
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
//   well-known place's (ambiguous.txt: Georgia), or a foreign name of it
//   that is an English word ("Suède", "Ísland"), only when the article names
//   the country otherwise. Capitals must be capitalised ("the bottom" is not
//   The Bottom). A country inside the name of an institution ("Bank of
//   America", "American University"; rules/named_after.txt) and a capital
//   that qualifies a noun ("the Tokyo summit", "London-based") name the
//   country only in the headline or the opening paragraph; a company whose
//   name ends in a designator ("American Motors Corp", "TDK Corp of
//   America") and a country's central bank ("the Bank of Canada") name it.
// - Organisations: none is named in an article dated before it existed under
//   its name (rules/organisation_dates.tsv: "TPP" in 2016 is not the CPTPP).
//   An abbreviation is not the organisation's when the article spells it out
//   as something else ("the Iran Sanctions Act (ISA)"), when it is joined by
//   a hyphen to a name that is no place or organisation ("Fed-Ex"), when it
//   follows a capitalised name word within a sentence (a product: "PowerMac
//   G4"), or, being a word of three letters or more (ambiguous.txt: "CAN",
//   "CITES"), when it stands among words in capitals.
// - A name in angle brackets is a stock ticker ("<ROK>", "<ITO.TO>"), not a
//   mention.
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
    // `date` is "YYYY-MM-DD" or empty; `author` the article's author field
    // (may be empty). Sorted by kind, then mentions (most first), then name.
    std::vector<EntityTag> extract(const std::string& title, const std::vector<Token>& title_tokens,
                                   const std::string& body, const std::vector<Token>& body_tokens,
                                   const std::string& date, const std::string& author = "");

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
