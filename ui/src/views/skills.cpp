// Skills: what was practised over the last twelve months, counted from the skills tagged on
// contributions. A count of entries, not a measure of mastery, and the view says so.
#include <imgui.h>

#include <algorithm>

#include "../charts.hpp"
#include "../format.hpp"
#include "../theme.hpp"
#include "../widgets.hpp"
#include "views.hpp"

namespace cairn::ui {
namespace {

class SkillsView final : public View {
 public:
  const char* id() const override { return "skills"; }
  const char* title() const override { return "Skills"; }

  void draw(const Snapshot& s, Actions& a) override {
    if (!s.skills) return;
    const auto& sk = *s.skills;
    w::title("Skills");
    w::muted("Skills you tagged on your contributions, month by month over the last year. Each bar counts entries "
             "that named the skill: how often you practised it, not how good you are at it.");
    ImGui::Dummy(ImVec2(0, px(6)));
    if (sk.rows.empty()) {
      w::muted("No skills tagged yet. Add them when you log a contribution.");
      return;
    }
    if (ImGui::BeginTable("##skills", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp |
                                             ImGuiTableFlags_BordersInnerH)) {
      ImGui::TableSetupColumn("Skill", ImGuiTableColumnFlags_WidthFixed, px(170));
      ImGui::TableSetupColumn("Last 12 months", ImGuiTableColumnFlags_WidthStretch);
      ImGui::TableSetupColumn("Entries", ImGuiTableColumnFlags_WidthFixed, px(70));
      ImGui::TableSetupColumn("Last practised", ImGuiTableColumnFlags_WidthFixed, px(130));
      ImGui::TableHeadersRow();
      // One scale for every row, so the bars compare across skills.
      float top = 0;
      for (const auto& r : sk.rows)
        for (int v : r.per_month) top = std::max(top, static_cast<float>(v));
      int row = 0;
      for (const auto& r : sk.rows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.name.c_str());
        ImGui::TableNextColumn();
        std::vector<float> v(r.per_month.begin(), r.per_month.end());
        std::vector<std::string> ticks;
        if (row == 0 || row + 1 == static_cast<int>(sk.rows.size())) ticks = sk.months;
        int hov = -1;
        ImGui::PushID(row);
        charts::strip("##m", v, ticks, -1, 22, colour::accent(), &hov, nullptr, top);
        ImGui::PopID();
        if (hov >= 0)
          w::tooltip(r.name + ", " + sk.months[static_cast<std::size_t>(hov)] + ": " +
                     std::to_string(r.per_month[static_cast<std::size_t>(hov)]) + " entries");
        ImGui::TableNextColumn();
        ImGui::Text("%d", r.total);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(short_date(r.last_day).c_str());
        ++row;
      }
      ImGui::EndTable();
    }
    a.track("skills.table");
  }
};

}  // namespace

std::unique_ptr<View> make_skills_view() { return std::make_unique<SkillsView>(); }

}  // namespace cairn::ui
