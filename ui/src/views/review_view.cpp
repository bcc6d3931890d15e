// placeholder
#include "views.hpp"
namespace cairn::ui {
namespace {
class V final : public View {
 public:
  const char* id() const override { return "review"; }
  const char* title() const override { return "review"; }
  void draw(const Snapshot&, Actions&) override {}
};
}  // namespace
std::unique_ptr<View> make_review_view() { return std::make_unique<V>(); }
}  // namespace cairn::ui
