// The gate in front of the record: first-run vault creation (with passphrase strength feedback),
// the recovery code shown once, the consent walk-through, and the unlock screen later on.
#include <imgui.h>

#include <cmath>

#include "../charts.hpp"
#include "../secret_field.hpp"
#include "../strength.hpp"
#include "../theme.hpp"
#include "../widgets.hpp"
#include "views.hpp"

namespace cairn::ui {
namespace {

class GateView final : public View {
 public:
  const char* id() const override { return "unlock"; }
  const char* title() const override { return "Unlock"; }
  void reset() override {
    pass_.wipe();
    confirm_.wipe();
    saved_ = false;
    step_ = 0;
    recovery_ = false;
  }

  void draw(const Snapshot& s, Actions& a) override {
    // A centred column of readable width.
    const float col = std::min(px(560), ImGui::GetContentRegionAvail().x);
    ImGui::SetCursorPosX((ImGui::GetContentRegionAvail().x - col) / 2 + ImGui::GetCursorPosX());
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + col);
    ImGui::Dummy(ImVec2(col, px(48)));
    ImGui::PushFont(fonts().heading);
    ImGui::PushStyleColor(ImGuiCol_Text, colour::to_vec(colour::accent()));
    ImGui::TextUnformatted("Cairn");
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, px(10)));
    switch (s.phase) {
      case Phase::no_vault: create(s, a, col); break;
      case Phase::locked: unlock(s, a, col); break;
      case Phase::working: working(s, col); break;
      case Phase::recovery_code: recovery(s, a, col); break;
      case Phase::onboarding: onboarding(s, a, col); break;
      case Phase::unlocked: break;
    }
    ImGui::Dummy(ImVec2(0, px(28)));
    w::small_muted("Your record is encrypted on this computer and opens only with your passphrase or recovery code. "
                   "Cairn sends nothing anywhere without your approval.");
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
  }

 private:
  void create(const Snapshot& s, Actions& a, float col) {
    w::title("Welcome to Cairn");
    ImGui::Dummy(ImVec2(0, px(4)));
    w::muted("Cairn keeps a private record of your work on this computer, for your own reflection: what changed "
             "because of your work, what lasted, whom you helped, and the judgment calls you made. Nothing is "
             "collected until you allow it, and nothing leaves this computer unless you approve it.");
    w::heading("Choose a passphrase");
    w::muted("It encrypts your record. Nobody, including your employer and Cairn, can recover it for you.");
    ImGui::Dummy(ImVec2(0, px(2)));
    bool enter = pass_.draw("##pass", "Passphrase", col);
    a.track("gate.pass");
    enter |= confirm_.draw("##confirm", "The same passphrase again", col);
    a.track("gate.confirm");
    Strength st = estimate_strength(pass_.view());
    // Five-step meter: filled steps in the level's colour, the rest faint.
    static const ImU32 level_colour[] = {IM_COL32(0xC4, 0x5A, 0x3C, 255), IM_COL32(0xD5, 0x8B, 0x2E, 255),
                                         IM_COL32(0xB8, 0xA4, 0x2A, 255), IM_COL32(0x3C, 0x8D, 0x6A, 255),
                                         IM_COL32(0x1F, 0x6F, 0x8B, 255)};
    std::vector<charts::Part> parts;
    const int filled = pass_.empty() ? 0 : st.level + 1;
    for (int i = 0; i < 5; ++i)
      parts.push_back({"", 1.0f, i < filled ? level_colour[st.level] : colour::faint()});
    ImGui::Dummy(ImVec2(0, px(2)));
    charts::proportion_bar("##strength", parts, 6, col);
    if (!pass_.empty()) {
      char line[160];
      std::snprintf(line, sizeof line, "%s (about %.0f bits).", st.label, std::floor(st.bits));
      ImGui::TextUnformatted(line);
      ImGui::SameLine();
      w::help("Estimated from the length and the kinds of characters used, discounting repeats, runs such as "
              "\"abc\" or \"123\" and very common passwords; a phrase of words is counted per word. A rough "
              "guide, not a guarantee.");
    }
    w::muted(st.advice);
    const bool match = pass_.view() == confirm_.view();
    if (!confirm_.empty() && !match) w::message_line("The two entries differ.", true);
    const bool ok = st.level >= kMinimumLevel && match && !pass_.empty();
    ImGui::Dummy(ImVec2(0, px(6)));
    ImGui::BeginDisabled(!ok);
    bool go = w::primary_button("Create my vault");
    a.track("gate.create");
    ImGui::EndDisabled();
    if ((go || enter) && ok) {
      confirm_.wipe();
      a.send(cmd::CreateVault{pass_.take()});
    }
    w::message_line(s.message, s.message_is_error);
  }

  void unlock(const Snapshot& s, Actions& a, float col) {
    w::title("Welcome back");
    ImGui::Dummy(ImVec2(0, px(4)));
    w::muted(recovery_ ? "Type the recovery code you saved when you set up Cairn. Dashes and spaces do not matter."
                       : "Unlock your record with your passphrase. What the agent collected while the panel was "
                         "closed is added then.");
    ImGui::Dummy(ImVec2(0, px(4)));
    bool enter = pass_.draw("##unlock", recovery_ ? "Recovery code" : "Passphrase", col);
    a.track("gate.unlock_pass");
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere(-1);
    ImGui::Dummy(ImVec2(0, px(4)));
    bool go = w::primary_button("Unlock");
    a.track("gate.unlock");
    if ((go || enter) && !pass_.empty()) a.send(cmd::Unlock{pass_.take(), recovery_});
    ImGui::SameLine(0, px(16));
    if (w::link_button(recovery_ ? "Use my passphrase" : "Use the recovery code instead")) {
      recovery_ = !recovery_;
      pass_.wipe();
    }
    a.track("gate.toggle_recovery");
    ImGui::Dummy(ImVec2(0, px(4)));
    w::message_line(s.message, s.message_is_error);
  }

  void working(const Snapshot& s, float col) {
    w::title("One moment");
    ImGui::Dummy(ImVec2(0, px(6)));
    ImGui::TextUnformatted(s.progress_label.c_str());
    ImGui::Dummy(ImVec2(0, px(4)));
    if (s.progress >= 0) {
      ImGui::ProgressBar(s.progress, ImVec2(col, px(8)), "");
    } else {
      // Indeterminate: a short segment gliding along, redrawn on the panel's animation timer.
      ImDrawList* dl = ImGui::GetWindowDrawList();
      ImVec2 p = ImGui::GetCursorScreenPos();
      float t = static_cast<float>(std::fmod(ImGui::GetTime() * 0.6, 1.0));
      dl->AddRectFilled(p, ImVec2(p.x + col, p.y + px(8)), colour::faint(), px(4));
      float x0 = p.x + (col * 1.3f) * t - col * 0.3f;
      dl->AddRectFilled(ImVec2(std::max(p.x, x0), p.y), ImVec2(std::min(p.x + col, x0 + col * 0.3f), p.y + px(8)),
                        colour::accent(), px(4));
      ImGui::Dummy(ImVec2(col, px(8)));
    }
    ImGui::Dummy(ImVec2(0, px(6)));
    w::small_muted("Your passphrase is being stretched with Argon2id so that guessing it is slow for anyone else.");
  }

  void recovery(const Snapshot& s, Actions& a, float col) {
    w::title("Your recovery code");
    ImGui::Dummy(ImVec2(0, px(4)));
    w::muted("If you ever forget your passphrase, this code opens your record. It is shown only this once and is "
             "not stored anywhere. Write it down and keep it somewhere safe, away from this computer.");
    ImGui::Dummy(ImVec2(0, px(8)));
    if (s.recovery_code) {
      // Drawn straight from the secret's memory: no copy into an ordinary string.
      ImGui::PushFont(fonts().title);
      ImVec2 p = ImGui::GetCursorScreenPos();
      const char* b = reinterpret_cast<const char*>(s.recovery_code->data());
      ImVec2 ts = ImGui::CalcTextSize(b, b + s.recovery_code->size());
      ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + col, p.y + ts.y + px(28)), colour::card_bg(), px(8));
      ImGui::GetWindowDrawList()->AddRect(p, ImVec2(p.x + col, p.y + ts.y + px(28)), colour::faint(), px(8));
      ImGui::SetCursorScreenPos(ImVec2(p.x + (col - ts.x) / 2, p.y + px(14)));
      ImGui::TextUnformatted(b, b + s.recovery_code->size());
      ImGui::PopFont();
      ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + ts.y + px(36)));
    }
    if (s.weak_kdf) w::message_line("Test mode: this vault uses fast, insecure key stretching.", true);
    ImGui::Checkbox("I have written down my recovery code", &saved_);
    a.track("gate.saved");
    ImGui::Dummy(ImVec2(0, px(4)));
    ImGui::BeginDisabled(!saved_);
    if (w::primary_button("Continue")) a.send(cmd::RecoverySaved{});
    a.track("gate.continue");
    ImGui::EndDisabled();
  }

  void onboarding(const Snapshot& s, Actions& a, float) {
    const auto& all = consent::descriptions();
    std::vector<const consent::Description*> steps;
    for (const auto& d : all)
      if (d.source != records::Source::self) steps.push_back(&d);
    if (step_ >= static_cast<int>(steps.size())) step_ = static_cast<int>(steps.size()) - 1;
    const auto& d = *steps[static_cast<std::size_t>(step_)];
    char counter[64];
    std::snprintf(counter, sizeof counter, "Source %d of %zu", step_ + 1, steps.size());
    w::small_muted(counter);
    w::title(d.title);
    ImGui::Dummy(ImVec2(0, px(4)));
    w::muted("Every source starts off. Turn it on only if you want it in your record; you can turn it off at any "
             "time without your passphrase, and delete what it collected.");
    w::heading("What it collects");
    w::text(d.collects);
    w::heading("What it never collects");
    w::text(d.never_collects);
    w::heading("How long it is kept");
    w::text(d.retention);
    ImGui::Dummy(ImVec2(0, px(8)));
    bool on = s.consent && s.consent->state.enabled(d.source);
    std::string label = std::string("Collect this in my record##") + records::source_name(d.source);
    if (ImGui::Checkbox(label.c_str(), &on)) a.send(cmd::SetSource{d.source, on});
    a.track(std::string("onboard.toggle.") + records::source_name(d.source));
    ImGui::Dummy(ImVec2(0, px(10)));
    ImGui::BeginDisabled(step_ == 0);
    if (ImGui::Button("Back")) --step_;
    ImGui::EndDisabled();
    ImGui::SameLine();
    const bool last = step_ + 1 == static_cast<int>(steps.size());
    if (w::primary_button(last ? "Finish" : "Next")) {
      if (last) a.send(cmd::FinishOnboarding{});
      else ++step_;
    }
    a.track("onboard.next");
    w::message_line(s.message, s.message_is_error);
  }

  SecretField pass_, confirm_;
  bool saved_ = false;
  bool recovery_ = false;
  int step_ = 0;
};

}  // namespace

std::unique_ptr<View> make_gate_view() { return std::make_unique<GateView>(); }

}  // namespace cairn::ui
