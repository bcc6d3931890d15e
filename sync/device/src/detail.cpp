// Reading a shared report's stored detail: see detail.hpp.
#include "detail.hpp"

#include <algorithm>
#include <climits>

namespace cairn::device {
namespace {

constexpr const char* kWhat = "the report's stored detail";
constexpr std::size_t kAnyLength = std::string::npos;  // written by this device, bounded by the store

Result<ValueLine> value_line(const json::Json& v) {
  CAIRN_TRY(json::need_object(v, kWhat));
  ValueLine line;
  line.metric = CAIRN_TRY(json::opt_str(v, "metric", "", kWhat, kAnyLength));
  line.coordinate = CAIRN_TRY(json::opt_str(v, "coordinate", "", kWhat, kAnyLength));
  line.unit = CAIRN_TRY(json::opt_str(v, "unit", "", kWhat, kAnyLength));
  line.value = CAIRN_TRY(json::opt_double(v, "value", 0.0, kWhat));
  line.encoded = CAIRN_TRY(json::opt_int(v, "encoded", 0, kWhat));
  return line;
}

Result<MetricNoise> noise_line(const json::Json& n) {
  CAIRN_TRY(json::need_object(n, kWhat));
  MetricNoise m;
  m.metric = CAIRN_TRY(json::opt_str(n, "metric", "", kWhat, kAnyLength));
  m.unit = CAIRN_TRY(json::opt_str(n, "unit", "", kWhat, kAnyLength));
  if (auto r = dp::Rational::parse(CAIRN_TRY(json::opt_str(n, "sigma2", "0/1", kWhat, kAnyLength))); r.ok())
    m.sigma2_per_layer = *r;
  m.sum_sd_units = CAIRN_TRY(json::opt_double(n, "sum_sd", 0.0, kWhat));
  m.mean_se_units = CAIRN_TRY(json::opt_double(n, "mean_se", 0.0, kWhat));
  return m;
}

}  // namespace

json::Json detail_object(const std::string& text) {
  auto j = json::parse_object(text, kWhat);
  return j.ok() ? std::move(j).value() : json::Json::object();
}

Status read_detail(const std::string& text, ReportDetail& d) {
  const json::Json j = detail_object(text);
  if (const json::Json* values = CAIRN_TRY(json::opt_array(j, "values", kWhat)))
    for (const auto& v : *values) d.values.push_back(CAIRN_TRY(value_line(v)));
  if (const json::Json* noise = CAIRN_TRY(json::opt_array(j, "noise", kWhat)))
    for (const auto& n : *noise) d.noise.push_back(CAIRN_TRY(noise_line(n)));
  d.k = static_cast<std::uint32_t>(CAIRN_TRY(json::opt_uint(j, "k", 0, kWhat)));
  d.epsilon_release = CAIRN_TRY(json::opt_double(j, "epsilon_release", 0.0, kWhat));
  d.spent_after = CAIRN_TRY(json::opt_double(j, "spent_after", 0.0, kWhat));
  d.cap_epsilon = CAIRN_TRY(json::opt_double(j, "cap_epsilon", 0.0, kWhat));
  d.budget_left = d.cap_epsilon - d.spent_after;
  d.purpose = CAIRN_TRY(json::opt_str(j, "purpose", "", kWhat, kAnyLength));
  return ok_status();
}

Result<std::uint64_t> detail_ledger_length(const std::string& text) {
  return json::opt_uint(detail_object(text), "ledger_length", 0, kWhat);
}

Result<int> detail_upload_attempts(const json::Json& detail) {
  const json::Json* upload = CAIRN_TRY(json::opt_object(detail, "upload", kWhat));
  if (!upload) return 0;
  const auto n = CAIRN_TRY(json::opt_uint(*upload, "attempts", 0, kWhat));
  return static_cast<int>(std::min<std::uint64_t>(n, INT_MAX - 1));
}

Result<bool> detail_charged(const json::Json& detail) { return json::opt_bool(detail, "charged", true, kWhat); }

Result<std::int64_t> detail_charged_at(const json::Json& detail, std::int64_t fallback) {
  return json::opt_int(detail, "charged_at", fallback, kWhat);
}

}  // namespace cairn::device
