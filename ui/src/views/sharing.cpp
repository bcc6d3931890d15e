// Sharing: the plans the employee joined or declined, each report awaiting approval with the exact
// values, the noise, the privacy cost (per report and what is left of the year, the same line as
// `cairn share show`) and the bytes that would leave, and the history of everything shared with
// each report's cost; the team results the employee's reports went into (team_results.cpp). Above
// them, what runs without a terminal: the keyless uploader's status line
// and the panel's checks for plans ("Check now"). Approve / decline / join / leave / check are
// commands to the worker; nothing here touches the network (an approved report waits in the spool
// for cairn-upload). Plan and report texts come from the organisation: drawn with TextUnformatted only.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "../format.hpp"
#include "../theme.hpp"
#include "../widgets.hpp"
#include "views.hpp"

namespace cairn::ui {
namespace {

std::string num(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

void label_value(const char* label, const std::string& value) {
  // "epsilon" in words: the panel's font atlas has no Greek glyphs. Long values wrap under
  // themselves, not under the label.
  ImGui::TextUnformatted(label);
  // A label longer than the column (a metric's name) pushes its value right instead of under it.
  ImGui::SameLine(std::max(px(190), ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + px(12)));
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(value.c_str());
  ImGui::PopTextWrapPos();
}

// "Thu 3 Dec 10:02" in local time; a dash for never.
std::string when(std::int64_t t, const Clock& clock) {
  if (t <= 0) return "\xE2\x80\x93";
  const auto off = clock.utc_offset(t);
  return short_date(local_day(t, off)) + " " + clock_text(local_second_of_day(t, off));
}

class SharingView final : public View {
 public:
  const char* id() const override { return "sharing"; }
  const char* title() const override { return "Sharing"; }

  void draw(const Snapshot& s, Actions& a) override {
    w::title("Sharing");
    w::muted("Your organisation may ask for team-level numbers, such as the team's average focus time. Only you "
             "decide whether your device takes part, report by report.");
    ImGui::Dummy(ImVec2(0, px(6)));
    const SharingData* d = s.sharing.get();
    if (d && !d->error.empty()) {
      w::begin_card();
      w::message_line("Sharing is unavailable: " + d->error, true);
      w::end_card();
    }
    if (!d || (!d->enrolled && d->plans.empty() && d->history.empty())) {
      empty();
      how();
      return;
    }
    if (d->enrolled) w::small_muted("This device is enrolled with " + d->org + ", team " + d->team + ".");
    status(s.sharing_status.get(), a);
    pending(*d, a);
    draw_team_results(*d, a);
    plans(*d, a);
    history(*d, a);
    how();
  }

 private:
  void empty() {
    w::begin_card();
    ImGui::PushFont(fonts().heading);
    ImGui::TextUnformatted("No plans joined yet");
    ImGui::PopFont();
    w::muted("Nothing has been shared from this device. Enrolling needs a token from your organisation "
             "(`cairn enroll TOKEN`).");
    w::end_card();
  }

  // What happens without a terminal: the uploader's line and the panel's own checks.
  void status(const SharingStatus* st, Actions& a) {
    if (!st) return;
    w::begin_card();
    const std::string sending = st->sending.empty() ? std::string("Nothing approved yet, so nothing waits to send.") : st->sending;
    label_value("Sending", sending);
    a.track("share.sending", sending);
    w::help("Approved reports are already sealed and signed. The uploader (cairn-upload, started every 15 minutes by "
            "a systemd timer) sends them without any key, even while the panel is closed.");
    if (st->enrolled) {
      label_value("Plans", st->checks);
      a.track("share.checks", st->checks);
      w::help("The panel asks your organisation for new plans and prepares the reports that are due right after "
              "unlocking and every 15 minutes while it is open. Nothing is sent by checking.");
      ImGui::BeginDisabled(st->checking);
      if (ImGui::Button("Check now")) a.send(cmd::CheckSharing{});
      a.track("share.check");
      ImGui::EndDisabled();
    }
    w::end_card();
  }

  void pending(const SharingData& d, Actions& a) {
    w::heading("Awaiting your decision");
    a.track("share.pending");
    if (d.pending.empty()) {
      w::muted("No report is waiting. When a joined plan's period ends, its report appears here before anything "
               "leaves.");
      return;
    }
    for (std::size_t i = 0; i < d.pending.size(); ++i) {
      const auto& p = d.pending[i];
      ImGui::PushID(static_cast<int>(i));
      w::begin_card();
      ImGui::PushFont(fonts().heading);
      std::string head = p.plan_id + " \xC2\xB7 " + p.period;
      ImGui::TextUnformatted(head.c_str());
      ImGui::PopFont();
      a.track("share.pending_plan." + std::to_string(i), p.plan_id + " " + p.period);
      if (!p.purpose.empty()) w::text(p.purpose);
      w::text(p.guarantee);
      w::small_muted("The exact values this report carries, split between two servers with a proof that they are in "
                     "range; neither server alone can read them, and each adds its own noise to the team's total.");
      if (ImGui::BeginTable("##values", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("Number");
        ImGui::TableSetupColumn("Your value");
        ImGui::TableSetupColumn("Unit");
        ImGui::TableHeadersRow();
        for (const auto& v : p.values) {
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          std::string name = v.coordinate.empty() ? v.metric : v.metric + " / " + v.coordinate;
          ImGui::TextUnformatted(name.c_str());
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(num("%.2f", v.value).c_str());
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(v.unit.c_str());
        }
        ImGui::EndTable();
      }
      ImGui::Dummy(ImVec2(0, px(4)));
      for (const auto& n : p.noise)
        label_value(("Noise on " + n.metric).c_str(), "\xC2\xB1" + num("%.2f", n.sum_sd_units) + " " + n.unit + " on the team's total, \xC2\xB1" +
                                                          num("%.3f", n.mean_se_units) + " on a team mean of " + std::to_string(p.k));
      w::help("What the organisation will see: both aggregators' noise layers together. Each layer alone protects you.");
      label_value("Privacy cost", p.cost);
      a.track("share.cost." + std::to_string(i), p.cost);
      w::help("Charged to your yearly privacy budget only when you approve; declining costs nothing, because nothing "
              "leaves this device.");
      label_value("Bytes that will leave", std::to_string(p.bytes) + " bytes, sealed and signed");
      if (ImGui::TreeNode("##bytes", "Show the first bytes")) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(p.envelope_hex.c_str());
        ImGui::PopTextWrapPos();
        ImGui::TreePop();
      }
      ImGui::Dummy(ImVec2(0, px(4)));
      if (w::primary_button("Approve")) a.send(cmd::DecideReport{p.report_id, true});
      a.track("share.approve." + std::to_string(i));
      ImGui::SameLine();
      if (ImGui::Button("Decline")) a.send(cmd::DecideReport{p.report_id, false});
      a.track("share.decline." + std::to_string(i));
      w::small_muted("Approving queues the report; the uploader sends it within about 15 minutes, even with the panel "
                     "closed. Declining erases its bytes and charges nothing.");
      w::end_card();
      ImGui::PopID();
    }
  }

  void plans(const SharingData& d, Actions& a) {
    w::heading("Plans");
    if (d.plans.empty()) {
      w::muted("No plan has arrived yet.");
      return;
    }
    for (std::size_t i = 0; i < d.plans.size(); ++i) {
      const auto& p = d.plans[i];
      ImGui::PushID(static_cast<int>(i) + 1000);
      w::begin_card();
      ImGui::PushFont(fonts().heading);
      ImGui::TextUnformatted(p.id.c_str());
      ImGui::PopFont();
      a.track("share.plan." + std::to_string(i), p.id + " " + p.state);
      ImGui::SameLine();
      const char* state = p.state == "joined" ? "joined" : p.state == "declined" ? "declined" : "not decided";
      ImGui::TextDisabled("%s", state);
      w::text(p.purpose);
      std::string metrics;
      for (const auto& m : p.metrics) metrics += (metrics.empty() ? "" : ", ") + m;
      label_value("Asks for", metrics);
      label_value("From", p.org + ", team " + p.team + ", every " + p.cadence);
      label_value("Smallest group", std::to_string(p.k) + " people");
      label_value("Privacy cost", p.cost);
      a.track("share.plan_cost." + std::to_string(i), p.cost);
      if (p.state != "joined") {
        if (ImGui::Button("Join")) a.send(cmd::JoinPlan{p.id, true});
        a.track("share.join." + std::to_string(i));
      }
      if (p.state != "declined") {
        if (p.state != "joined") ImGui::SameLine();
        if (ImGui::Button(p.state == "joined" ? "Leave" : "Decline")) a.send(cmd::JoinPlan{p.id, false});
        a.track("share.leave." + std::to_string(i));
      }
      w::end_card();
      ImGui::PopID();
    }
  }

  void history(const SharingData& d, Actions& a) {
    w::heading("History");
    w::small_muted("Every report prepared on this device, newest first: what you decided and whether it left.");
    if (d.history.empty()) {
      w::muted("Nothing yet.");
      return;
    }
    if (ImGui::BeginTable("##history", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("Plan", 0, 1.0f);
      ImGui::TableSetupColumn("Period", 0, 0.8f);
      ImGui::TableSetupColumn("State", 0, 0.7f);
      ImGui::TableSetupColumn("Decided", 0, 1.2f);
      ImGui::TableSetupColumn("Left the device", 0, 1.2f);
      ImGui::TableSetupColumn("Cost", 0, 3.0f);
      ImGui::TableHeadersRow();
      for (std::size_t i = 0; i < d.history.size(); ++i) {
        const auto& r = d.history[i];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.plan_id.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.period.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.state.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(when(r.decided.value_or(0), a.clock()).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(when(r.uploaded.value_or(0), a.clock()).c_str());
        ImGui::TableNextColumn();
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(r.cost.c_str());
        ImGui::PopTextWrapPos();
        a.track("share.history." + std::to_string(i), r.plan_id + " " + r.period + " " + r.state + ": " + r.cost);
      }
      ImGui::EndTable();
    }
  }

  void how() {
    w::heading("How sharing works");
    const char* steps[] = {
        "A plan arrives, signed by your organisation: its purpose in plain words, the numbers it asks for, the "
        "smallest team it reports on and its privacy cost. You join or decline it.",
        "Each report is shown to you before it leaves: the exact values, the noise added to them, the privacy cost, "
        "what is left of your yearly privacy budget, and the bytes that would be sent. You approve or decline it.",
        "Reports are split between two independent servers; neither alone can read anything, and results are only "
        "released for groups at least as large as the plan's minimum.",
        "Never shared: any individual value, window titles, commit messages, meeting details, your contributions, "
        "reflections or goals."};
    for (const char* st : steps) {
      ImGui::Bullet();
      ImGui::SameLine();
      w::text(st);
    }
  }
};

}  // namespace

std::unique_ptr<View> make_sharing_view() { return std::make_unique<SharingView>(); }

}  // namespace cairn::ui
