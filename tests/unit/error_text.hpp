// The message of the pundit::Error a call throws, for tests that assert
// error text (part of the contract); "(no error)" when it throws none.
#pragma once

#include <functional>
#include <string>

#include "pundit/error.hpp"

namespace test {

inline std::string error_text(const std::function<void()>& f) {
    try {
        f();
    } catch (const pundit::Error& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace test
