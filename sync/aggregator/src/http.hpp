// The leader's HTTP link to the helper (cpp-httplib client with keep-alive connections reused
// across threads through a small pool).
#pragma once

#include <memory>
#include <string>

#include "cairn/aggregator/aggregator.hpp"

namespace cairn::aggregator {

std::unique_ptr<HelperLink> http_helper_link(const std::string& url);

}  // namespace cairn::aggregator
