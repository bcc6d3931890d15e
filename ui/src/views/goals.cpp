// Goals: revisable goals with their history, the contributions linked to each, and the recent
// work that matched no goal, so goals can adapt to what actually mattered.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "../format.hpp"
#include "../scrub.hpp"
#include "../theme.hpp"
#include "../widgets.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/base/text.hpp"
#include "views.hpp"

namespace cairn::ui {
namespace {

const char* kStatuses[] = {"active", "done", "dropped"};

class GoalsView final : public View {
 public:
  const char* id() const override { return "goals"; }
  const char* title() const override { return "Goals"; }
  void reset() override {
    selected_ = 0;
    loaded_ = -1;
    scrub(title_);
    desc_.scrub();
    scrub(new_title_);
  }

  void draw(const Snapshot& s, Actions& a) override {
    if (!s.goals || !s.contributions) return;
    const auto& g = *s.goals;
    w::title("Goals");
    w::muted("Goals change as work changes. Revising one keeps its history, so you can show how priorities moved "
             "and why. Link contributions to goals when you log them.");
    ImGui::Dummy(ImVec2(0, px(4)));
    const float left_w = ImGui::GetContentRegionAvail().x * 0.42f;
    ImGui::BeginGroup();
    ImGui::BeginChild("##glist", ImVec2(left_w, px(300)), true);
    int row = 0;
    for (const auto& goal : g.goals) {
      ImGui::PushID(static_cast<int>(goal.id));
      auto it = g.linked.find(goal.id);
      std::size_t n = it == g.linked.end() ? 0 : it->second.size();
      std::string label = goal.current.title;
      if (ImGui::Selectable(label.c_str(), selected_ == goal.id)) selected_ = goal.id;
      a.track("goal.row." + std::to_string(row++));
      w::small_muted(goal.current.status + "  \xC2\xB7  " + count_text(n, "linked contribution", "linked contributions") + "  \xC2\xB7  " +
                     count_text(static_cast<std::int64_t>(goal.history.size()), "version", "versions"));
      ImGui::Dummy(ImVec2(0, px(2)));
      ImGui::PopID();
    }
    if (g.goals.empty()) w::muted("No goals yet.");
    ImGui::EndChild();
    w::small_muted("Add a goal");
    ImGui::SetNextItemWidth(left_w - px(70));
    ImGui::InputTextWithHint("##newgoal", "What do you want to achieve or grow in?", &new_title_);
    a.track("goal.new_title");
    ImGui::SameLine();
    ImGui::BeginDisabled(new_title_.empty());
    if (ImGui::Button("Add")) {
      a.send(cmd::AddGoal{{0, new_title_, "", "active"}});
      new_title_.clear();
    }
    a.track("goal.add");
    ImGui::EndDisabled();
    ImGui::EndGroup();

    ImGui::SameLine(0, px(20));
    ImGui::BeginGroup();
    const store::Goal* sel = nullptr;
    for (const auto& goal : g.goals)
      if (goal.id == selected_) sel = &goal;
    if (!sel) {
      w::heading("Choose a goal");
      w::muted("Its history and linked contributions appear here.");
    } else {
      editor(*sel, s, a);
    }
    ImGui::EndGroup();

    ImGui::Dummy(ImVec2(0, px(10)));
    w::heading("Work that matched no goal");
    w::small_muted(std::to_string(g.unmatched.size()) + " contributions in the last " +
                   std::to_string(g.unmatched_window_days) +
                   " days are linked to no goal. If some of it mattered, a goal may need to adapt.");
    int shown = 0;
    for (auto id : g.unmatched) {
      if (shown++ >= 8) break;
      for (const auto& e : s.contributions->entries)
        if (e.c.id == id) {
          ImGui::Bullet();
          ImGui::SameLine();
          w::text(short_date(e.day) + ": " + e.c.text);
        }
    }
  }

 private:
  void editor(const store::Goal& goal, const Snapshot& s, Actions& a) {
    const auto stamp = goal.history.empty() ? 0 : goal.history.back().time;
    if (loaded_ != goal.id || loaded_stamp_ != stamp) {
      loaded_ = goal.id;
      loaded_stamp_ = stamp;
      title_ = goal.current.title;
      desc_.set(goal.current.description);
      status_ = 0;
      for (int i = 0; i < 3; ++i)
        if (goal.current.status == kStatuses[i]) status_ = i;
    }
    w::heading("Revise");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##title", &title_);
    a.track("goal.title");
    w::wrapped_input("##desc", desc_, ImGui::GetTextLineHeight() * 3);
    a.track("goal.desc");
    for (int i = 0; i < 3; ++i) {
      if (i) ImGui::SameLine();
      static const char* names[] = {"Active", "Done", "Dropped"};
      ImGui::RadioButton(names[i], &status_, i);
      a.track(std::string("goal.status.") + kStatuses[i]);
    }
    bool changed = title_ != goal.current.title || desc_.text() != goal.current.description ||
                   std::string(kStatuses[status_]) != goal.current.status;
    ImGui::BeginDisabled(!changed || title_.empty());
    if (w::primary_button("Save revision")) a.send(cmd::ReviseGoal{goal.id, {0, title_, desc_.text(), kStatuses[status_]}});
    a.track("goal.save");
    ImGui::EndDisabled();

    w::heading("History");
    for (auto it = goal.history.rbegin(); it != goal.history.rend(); ++it) {
      w::small_muted(date_text(local_day(it->time, 0)) + "  \xC2\xB7  " + it->status);
      w::text(it->title + (it->description.empty() ? "" : " \xE2\x80\x94 " + it->description));
    }
    auto lk = s.goals->linked.find(goal.id);
    if (lk != s.goals->linked.end()) {
      w::heading("Linked contributions");
      w::small_muted(std::to_string(lk->second.size()) + " in total; the latest:");
      int shown = 0;
      for (auto id : lk->second) {
        if (shown++ >= 5) break;
        for (const auto& e : s.contributions->entries)
          if (e.c.id == id) {
            ImGui::Bullet();
            ImGui::SameLine();
            w::text(short_date(e.day) + ": " + e.c.text);
          }
      }
    }
  }

  std::int64_t selected_ = 0, loaded_ = -1, loaded_stamp_ = 0;
  std::string title_, new_title_;
  WrappedText desc_;
  int status_ = 0;
};

}  // namespace

std::unique_ptr<View> make_goals_view() { return std::make_unique<GoalsView>(); }

}  // namespace cairn::ui
