#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "pundit/fault_point.hpp"
#include "temp_dir.hpp"

namespace {

// PUNDIT_FAULT set for the life of the object: the tests that use fault
// points run other processes under it; here it is this one.
struct FaultSpec {
    explicit FaultSpec(const std::string& spec) { ::setenv("PUNDIT_FAULT", spec.c_str(), 1); }
    ~FaultSpec() { ::unsetenv("PUNDIT_FAULT"); }
    FaultSpec(const FaultSpec&) = delete;
    FaultSpec& operator=(const FaultSpec&) = delete;
};

} // namespace

TEST_CASE("fault point: only the point named acts, and a pause says it was reached and waits for its go file") {
    test::TempDir dir;
    const std::string base = (dir.path() / "stub-written").string();
    // Were a point matched by a prefix or with another's action, this process would die.
    FaultSpec spec("compact-switched:kill,stub-written:pause=" + dir.path().string() + ",commit:sleep=0");
    for (const char* other : {"compact", "compact-switched-x", "stub", "", "commit"}) pundit::fault_point(other);

    // The test holds the process at the point: the go file comes only once
    // the reached file is there.
    std::thread releaser([&] {
        while (!std::filesystem::exists(base + ".reached")) std::this_thread::yield();
        std::ofstream(base + ".go").put('\n');
    });
    const auto started = std::chrono::steady_clock::now();
    pundit::fault_point("stub-written");
    releaser.join();
    CHECK(std::filesystem::exists(base + ".go"));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(pundit::kFaultPauseLimitSeconds));
}
