// Named moments in the middle of a multi-step change to an index (creating
// it, switching in a compacted copy, the end of an ingest), where tests make
// the process stop, die or sleep so that a crash or a race lands exactly
// there instead of by luck. Read only by tests: with PUNDIT_FAULT unset (as
// it always is in use) a fault point costs one getenv() and does nothing.
//
//   PUNDIT_FAULT="POINT:ACTION[,POINT:ACTION...]"
//     kill         the process kills itself with SIGKILL at POINT
//     sleep=SECS   it sleeps that long at POINT
//     pause=DIR    it creates DIR/POINT.reached, then waits (up to
//                  kFaultPauseLimitSeconds) until DIR/POINT.go exists: a
//                  test holds the process there while it runs another
//
// The points are listed in doc/fault-points.md. Not for anything but tests.
#pragma once

#include <string_view>

namespace pundit {

// How long a paused process waits for its go file before going on anyway,
// so that a test that fails to release it cannot hang the suite.
inline constexpr int kFaultPauseLimitSeconds = 60;

// Does what PUNDIT_FAULT asks for at `point`, if anything.
void fault_point(std::string_view point);

} // namespace pundit
