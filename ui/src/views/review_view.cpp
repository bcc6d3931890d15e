// Self-review draft: a period chooser, the spread of evidence over the period (recency bias made
// visible), the draft with each sentence's evidence beneath it, and a Markdown export to a file
// the employee names.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>

#include "../charts.hpp"
#include "../format.hpp"
#include "../scrub.hpp"
#include "../theme.hpp"
#include "../widgets.hpp"
#include "cairn/base/clock.hpp"
#include "views.hpp"

namespace cairn::ui {
namespace {

bool parse_day(const std::string& s, std::int64_t& day) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(s.c_str(), "%d-%u-%u", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31) return false;
  day = days_from_civil(y, m, d);
  return true;
}

class ReviewView final : public View {
 public:
  const char* id() const override { return "review"; }
  const char* title() const override { return "Self-review"; }
  void reset() override {
    scrub(path_);
    replace_ = false;
    from_.clear();
    to_.clear();
  }

  void draw(const Snapshot& s, Actions& a) override {
    if (!s.review) return;
    const ReviewDraft& d = *s.review;
    w::title("Self-review draft");
    w::muted("A starting point for a conversation about your development, built only from your own record. Every "
             "sentence is your own words or a count, and names its evidence; nothing is padded. Each section says what "
             "would make it stronger.");
    ImGui::Dummy(ImVec2(0, px(4)));

    period(s, d, a);
    spread(d);
    sections(d, a);
    export_row(a);
  }

 private:
  // The period: three presets and two dates.
  void period(const Snapshot& s, const ReviewDraft& d, Actions& a) {
    const struct { const char* label; int days; } periods[] = {{"Last 3 months", 91}, {"Last 6 months", 182}, {"Last 12 months", 365}};
    for (int i = 0; i < 3; ++i) {
      if (i) ImGui::SameLine();
      bool on = d.to_day == s.today && d.to_day - d.from_day == periods[i].days;
      if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
      if (ImGui::Button(periods[i].label)) a.send(cmd::BuildReview{s.today - periods[i].days, s.today});
      if (on) ImGui::PopStyleColor();
      a.track("review.period." + std::to_string(i));
    }
    ImGui::SameLine(0, px(24));
    if (from_.empty()) from_ = day_string(d.from_day);
    if (to_.empty()) to_ = day_string(d.to_day);
    ImGui::SetNextItemWidth(px(120));
    ImGui::InputText("##from", &from_);
    ImGui::SameLine();
    ImGui::TextUnformatted("to");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(px(120));
    ImGui::InputText("##to", &to_);
    ImGui::SameLine();
    std::int64_t f = 0, t = 0;
    bool valid = parse_day(from_, f) && parse_day(to_, t) && f <= t;
    ImGui::BeginDisabled(!valid);
    if (ImGui::Button("Use these dates")) a.send(cmd::BuildReview{f, t});
    ImGui::EndDisabled();
    if (last_from_ != d.from_day || last_to_ != d.to_day) {
      from_ = day_string(d.from_day);
      to_ = day_string(d.to_day);
      last_from_ = d.from_day;
      last_to_ = d.to_day;
    }
  }

  // Evidence across the period.
  void spread(const ReviewDraft& d) {
    w::heading("How the evidence spreads over the period");
    std::vector<std::string> ticks;
    unsigned last_month = 0;
    for (auto ws : d.week_starts) {
      int y; unsigned m, dd;
      civil_from_days(ws, y, m, dd);
      ticks.push_back(m != last_month ? month_name(m) : "");
      last_month = m;
    }
    int hov = -1;
    charts::strip("##spread", d.evidence_per_week, ticks, -1, 44, colour::impact_kind(1), &hov, nullptr);
    if (hov >= 0)
      w::tooltip(week_label(d.week_starts[static_cast<std::size_t>(hov)]) + ": " +
                 std::to_string(static_cast<int>(d.evidence_per_week[static_cast<std::size_t>(hov)])) + " entries");
    char line[256];
    std::snprintf(line, sizeof line,
                  "%d entries in the period; %.0f %% of them fall in its last quarter (an even spread would put 25 %% "
                  "there). Reviews tend to favour recent work; the draft picks entries evenly across the period.",
                  d.total_evidence, 100.0 * d.last_quarter_share);
    w::small_muted(line);
  }

  void sections(const ReviewDraft& d, Actions& a) {
    for (std::size_t i = 0; i < d.sections.size(); ++i) {
      const auto& sec = d.sections[i];
      ImGui::PushID(static_cast<int>(i));
      w::begin_card();
      ImGui::PushFont(fonts().heading);
      ImGui::TextUnformatted(sec.title.c_str());
      ImGui::PopFont();
      w::small_muted(sec.about);
      if (!sec.empty_reason.empty()) w::muted(sec.empty_reason);
      if (!sec.thin_note.empty()) w::muted(sec.thin_note);
      for (std::size_t k = 0; k < sec.sentences.size(); ++k) {
        ImGui::PushID(static_cast<int>(k));
        sentence(sec.sentences[k], a, "review.ev." + std::to_string(i) + "." + std::to_string(k));
        ImGui::PopID();
      }
      strengthen(sec, a, i);
      w::end_card();
      ImGui::PopID();
    }
  }

  // One sentence with its evidence beneath; a contribution's evidence opens it in Contributions.
  void sentence(const DraftSentence& sen, Actions& a, const std::string& key) {
    ImGui::Dummy(ImVec2(0, px(2)));
    ImGui::Bullet();
    ImGui::SameLine();
    ImGui::BeginGroup();
    w::text(sen.text);
    for (std::size_t e = 0; e < sen.evidence.size(); ++e) {
      const auto& ev = sen.evidence[e];
      if (ev.contribution_id == 0) {
        w::small_muted("Evidence: " + ev.label);
        continue;
      }
      ImGui::PushFont(fonts().small);
      ImGui::PushID(static_cast<int>(e));
      if (w::link_button(("Evidence: " + ev.label).c_str())) {
        a.send(cmd::SelectContribution{ev.contribution_id});
        a.go("contributions", ev.contribution_id);
      }
      ImGui::PopID();
      ImGui::PopFont();
      a.track(key);
      w::tooltip("Open this entry in Contributions, with the commits and meetings around it.");
    }
    ImGui::EndGroup();
  }

  void strengthen(const DraftSection& sec, Actions& a, std::size_t i) {
    if (sec.strengthen.empty()) return;
    ImGui::Dummy(ImVec2(0, px(4)));
    ImGui::PushFont(fonts().small);
    ImGui::TextUnformatted("To make this section stronger");
    ImGui::PopFont();
    for (const auto& step : sec.strengthen) {
      ImGui::Bullet();
      ImGui::SameLine();
      w::small_muted(step);
    }
    a.track("review.strengthen." + std::to_string(i));
  }

  void export_row(Actions& a) {
    w::heading("Export");
    w::small_muted("Writes the draft as Markdown to the file you name, readable by you only. That file is plain text "
                   "outside the encrypted record: keep it somewhere private.");
    auto track = [&a](const std::string& k) { a.track(k); };
    if (w::export_form("review", path_, replace_, "Export as Markdown", "/home/you/Documents/self-review.md", track))
      a.send(cmd::ExportReview{path_, replace_});
  }

  std::string path_, from_, to_;
  bool replace_ = false;
  std::int64_t last_from_ = 0, last_to_ = 0;
};

}  // namespace

std::unique_ptr<View> make_review_view() { return std::make_unique<ReviewView>(); }

}  // namespace cairn::ui
