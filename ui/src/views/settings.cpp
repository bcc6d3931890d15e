// Settings: the auto-lock time, "Open at login" (the per-user XDG autostart entry), and what the
// record holds.
#include <imgui.h>

#include "../autostart.hpp"
#include "../format.hpp"
#include "../theme.hpp"
#include "../widgets.hpp"
#include "cairn/base/text.hpp"
#include "views.hpp"

namespace cairn::ui {
namespace {

class SettingsView final : public View {
 public:
  const char* id() const override { return "settings"; }
  const char* title() const override { return "Settings"; }
  void reset() override {
    minutes_ = -1;
    autostart_read_ = false;
  }

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

    open_at_login(a);
    w::heading("Your record");
    if (!s.counts) {
      w::muted("Counting\xE2\x80\xA6");
      return;
    }
    const auto& c = *s.counts;
    w::muted(count_text(c.spans, "activity span", "activity spans") + ", " + count_text(c.commits, "commit", "commits") +
             ", " + count_text(c.meetings, "meeting", "meetings") + ", " +
             count_text(c.contributions, "contribution", "contributions") + ", " + count_text(c.goals, "goal", "goals") +
             ", " + count_text(c.reflections, "reflection", "reflections") +
             ". Encrypted on this computer; only your passphrase or recovery code opens it.");
    if (s.weak_kdf) w::message_line("This vault uses fast, insecure key stretching (test mode).", true);
  }

 private:
  // The per-user override of the system's autostart entry (docs/installing.md).
  void open_at_login(Actions& a) {
    w::heading("Open at login");
    const AutostartFiles files = autostart_files();
    if (!autostart_read_) {
      autostart_ = autostart_on(files);
      autostart_read_ = true;
    }
    std::error_code ec;
    const bool installed = std::filesystem::exists(files.system, ec);
    ImGui::BeginDisabled(!installed);
    bool on = autostart_;
    if (ImGui::Checkbox("Open the panel when I log in", &on)) {
      if (auto st = set_autostart(files, on); st.ok()) autostart_ = autostart_on(files);
      else error_ = st.error().message;
    }
    a.track("settings.autostart");
    ImGui::EndDisabled();
    w::small_muted(installed ? "It opens locked, to show what waits for your approval. This only changes your own "
                               "login; the collection agent runs either way, under its own systemd unit."
                             : "Not available: this installation has no autostart entry for the panel.");
    if (!error_.empty()) w::message_line(error_, true);
  }

  bool autostart_read_ = false, autostart_ = false;
  std::string error_;
  int minutes_ = -1;
  bool dirty_ = false;
};

}  // namespace

std::unique_ptr<View> make_settings_view() { return std::make_unique<SettingsView>(); }

}  // namespace cairn::ui
