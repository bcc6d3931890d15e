// Names of the enumerations in records.hpp, as they appear in files, the inbox and the CLI.
#include "cairn/records/records.hpp"

namespace cairn::records {

const char* source_name(Source s) {
  switch (s) {
    case Source::activity: return "activity";
    case Source::activity_titles: return "activity-titles";
    case Source::git: return "git";
    case Source::calendar: return "calendar";
    case Source::self: return "self";
  }
  return "?";
}

std::optional<Source> source_from_name(const std::string& name) {
  for (Source s : {Source::activity, Source::activity_titles, Source::git, Source::calendar, Source::self})
    if (name == source_name(s)) return s;
  return std::nullopt;
}

const char* impact_kind_name(ImpactKind k) {
  switch (k) {
    case ImpactKind::impact: return "impact";
    case ImpactKind::long_term: return "long-term";
    case ImpactKind::system: return "system";
    case ImpactKind::judgment: return "judgment";
  }
  return "?";
}

std::optional<ImpactKind> impact_kind_from_name(const std::string& name) {
  for (ImpactKind k : {ImpactKind::impact, ImpactKind::long_term, ImpactKind::system, ImpactKind::judgment})
    if (name == impact_kind_name(k)) return k;
  return std::nullopt;
}

}  // namespace cairn::records
