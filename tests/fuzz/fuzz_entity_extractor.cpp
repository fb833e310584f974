// Fuzz target: an article (first line the headline, the rest the body, an
// optional "YYYY-MM-DD" date before a tab on the first line) through the
// entity extractor with the project's gazetteer. Nothing may crash; every
// tag names an entity of the gazetteer, once, with at least one mention.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "pundit/entity_extractor.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/text_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static pundit::EntityExtractor extractor(pundit::Gazetteer::load(PUNDIT_GAZETTEER_DIR));
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!pundit::is_valid_utf8(text)) return 0;
    pundit::Article article;
    const std::size_t newline = text.find('\n');
    std::string_view first = text.substr(0, newline);
    if (const std::size_t tab = first.find('\t'); tab != std::string_view::npos) {
        article.date = std::string(first.substr(0, tab));
        first.remove_prefix(tab + 1);
    }
    article.title = std::string(first);
    article.body = newline == std::string_view::npos ? std::string() : std::string(text.substr(newline + 1));
    std::set<std::pair<int, std::string>> seen;
    for (const pundit::EntityTag& tag : extractor.extract(article)) {
        if (tag.count == 0 || tag.id.empty() || tag.name.empty()) std::abort();
        if (!seen.insert({static_cast<int>(tag.kind), tag.id}).second) std::abort();
    }
    return 0;
}
