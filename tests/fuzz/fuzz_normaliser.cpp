// Fuzz target: any UTF-8 text through the normaliser. The fast ASCII word
// segmentation must give exactly ICU's tokens; every token is non-empty, at
// most kMaxTokenBytes, inside the text and in order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "pundit/normaliser.hpp"
#include "pundit/text_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static pundit::Normaliser fast(pundit::Normaliser::Segmentation::fast);
    static pundit::Normaliser icu(pundit::Normaliser::Segmentation::icu);
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!pundit::is_valid_utf8(text)) return 0; // readers decode before this stage
    const std::vector<pundit::Token> a = fast.tokenise(text);
    const std::vector<pundit::Token> b = icu.tokenise(text);
    if (a.size() != b.size()) std::abort();
    std::size_t previous = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].text != b[i].text || a[i].begin != b[i].begin || a[i].end != b[i].end) std::abort();
        if (a[i].text.empty() || a[i].text.size() > pundit::kMaxTokenBytes) std::abort();
        if (a[i].begin >= a[i].end || a[i].end > text.size() || a[i].begin < previous) std::abort();
        previous = a[i].begin;
    }
    (void)fast.normalise(text);
    return 0;
}
