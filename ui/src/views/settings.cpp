// placeholder
#include "views.hpp"
namespace cairn::ui {
namespace {
class V final : public View {
 public:
  const char* id() const override { return "settings"; }
  const char* title() const override { return "settings"; }
  void draw(const Snapshot&, Actions&) override {}
};
}  // namespace
std::unique_ptr<View> make_settings_view() { return std::make_unique<V>(); }
}  // namespace cairn::ui
