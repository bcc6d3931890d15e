// Factories of the individual views; the list and its order live in registry.cpp.
#pragma once

#include <memory>

#include "../view.hpp"

namespace cairn::ui {

std::unique_ptr<View> make_week_view();
std::unique_ptr<View> make_apps_view();
std::unique_ptr<View> make_contributions_view();
std::unique_ptr<View> make_reflection_view();
std::unique_ptr<View> make_goals_view();
std::unique_ptr<View> make_skills_view();
std::unique_ptr<View> make_review_view();
std::unique_ptr<View> make_sources_view();
std::unique_ptr<View> make_sharing_view();
std::unique_ptr<View> make_settings_view();

// The Sharing view's "Team results" section (team_results.cpp).
void draw_team_results(const SharingData& d, Actions& a);

}  // namespace cairn::ui
