// placeholder
#include "views.hpp"
namespace cairn::ui {
namespace {
class V final : public View {
 public:
  const char* id() const override { return "goals"; }
  const char* title() const override { return "goals"; }
  void draw(const Snapshot&, Actions&) override {}
};
}  // namespace
std::unique_ptr<View> make_goals_view() { return std::make_unique<V>(); }
}  // namespace cairn::ui
