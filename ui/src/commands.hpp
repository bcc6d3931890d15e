// What the views ask the worker to do. Each command is a plain value; secrets travel in
// SecretBytes and are wiped when the command is destroyed after use.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <variant>

#include "cairn/records/records.hpp"
#include "cairn/crypto/secret.hpp"
#include "cairn/store/store.hpp"

namespace cairn::ui::cmd {

struct CreateVault { crypto::SecretBytes passphrase; };
struct Unlock { crypto::SecretBytes secret; bool recovery_code = false; };
struct RecoverySaved {};   // the employee confirmed they saved the recovery code
struct FinishOnboarding {};
struct Lock {};
struct ShowWeek { std::int64_t start_day; };
struct SelectContribution { std::int64_t id; };
struct SaveContribution { records::Contribution c; };  // id 0 adds, else updates
struct DeleteContribution { std::int64_t id; };
struct AddOutcome { store::Outcome o; };
struct AddGoal { store::GoalRevision first; };
struct ReviseGoal { std::int64_t id; store::GoalRevision revision; };
struct SaveReflection { store::Reflection r; };
struct SetSource { records::Source source; bool on; };
struct DeleteSourceData { records::Source source; };
struct BuildReview { std::int64_t from_day, to_day; };
// Exports: written 0600 and atomically (cairn/views/private_file.hpp); an existing file is
// replaced only when replace is set.
struct ExportReview { std::filesystem::path file; bool replace = false; };
struct ExportContributions { std::filesystem::path file; bool replace = false; };  // all, as the CLI's --markdown
struct SetAutolock { int minutes; };
// Time per application for local days [first_day, last_day] and the timeline of `day`.
// The category rules: read the file (or the defaults); save text the daemon's parser accepts.
struct ReadRules {};
struct SaveRules { std::string text; };
struct ShowApps { std::int64_t first_day, last_day; std::string label; std::int64_t day; };
// Marks [from, to) (seconds since local midnight of `day`) as store::kBreak or a category.
struct MarkStretch { std::int64_t day; std::int32_t from, to; std::string as; };
// Sharing: only the store and the outbox change; the worker itself never uses the network
// (CheckSharing starts the background check for plans and due reports, share_check.hpp).
struct JoinPlan { std::string plan_id; bool join = true; };  // false: decline / leave
struct DecideReport { std::string report_id; bool approve = false; };
struct CheckSharing {};  // "Check now"

using Command = std::variant<CreateVault, Unlock, RecoverySaved, FinishOnboarding, Lock, ShowWeek, SelectContribution,
                             SaveContribution, DeleteContribution, AddOutcome, AddGoal, ReviseGoal, SaveReflection,
                             SetSource, DeleteSourceData, BuildReview, ExportReview, ExportContributions, SetAutolock, ShowApps, ReadRules, SaveRules, JoinPlan, DecideReport,
                             CheckSharing, MarkStretch>;

}  // namespace cairn::ui::cmd
