// Reaches a Prio3 object's parameters from inside the library's own tests (a malicious client that
// shards out-of-range encodings needs them). Private to cairn_vdaf and its tests.
#pragma once

#include "prio3_algo.hpp"

namespace cairn::vdaf {

struct PrivateAccess {
  static const Prio3::Impl& impl(const Prio3& p) { return *p.impl_; }
};

}  // namespace cairn::vdaf
