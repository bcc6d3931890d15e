// Settings: the auto-lock time, what the record holds, and locking now.
#include <imgui.h>

#include "../theme.hpp"
#include "../widgets.hpp"
#include "views.hpp"

namespace cairn::ui {
namespace {

class SettingsView final : public View {
 public:
  const char* id() const override { return "settings"; }
  const char* title() const override { return "Settings"; }
  void reset() override { minutes_ = -1; }

  void draw(const Snapshot& s, Actions& a) override {
    w::title("Settings");
    w::heading("Lock when idle");
    w::muted("After this many minutes without input the panel locks: it closes the record, drops everything it "
             "decrypted from memory and forgets the keys. Unlocking needs your passphrase again.");
    if (minutes_ < 0 || (!dirty_ && minutes_ != s.autolock_minutes)) minutes_ = s.autolock_minutes;
    ImGui::SetNextItemWidth(px(260));
    if (ImGui::SliderInt("minutes##autolock", &minutes_, 1, 120)) dirty_ = true;
    a.track("settings.autolock");
    ImGui::SameLine();
    ImGui::BeginDisabled(minutes_ == s.autolock_minutes);
    if (ImGui::Button("Apply")) {
      a.send(cmd::SetAutolock{minutes_});
      dirty_ = false;
    }
    a.track("settings.apply");
    ImGui::EndDisabled();

    w::heading("Your record");
    if (!s.counts) {
      w::muted("Counting\xE2\x80\xA6");
      return;
    }
    const auto& c = *s.counts;
    char line[256];
    std::snprintf(line, sizeof line,
                  "%lld activity spans, %lld commits, %lld meetings, %lld contributions, %lld goals, %lld reflections. "
                  "Encrypted on this computer; only your passphrase or recovery code opens it.",
                  static_cast<long long>(c.spans), static_cast<long long>(c.commits), static_cast<long long>(c.meetings),
                  static_cast<long long>(c.contributions), static_cast<long long>(c.goals),
                  static_cast<long long>(c.reflections));
    w::muted(line);
    if (s.weak_kdf) w::message_line("This vault uses fast, insecure key stretching (test mode).", true);
  }

 private:
  int minutes_ = -1;
  bool dirty_ = false;
};

}  // namespace

std::unique_ptr<View> make_settings_view() { return std::make_unique<SettingsView>(); }

}  // namespace cairn::ui
