// A cheap language guess for articles that do not declare one, by script and,
// for Latin script, by the share of very common English words. Good enough to
// label an article "en", "ru", "zh", "ja", "ko" or "ar"; it answers "" rather
// than guess between Latin-script languages it does not know.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pundit {

// The guess reads this many bytes of the text at most.
inline constexpr std::size_t kLanguageSampleBytes = 4096;

std::string guess_language(std::string_view text);

} // namespace pundit
