// placeholder
#include "views.hpp"
namespace cairn::ui {
namespace {
class V final : public View {
 public:
  const char* id() const override { return "skills"; }
  const char* title() const override { return "skills"; }
  void draw(const Snapshot&, Actions&) override {}
};
}  // namespace
std::unique_ptr<View> make_skills_view() { return std::make_unique<V>(); }
}  // namespace cairn::ui
