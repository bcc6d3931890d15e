// placeholder
#include "views.hpp"
namespace cairn::ui {
namespace {
class V final : public View {
 public:
  const char* id() const override { return "sharing"; }
  const char* title() const override { return "sharing"; }
  void draw(const Snapshot&, Actions&) override {}
};
}  // namespace
std::unique_ptr<View> make_sharing_view() { return std::make_unique<V>(); }
}  // namespace cairn::ui
