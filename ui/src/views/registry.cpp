// The one list of views, in the order the navigation shows them.
#include "views.hpp"

namespace cairn::ui {

std::vector<std::unique_ptr<View>> make_views() {
  std::vector<std::unique_ptr<View>> v;
  v.push_back(make_week_view());
  v.push_back(make_apps_view());
  v.push_back(make_contributions_view());
  v.push_back(make_reflection_view());
  v.push_back(make_goals_view());
  v.push_back(make_skills_view());
  v.push_back(make_review_view());
  v.push_back(make_sources_view());
  v.push_back(make_sharing_view());
  v.push_back(make_settings_view());
  return v;
}

}  // namespace cairn::ui
