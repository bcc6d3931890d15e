// Contributions: the employee's own timeline of what changed and for whom, with the commits and
// meetings of that time as evidence beside each entry; add, edit and tag; and the "did it hold?"
// look-backs at 30 and 90 days, which record outcomes on earlier entries.
#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "../format.hpp"
#include "../scrub.hpp"
#include "../theme.hpp"
#include "../widgets.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/base/text.hpp"
#include "views.hpp"

namespace cairn::ui {
namespace {

const char* kKindNames[] = {"Impact", "Long-term value", "System contribution", "Judgment"};
const char* kKindHelp[] = {
    "What changed because of the work: an outcome for someone, not the output itself.",
    "Work whose value unfolds over time: capabilities built, risks reduced, systems improved.",
    "How you enabled others or improved how the team works.",
    "A decision you weighed: prioritising, saying no, choosing between options, especially when unclear."};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) {
    auto a = cur.find_first_not_of(" \t\r");
    auto b = cur.find_last_not_of(" \t\r");
    if (a != std::string::npos) out.push_back(cur.substr(a, b - a + 1));
  }
  return out;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

void kind_chip(records::ImpactKind k) {
  int i = static_cast<int>(k);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::PushFont(fonts().small);
  ImVec2 ts = ImGui::CalcTextSize(kKindNames[i]);
  ImU32 c = colour::impact_kind(i);
  ImVec4 v = colour::to_vec(c);
  dl->AddRectFilled(p, ImVec2(p.x + ts.x + px(12), p.y + ts.y + px(4)), ImGui::GetColorU32(ImVec4(v.x, v.y, v.z, 0.16f)), px(8));
  dl->AddText(ImVec2(p.x + px(6), p.y + px(2)), colour::text(), kKindNames[i]);
  ImGui::Dummy(ImVec2(ts.x + px(12), ts.y + px(4)));
  ImGui::PopFont();
}

class ContributionsView final : public View {
 public:
  const char* id() const override { return "contributions"; }
  const char* title() const override { return "Contributions"; }
  void reset() override {
    editing_ = false;
    selected_ = 0;
    form_.text.scrub();
    scrub(form_.skills);
    form_.links.scrub();
    scrub(filter_);
    scrub(export_path_);
    exporting_ = false;
    export_replace_ = false;
    form_ = Form{};
    hidden_followups_.clear();
  }
  void focus(std::int64_t id) override {
    editing_ = false;
    selected_ = id;
  }

  void draw(const Snapshot& s, Actions& a) override {
    if (!s.contributions) return;
    const auto& data = *s.contributions;
    w::title("Contributions");
    w::muted("What changed because of your work, and for whom, in your own words. Commits and meetings of the same "
             "days are shown beside each entry as evidence; they are not a score.");
    export_row(a);
    ImGui::Dummy(ImVec2(0, px(4)));
    followups(s, a);

    const float list_w = ImGui::GetContentRegionAvail().x * 0.48f;
    ImGui::BeginGroup();
    if (w::primary_button("Log a contribution")) start_new(s);
    a.track("contrib.new");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(std::max(px(120), list_w - ImGui::GetCursorPosX() + px(8)));
    ImGui::InputTextWithHint("##filter", "Filter by word or skill", &filter_);
    a.track("contrib.filter");
    list(s, a, list_w);
    ImGui::EndGroup();
    ImGui::SameLine(0, px(20));
    ImGui::BeginGroup();
    if (editing_) editor(s, a);
    else if (selected_ != 0) details(s, a);
    else {
      w::heading("Nothing selected");
      w::muted("Choose an entry on the left to see the evidence around it, or log a new one.");
      w::small_muted(std::to_string(data.entries.size()) + " entries in your record.");
    }
    ImGui::EndGroup();
  }

 private:
  struct Form {
    std::int64_t id = 0;
    records::Instant time = 0;
    std::int32_t offset = 0;
    WrappedText text{true};  // one paragraph
    std::string skills;
    WrappedText links;       // one link per line
    int kind = 0;
    bool ai = false;
    std::int64_t goal = 0;
  };

  const ContributionEntry* find(const Snapshot& s, std::int64_t id) const {
    for (const auto& e : s.contributions->entries)
      if (e.c.id == id) return &e;
    return nullptr;
  }

  void start_new(const Snapshot&) {
    editing_ = true;
    form_ = Form{};
  }

