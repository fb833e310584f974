#include "pundit/fault_point.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace pundit {
namespace {

// How often a paused process looks for its go file.
constexpr auto kPausePoll = std::chrono::milliseconds(10);

// The action PUNDIT_FAULT gives `point` ("" when none).
std::string action_for(std::string_view point) {
    const char* spec = std::getenv("PUNDIT_FAULT");
    if (!spec || !*spec) return {};
    std::string_view rest(spec);
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        const std::size_t colon = item.find(':');
        if (colon != std::string_view::npos && item.substr(0, colon) == point) return std::string(item.substr(colon + 1));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return {};
}

void pause_at(std::string_view point, const std::string& dir) {
    namespace fs = std::filesystem;
    const fs::path base = fs::path(dir) / std::string(point);
    std::ofstream(base.string() + ".reached").put('\n');
    const fs::path go = base.string() + ".go";
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(kFaultPauseLimitSeconds);
    std::error_code ec;
    while (!fs::exists(go, ec) && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(kPausePoll);
}

} // namespace

void fault_point(std::string_view point) {
    const std::string action = action_for(point);
    if (action.empty()) return;
    if (action == "kill") {
        std::raise(SIGKILL);
    } else if (action.starts_with("sleep=")) {
        std::this_thread::sleep_for(std::chrono::duration<double>(std::atof(action.c_str() + 6)));
    } else if (action.starts_with("pause=")) {
        pause_at(point, action.substr(6));
    }
}

} // namespace pundit
