// Fuzz target: a query string (and, after a tab, a leader filter) built
// against a small index and run. Bad queries must end in pundit::Error with
// a message, never in a crash or another exception.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include <xapian.h>

#include "pundit/document_builder.hpp"
#include "pundit/error.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/query_builder.hpp"

namespace {

Xapian::WritableDatabase& index() {
    static Xapian::WritableDatabase db = [] {
        Xapian::WritableDatabase d(std::string(), Xapian::DB_BACKEND_INMEMORY);
        pundit::DocumentBuilder builder;
        const char* bodies[] = {"Putin and Xi met in Beijing to discuss trade.",
                                "Abe and Moon spoke about Kim Jong-un's missile tests.",
                                "Trump's tariffs on steel angered the European Union."};
        int n = 0;
        for (const char* body : bodies) {
            pundit::Article a;
            a.id = "doc-" + std::to_string(++n);
            a.title = "Headline number " + std::to_string(n);
            a.body = body;
            a.date = "2019-06-2" + std::to_string(n);
            d.add_document(builder.build(a).document);
        }
        return d;
    }();
    return db;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static std::shared_ptr<const pundit::Gazetteer> gazetteer = pundit::Gazetteer::load(PUNDIT_GAZETTEER_DIR);
    static pundit::QueryBuilder builder(index(), [] { return gazetteer; });
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    pundit::QuerySpec spec;
    const std::size_t tab = input.find('\t');
    spec.query = std::string(input.substr(0, tab));
    if (tab != std::string_view::npos) spec.leaders.emplace_back(input.substr(tab + 1));
    spec.match_any = size % 2 == 1;
    try {
        Xapian::Enquire enquire(index());
        enquire.set_query(builder.build(spec));
        (void)enquire.get_mset(0, 10);
    } catch (const pundit::Error& e) {
        if (std::string(e.what()).empty()) std::abort();
    }
    return 0;
}