  void start_edit(const records::Contribution& c) {
    editing_ = true;
    form_ = Form{};
    form_.id = c.id;
    form_.time = c.time;
    form_.offset = c.utc_offset;
    form_.text.set(c.text);
    form_.skills = join(c.skills, ", ");
    form_.links.set(join(c.links, "\n"));
    form_.kind = static_cast<int>(c.kind);
    form_.ai = c.ai_assisted;
    form_.goal = c.goal_id.value_or(0);
  }

  void followups(const Snapshot& s, Actions& a) {
    const auto& due = s.contributions->due;
    std::vector<const FollowUp*> show;
    for (const auto& f : due)
      if (!hidden_followups_.count(f.contribution_id * 1000 + f.horizon_days) && show.size() < 2) show.push_back(&f);
    if (show.empty()) return;
    w::begin_card();
    w::heading("Looking back");
    w::small_muted("Some earlier entries are old enough to ask whether they held. Answer any, or none: nothing "
                   "counts answers and nothing is overdue.");
    int i = 0;
    for (const auto* f : show) {
      const auto* e = find(s, f->contribution_id);
      if (!e) continue;
      ImGui::PushID(static_cast<int>(f->contribution_id * 1000 + f->horizon_days));
      ImGui::Dummy(ImVec2(0, px(2)));
      w::small_muted(std::to_string(f->horizon_days) + " days on, from " + date_text(e->day) + ":");
      w::text(e->c.text);
      const char* answers[] = {"It held", "Partly", "It did not hold"};
      const char* values[] = {"held", "partly", "did-not-hold"};
      for (int k = 0; k < 3; ++k) {
        if (k) ImGui::SameLine();
        if (ImGui::Button(answers[k])) a.send(cmd::AddOutcome{{0, f->contribution_id, 0, f->horizon_days, values[k], ""}});
        a.track("followup." + std::string(values[k]) + "." + std::to_string(i));
      }
      ImGui::SameLine();
      if (w::link_button("Not now")) hidden_followups_.insert(f->contribution_id * 1000 + f->horizon_days);
      ImGui::PopID();
      ++i;
    }
    w::end_card();
  }

