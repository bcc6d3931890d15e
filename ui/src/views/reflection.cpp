// placeholder
#include "views.hpp"
namespace cairn::ui {
namespace {
class V final : public View {
 public:
  const char* id() const override { return "reflection"; }
  const char* title() const override { return "reflection"; }
  void draw(const Snapshot&, Actions&) override {}
};
}  // namespace
std::unique_ptr<View> make_reflection_view() { return std::make_unique<V>(); }
}  // namespace cairn::ui
