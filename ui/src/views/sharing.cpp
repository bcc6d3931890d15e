// Sharing: where collection plans and the reports awaiting approval will appear once the sharing
// side exists. Until then it says plainly that nothing is joined and nothing is shared.
#include <imgui.h>

#include "../theme.hpp"
#include "../widgets.hpp"
#include "views.hpp"

namespace cairn::ui {
namespace {

class SharingView final : public View {
 public:
  const char* id() const override { return "sharing"; }
  const char* title() const override { return "Sharing"; }

  void draw(const Snapshot&, Actions& a) override {
    w::title("Sharing");
    w::muted("Your organisation may ask for team-level numbers, such as the team's average focus time. Only you "
             "decide whether your device takes part, report by report.");
    ImGui::Dummy(ImVec2(0, px(6)));
    w::begin_card();
    ImGui::PushFont(fonts().heading);
    ImGui::TextUnformatted("No plans joined yet");
    ImGui::PopFont();
    a.track("sharing.empty");
    w::muted("Nothing has been shared from this device.");
    w::end_card();

    w::heading("How sharing will work");
    const char* steps[] = {
        "A plan arrives, signed by your organisation: its purpose in plain words, the numbers it asks for, the "
        "smallest team it reports on and its privacy cost. You accept or decline it.",
        "Each report is shown to you before it leaves: the exact values, the noise added to them, the privacy cost, "
        "what is left of your yearly privacy budget, and the bytes that would be sent. You approve or decline it.",
        "Reports are split between two independent servers; neither alone can read anything, and results are only "
        "released for groups at least as large as the plan's minimum.",
        "Never shared: any individual value, window titles, commit messages, meeting details, your contributions, "
        "reflections or goals."};
    for (const char* s : steps) {
      ImGui::Bullet();
      ImGui::SameLine();
      w::text(s);
    }
  }
};

}  // namespace

std::unique_ptr<View> make_sharing_view() { return std::make_unique<SharingView>(); }

}  // namespace cairn::ui
