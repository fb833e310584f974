// The project's real gazetteer, loaded once for all tests that need it.
#pragma once

#include <memory>

#include "pundit/gazetteer.hpp"

namespace test {

inline std::shared_ptr<const pundit::Gazetteer> gazetteer() {
    static std::shared_ptr<const pundit::Gazetteer> g =
        pundit::Gazetteer::load(std::string(PUNDIT_SOURCE_DIR) + "/corpus/gazetteer");
    return g;
}

} // namespace test
