// Sources & consent: every source with what it collects and never collects, switched on or off
// explicitly, and a way to delete what a source stored. Turning a source off never needs the
// passphrase (consent.conf is plain config); deleting stored data needs the open record.
#include <imgui.h>

#include "../format.hpp"
#include "../theme.hpp"
#include "../widgets.hpp"
#include "cairn/base/clock.hpp"
#include "views.hpp"

namespace cairn::ui {
namespace {

class SourcesView final : public View {
 public:
  const char* id() const override { return "sources"; }
  const char* title() const override { return "Sources & consent"; }

  void draw(const Snapshot& s, Actions& a) override {
    if (!s.consent) return;
    w::title("Sources & consent");
    w::muted("Each source is off until you turn it on here. Turning one off stops collection at once; what it already "
             "stored stays in your record until you delete it.");
    ImGui::Dummy(ImVec2(0, px(4)));
    for (const auto& d : consent::descriptions()) {
      const std::string name = records::source_name(d.source);
      ImGui::PushID(name.c_str());
      w::begin_card();
      ImGui::PushFont(fonts().heading);
      ImGui::TextUnformatted(d.title);
      ImGui::PopFont();
      if (d.source == records::Source::self) {
        ImGui::SameLine();
        w::small_muted("always yours to write");
      } else {
        bool on = s.consent->state.enabled(d.source);
        ImGui::SameLine(ImGui::GetContentRegionMax().x - px(150));
        if (ImGui::Checkbox(on ? "Collecting" : "Off", &on)) a.send(cmd::SetSource{d.source, on});
        a.track("source." + name + ".toggle");
      }
      w::small_muted("Collects");
      w::text(d.collects);
      w::small_muted("Never collects");
      w::text(d.never_collects);
      w::small_muted(d.retention);
      if (d.source == records::Source::activity && s.consent->state.activity) {
        w::small_muted("Now");  // which backend collects (X11, sway, GNOME, KDE), or why nothing is
        w::text(s.consent->activity_status);
      }
      if (d.source != records::Source::self && d.source != records::Source::activity_titles) {
        ImGui::Dummy(ImVec2(0, px(2)));
        if (w::link_button("Delete what this source stored\xE2\x80\xA6")) ImGui::OpenPopup("Delete stored data?");
        a.track("source." + name + ".delete");
      } else if (d.source == records::Source::activity_titles) {
        ImGui::Dummy(ImVec2(0, px(2)));
        if (w::link_button("Delete stored window titles\xE2\x80\xA6")) ImGui::OpenPopup("Delete stored data?");
        a.track("source." + name + ".delete");
      }
      if (ImGui::BeginPopupModal("Delete stored data?", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::PushTextWrapPos(px(420));
        ImGui::Text("Delete everything \"%s\" stored in your record? Day totals are recomputed without it. This "
                    "cannot be undone.", d.title);
        ImGui::PopTextWrapPos();
        if (ImGui::Button("Delete")) {
          a.send(cmd::DeleteSourceData{d.source});
          ImGui::CloseCurrentPopup();
        }
        a.track("source.confirm_delete");
        ImGui::SameLine();
        if (ImGui::Button("Keep it")) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
      }
      w::end_card();
      ImGui::PopID();
    }

    consent_log(s);
    a.track("sources.log");
  }

 private:
  // Every change to consent, newest first, with the time as a person reads it.
  static void consent_log(const Snapshot& s) {
    w::heading("Changes to consent");
    w::small_muted("Every change you made, newest first, in local time. The same log is kept in your record.");
    if (s.consent->log.empty()) {
      w::muted("No changes yet.");
      return;
    }
    if (!ImGui::BeginTable("##log", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) return;
    ImGui::TableSetupColumn("When");
    ImGui::TableSetupColumn("Source");
    ImGui::TableSetupColumn("Change");
    ImGui::TableHeadersRow();
    for (const auto& e : s.consent->log) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const std::string when = moment_text(e.time, s.utc_offset, s.today);
      ImGui::TextUnformatted(when.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(e.source.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(change_text(e.action));
    }
    ImGui::EndTable();
  }

  static const char* change_text(const std::string& action) {
    if (action == "grant") return "turned on";
    if (action == "revoke") return "turned off";
    if (action == "delete-data") return "stored data deleted";
    return action.c_str();
  }
};

}  // namespace

std::unique_ptr<View> make_sources_view() { return std::make_unique<SourcesView>(); }

}  // namespace cairn::ui
