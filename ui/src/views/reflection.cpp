// Reflection: a short weekly note under three prompts, pre-filled from the week's signals so the
// employee edits rather than starts from nothing. Skipping is a normal choice: no streaks, no
// reminders of missed weeks.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "../format.hpp"
#include "../scrub.hpp"
#include "../theme.hpp"
#include "../widgets.hpp"
#include "cairn/base/clock.hpp"
#include "views.hpp"

namespace cairn::ui {
namespace {

class ReflectionView final : public View {
 public:
  const char* id() const override { return "reflection"; }
  const char* title() const override { return "Reflection"; }
  void reset() override {
    loaded_week_ = -1;
    for (auto& t : text_) t.scrub();
  }

  void draw(const Snapshot& s, Actions& a) override {
    if (!s.week) return;
    const WeekData& wk = *s.week;
    // (Re)load the fields when the week changes or after the saved version came back.
    const std::uint64_t stamp = wk.reflection ? static_cast<std::uint64_t>(wk.reflection->updated) : 0;
    if (loaded_week_ != wk.start_day || loaded_stamp_ != stamp) {
      loaded_week_ = wk.start_day;
      loaded_stamp_ = stamp;
      from_record_ = !wk.reflection || wk.reflection->skipped;
      if (wk.reflection && !wk.reflection->skipped) {
        text_[0].set(wk.reflection->changed);
        text_[1].set(wk.reflection->helped);
        text_[2].set(wk.reflection->judgment);
      } else {
        for (int i = 0; i < 3; ++i) text_[i].set(wk.prefill[static_cast<std::size_t>(i)]);
      }
    }
    w::title("Reflection");
    w::muted(wk.label);
    ImGui::Dummy(ImVec2(0, px(2)));
    if (ImGui::Button("\xE2\x86\x90 Earlier week")) a.send(cmd::ShowWeek{wk.start_day - 7});
    ImGui::SameLine();
    ImGui::BeginDisabled(wk.start_day >= week_start_day(s.today));
    if (ImGui::Button("Later week \xE2\x86\x92")) a.send(cmd::ShowWeek{wk.start_day + 7});
    ImGui::EndDisabled();
    ImGui::Dummy(ImVec2(0, px(4)));
    w::muted("A few minutes, once a week, in your own words. It stays in your record and is never shared. "
             "Skipping a week is fine; nothing here counts how often you write.");
    if (wk.reflection && wk.reflection->skipped) w::small_muted("You chose to skip this week. You can still write something.");
    else if (wk.reflection) w::small_muted("Saved " + date_text(local_day(wk.reflection->updated, 0)) + ".");
    else if (from_record_) w::small_muted("The fields start with what your record already shows for this week; edit or clear them.");

    static const char* prompts[] = {"What changed because of your work?", "Who did you help, and how?",
                                    "Which judgment call did you make, and why?"};
    static const char* hints[] = {"An outcome for someone, not a list of tasks.",
                                  "Reviews, pairing, unblocking, answering questions.",
                                  "What you weighed, what you chose, what you said no to."};
    static const char* keys[] = {"refl.changed", "refl.helped", "refl.judgment"};
    for (int i = 0; i < 3; ++i) {
      w::begin_card();
      ImGui::PushFont(fonts().heading);
      ImGui::TextUnformatted(prompts[i]);
      ImGui::PopFont();
      w::small_muted(hints[i]);
      ImGui::PushID(i);
      w::wrapped_input("##t", text_[i], ImGui::GetTextLineHeight() * 4.5f);
      a.track(keys[i]);
      ImGui::PopID();
      w::end_card();
    }
    if (w::primary_button("Save reflection")) {
      store::Reflection r;
      r.week = iso_week_string(wk.start_day);
      r.changed = text_[0].text();
      r.helped = text_[1].text();
      r.judgment = text_[2].text();
      a.send(cmd::SaveReflection{r});
    }
    a.track("refl.save");
    ImGui::SameLine();
    if (ImGui::Button("Skip this week")) {
      store::Reflection r;
      r.week = iso_week_string(wk.start_day);
      r.skipped = true;
      a.send(cmd::SaveReflection{r});
    }
    a.track("refl.skip");
  }

 private:
  std::int64_t loaded_week_ = -1;
  std::uint64_t loaded_stamp_ = 0;
  bool from_record_ = false;
  WrappedText text_[3];  // lines kept: the prompts are pre-filled as lists
};

}  // namespace

std::unique_ptr<View> make_reflection_view() { return std::make_unique<ReflectionView>(); }

}  // namespace cairn::ui
