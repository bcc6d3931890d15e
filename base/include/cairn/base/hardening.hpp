// Process hardening for every program that may hold a key: no core dumps, not ptrace-attachable by
// the same user (PR_SET_DUMPABLE=0), and a private umask so nothing is created world-readable.
#pragma once

#include "cairn/base/result.hpp"

namespace cairn {

Status harden_process();

}  // namespace cairn
