// The one way the project writes JSON text: nlohmann's dump with invalid
// UTF-8 replaced by U+FFFD (the default handler throws type_error.316, and a
// stored article or a file name may hold any bytes) and DEL and the C1
// controls escaped (escape_json_controls). Internal to core, which keeps nlohmann private.
#pragma once

#include <string>

#include "pundit/text_format.hpp"

namespace pundit {

// `json` (an nlohmann::json or ordered_json) on one line, or indented by
// `indent` spaces per level.
template <class Json>
std::string dump_json(const Json& json, int indent = -1) {
    return escape_json_controls(json.dump(indent, ' ', false, Json::error_handler_t::replace));
}

} // namespace pundit
