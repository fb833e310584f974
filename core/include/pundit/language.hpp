// A cheap language guess for articles that do not declare one, by script and,
// for Latin script, by the share of very common English words. Good enough to
// label an article "en", "ru", "zh", "ja", "ko" or "ar"; it answers "" rather
// than guess between Latin-script languages it does not know.
#pragma once

#include <string>
#include <string_view>

namespace pundit {

std::string guess_language(std::string_view text);

} // namespace pundit