  void list(const Snapshot& s, Actions& a, float width) {
    const auto& entries = s.contributions->entries;
    std::vector<const ContributionEntry*> rows;
    rows.reserve(entries.size());
    for (const auto& e : entries) {
      if (!filter_.empty()) {
        bool hit = e.c.text.find(filter_) != std::string::npos;
        for (const auto& sk : e.c.skills) hit |= sk.find(filter_) != std::string::npos;
        if (!hit) continue;
      }
      rows.push_back(&e);
    }
    const float row_h = ImGui::GetTextLineHeightWithSpacing() * 2 + px(10);
    ImGui::BeginChild("##clist", ImVec2(width, std::max(px(240), ImGui::GetContentRegionAvail().y - px(4))), true);
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(rows.size()), row_h);
    while (clip.Step()) {
      for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
        const auto& e = *rows[static_cast<std::size_t>(i)];
        ImGui::PushID(static_cast<int>(e.c.id));
        ImVec2 p = ImGui::GetCursorScreenPos();
        bool sel = e.c.id == selected_;
        if (ImGui::Selectable("##row", sel, 0, ImVec2(0, row_h - ImGui::GetStyle().ItemSpacing.y))) {
          selected_ = e.c.id;
          editing_ = false;
          a.send(cmd::SelectContribution{e.c.id});
        }
        a.track("contrib.row." + std::to_string(i));
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(ImVec2(p.x, p.y + px(3)), ImVec2(p.x + px(3), p.y + row_h - px(11)),
                          colour::impact_kind(static_cast<int>(e.c.kind)));
        std::string line1 = short_date(e.day);
        std::string evidence;
        if (s.year) {
          if (auto it = s.year->days.find(e.day); it != s.year->days.end()) {
            evidence = count_text(it->second.commits, "commit", "commits") + ", " +
                       count_text(it->second.meetings, "meeting", "meetings") + " that day";
          }
        }
        ImGui::SetCursorScreenPos(ImVec2(p.x + px(10), p.y + px(2)));
        ImGui::PushClipRect(p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + row_h), true);
        ImGui::TextUnformatted(e.c.text.c_str());
        ImGui::SetCursorScreenPos(ImVec2(p.x + px(10), p.y + ImGui::GetTextLineHeightWithSpacing() + px(2)));
        ImGui::PushFont(fonts().small);
        std::string meta = line1 + "  \xC2\xB7  " + kKindNames[static_cast<int>(e.c.kind)];
        if (!e.c.skills.empty()) meta += "  \xC2\xB7  " + join(e.c.skills, ", ");
        if (!evidence.empty()) meta += "  \xC2\xB7  " + evidence;
        ImGui::PushStyleColor(ImGuiCol_Text, colour::to_vec(colour::muted()));
        ImGui::TextUnformatted(meta.c_str());
        ImGui::PopStyleColor();
        ImGui::PopFont();
        ImGui::PopClipRect();
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h));
        ImGui::Dummy(ImVec2(0, 0));
        ImGui::PopID();
      }
    }
    ImGui::EndChild();
  }

  void details(const Snapshot& s, Actions& a) {
    const auto* e = find(s, selected_);
    if (!e) {
      selected_ = 0;
      return;
    }
    kind_chip(e->c.kind);
    w::heading(date_text(e->day).c_str());
    w::text(e->c.text);
    if (!e->c.skills.empty()) w::small_muted("Skills: " + join(e->c.skills, ", "));
    for (const auto& l : e->c.links) w::small_muted("Link: " + l);
    if (e->c.ai_assisted) w::small_muted("Made with AI assistance.");
    if (e->c.goal_id && s.goals)
      for (const auto& g : s.goals->goals)
        if (g.id == *e->c.goal_id) w::small_muted("Goal: " + g.current.title);
    for (const auto& o : e->outcomes)
      w::small_muted("After " + std::to_string(o.horizon_days) + " days: " + o.held + (o.note.empty() ? "" : " \xE2\x80\x94 " + o.note));
    ImGui::Dummy(ImVec2(0, px(4)));
    if (ImGui::Button("Edit")) start_edit(e->c);
    a.track("contrib.edit");

    w::heading("Evidence from the same days");
    if (!s.evidence || s.evidence->contribution_id != e->c.id) {
      w::small_muted("Loading\xE2\x80\xA6");
      return;
    }
    const auto& ev = *s.evidence;
    w::small_muted("Commits and meetings from " + short_date(ev.from_day) + " to " + short_date(ev.to_day) +
                   ": the work that led up to this entry. Only counts and times are kept, never code or titles.");
    if (ev.commits.empty() && ev.meetings.empty()) w::muted("Nothing recorded in those days.");
    if (!ev.commits.empty() &&
        ImGui::BeginTable("##commits", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY,
                          ImVec2(0, std::min(px(220), ImGui::GetTextLineHeightWithSpacing() * (ev.commits.size() + 1.5f))))) {
      ImGui::TableSetupScrollFreeze(0, 1);
      ImGui::TableSetupColumn("When");
      ImGui::TableSetupColumn("Repository");
      ImGui::TableSetupColumn("Lines");
      ImGui::TableSetupColumn("AI");
      ImGui::TableHeadersRow();
      for (const auto& c : ev.commits) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        std::string when = short_date(local_day(c.time, c.utc_offset)) + " " + clock_text(local_second_of_day(c.time, c.utc_offset));
        ImGui::TextUnformatted(when.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(c.repo.c_str());
        ImGui::TableNextColumn();
        ImGui::Text("+%d / -%d", c.lines_added, c.lines_removed);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(c.ai_assisted ? c.ai_tool.c_str() : "");
      }
      ImGui::EndTable();
    }
    if (!ev.meetings.empty()) {
      ImGui::Dummy(ImVec2(0, px(4)));
      std::int64_t secs = 0;
      int ones = 0;
      for (const auto& m : ev.meetings) {
        secs += m.end - m.start;
        ones += m.one_on_one ? 1 : 0;
      }
      w::text(count_text(static_cast<std::int64_t>(ev.meetings.size()), "meeting", "meetings") + ", " + hours_text(secs) + " in total, " +
              std::to_string(ones) + " one-to-one.");
    }
  }

  void editor(const Snapshot& s, Actions& a) {
    w::heading(form_.id == 0 ? "Log a contribution" : "Edit the entry");
    w::small_muted("What changed, and for whom? One or two sentences are enough.");
    w::wrapped_input("##text", form_.text, ImGui::GetTextLineHeight() * 4);
    a.track("contrib.text");
    w::small_muted("Kind of contribution");
    for (int k = 0; k < 4; ++k) {
      // Keep the choices on one line while they fit, wrap otherwise (narrow windows, high DPI).
      const float need = ImGui::CalcTextSize(kKindNames[k]).x + ImGui::GetFrameHeight() + px(16);
      if (k && ImGui::GetContentRegionAvail().x - (ImGui::GetItemRectMax().x - ImGui::GetCursorScreenPos().x) > need)
        ImGui::SameLine();
      ImGui::RadioButton(kKindNames[k], &form_.kind, k);
      a.track("contrib.kind." + std::to_string(k));
      w::tooltip(kKindHelp[k]);
    }
    w::small_muted("Skills practised, separated by commas");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##skills", "e.g. API design, mentoring", &form_.skills);
    a.track("contrib.skills");
    w::small_muted("Evidence links, one per line (merge requests, documents, tickets)");
    w::wrapped_input("##links", form_.links, ImGui::GetTextLineHeight() * 2.6f);
    a.track("contrib.links");
    ImGui::Checkbox("Made with AI assistance", &form_.ai);
    a.track("contrib.ai");
    w::tooltip("Recorded so the record is complete. It is not used to rate the work.");
    goal_combo(s, a);
    ImGui::Dummy(ImVec2(0, px(4)));
    bool empty = split(form_.text.text(), '\n').empty();
    ImGui::BeginDisabled(empty);
    if (w::primary_button("Save")) save(a);
    a.track("contrib.save");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) editing_ = false;
    if (form_.id != 0) {
      ImGui::SameLine(0, px(24));
      if (w::link_button("Delete this entry")) ImGui::OpenPopup("Delete entry?");
      if (ImGui::BeginPopupModal("Delete entry?", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::TextUnformatted("The entry and its follow-up answers are removed from your record.");
        if (ImGui::Button("Delete")) {
          a.send(cmd::DeleteContribution{form_.id});
          editing_ = false;
          selected_ = 0;
          ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button("Keep it")) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
      }
    }
  }

  // Every contribution as Markdown, the same document as `cairn contributions --markdown`.
  void export_row(Actions& a) {
    if (!exporting_) {
      if (w::link_button("Export all as Markdown\xE2\x80\xA6")) exporting_ = true;
      a.track("contrib.export_open");
      return;
    }
    w::small_muted("Every entry, by goal and kind, with its evidence links and \"did it hold?\" answers. The file is plain "
                   "text outside the encrypted record, readable by you only: keep it somewhere private.");
    auto track = [&a](const std::string& k) { a.track(k); };
    if (w::export_form("contrib.md", export_path_, export_replace_, "Export", "/home/you/Documents/contributions.md", track))
      a.send(cmd::ExportContributions{export_path_, export_replace_});
    ImGui::SameLine();
    if (ImGui::Button("Close")) exporting_ = false;
  }

  // The goal the entry serves: active goals, plus the one it already names.
  void goal_combo(const Snapshot& s, Actions& a) {
    if (!s.goals) return;
    std::string current = "No goal";
    for (const auto& g : s.goals->goals)
      if (g.id == form_.goal) current = g.current.title;
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##goal", current.c_str())) {
      if (ImGui::Selectable("No goal", form_.goal == 0)) form_.goal = 0;
      // Tracked only once the list is on screen (a popup is measured, hidden, in its first frame).
      if (!ImGui::GetCurrentWindowRead()->Hidden) a.track("contrib.goal.list");
      for (const auto& g : s.goals->goals) {
        if (g.current.status != "active" && g.id != form_.goal) continue;
        ImGui::PushID(static_cast<int>(g.id));
        if (ImGui::Selectable(g.current.title.c_str(), g.id == form_.goal)) form_.goal = g.id;
        ImGui::PopID();
      }
      ImGui::EndCombo();
    }
    a.track("contrib.goal");
  }

  void save(Actions& a) {
    records::Contribution c;
    c.id = form_.id;
    if (form_.id == 0) {
      c.time = a.clock().now();
      c.utc_offset = a.clock().utc_offset(c.time);
    } else {
      c.time = form_.time;
      c.utc_offset = form_.offset;
    }
    c.text = form_.text.text();
    c.kind = static_cast<records::ImpactKind>(form_.kind);
    c.skills = split(form_.skills, ',');
    c.links = split(form_.links.text(), '\n');
    c.ai_assisted = form_.ai;
    if (form_.goal) c.goal_id = form_.goal;
    a.send(cmd::SaveContribution{c});
    editing_ = false;
    selected_ = form_.id;
  }

  bool editing_ = false;
  std::int64_t selected_ = 0;
  Form form_;
  std::string filter_;
  bool exporting_ = false, export_replace_ = false;
  std::string export_path_;
  std::set<std::int64_t> hidden_followups_;
};

}  // namespace

std::unique_ptr<View> make_contributions_view() { return std::make_unique<ContributionsView>(); }

}  // namespace cairn::ui
