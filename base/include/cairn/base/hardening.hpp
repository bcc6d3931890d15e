// Process hardening for every program that may hold a key: no core dumps, not ptrace-attachable by
// the same user (PR_SET_DUMPABLE=0), and a private umask so nothing is created world-readable.
//
// Both settings belong to the whole process, not the calling thread: threads started later (the
// panel's GL driver threads, a worker) are covered too, and so is memory they allocate. Call it
// before any key is read (every unlocking program does, first thing). tests/memory/memory_test.
#pragma once

#include "cairn/base/result.hpp"

namespace cairn {

Status harden_process();

}  // namespace cairn
