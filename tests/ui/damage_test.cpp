// Damage tracking (ui/src/damage.hpp) on hand-built ImGui draw data: which tiles a new frame
// changes, the scissor ImGui's OpenGL3 renderer would set, clipping draw data to a rectangle, and
// covering damaged tiles with few disjoint rectangles.
#include <doctest/doctest.h>

#include <vector>

#include "damage.hpp"

using cairn::ui::DamageTracker;
using cairn::ui::PixelRect;

namespace {

constexpr int kW = 640, kH = 384;  // 10 × 6 tiles

// One draw list of axis-aligned rectangles (two triangles each), one command per rectangle.
struct Frame {
  ImDrawList list{nullptr};
  ImDrawList* lists[1] = {&list};
  ImDrawData dd;

  explicit Frame(int w = kW, int h = kH) {
    dd.Valid = true;
    dd.CmdLists = lists;
    dd.CmdListsCount = 1;
    dd.DisplayPos = ImVec2(0, 0);
    dd.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
    dd.FramebufferScale = ImVec2(1, 1);
  }
  Frame(const Frame&) = delete;

  ImDrawCmd& rect(float x0, float y0, float x1, float y1, ImU32 col, ImVec4 clip = ImVec4(0, 0, kW, kH),
                  ImTextureID tex = nullptr) {
    const auto base = static_cast<ImDrawIdx>(list.VtxBuffer.Size);
    const ImVec2 pos[4] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    for (const ImVec2& p : pos) {
      ImDrawVert v;
      v.pos = p;
      v.uv = ImVec2(0, 0);
      v.col = col;
      list.VtxBuffer.push_back(v);
    }
    ImDrawCmd c;
    c.ClipRect = clip;
    c.TextureId = tex;
    c.IdxOffset = static_cast<unsigned>(list.IdxBuffer.Size);
    c.ElemCount = 6;
    for (int i : {0, 1, 2, 0, 2, 3}) list.IdxBuffer.push_back(static_cast<ImDrawIdx>(base + i));
    list.CmdBuffer.push_back(c);
    dd.TotalVtxCount = list.VtxBuffer.Size;
    dd.TotalIdxCount = list.IdxBuffer.Size;
    return list.CmdBuffer.back();
  }
};

constexpr ImU32 kRed = IM_COL32(200, 30, 30, 255), kBlue = IM_COL32(30, 30, 200, 255);

bool disjoint(const std::vector<PixelRect>& rs) {
  for (std::size_t i = 0; i < rs.size(); ++i)
    for (std::size_t j = i + 1; j < rs.size(); ++j)
      if (!cairn::ui::intersect(rs[i], rs[j]).empty()) return false;
  return true;
}

bool covers(const std::vector<PixelRect>& rs, const PixelRect& r) {
  for (const auto& c : rs)
    if (cairn::ui::intersect(c, r) == r) return true;
  return false;
}

}  // namespace

TEST_CASE("damage: the first frame is drawn whole, an identical one not at all") {
  DamageTracker t;
  Frame a;
  a.rect(10, 10, 50, 50, kRed);
  auto d = t.compare(a.dd, kW, kH);
  CHECK(d.full);
  REQUIRE(d.rects.size() == 1);
  CHECK(d.rects[0] == PixelRect{0, 0, kW, kH});
  t.presented();

  Frame same;
  same.rect(10, 10, 50, 50, kRed);
  d = t.compare(same.dd, kW, kH);
  CHECK_FALSE(d.full);
  CHECK(d.rects.empty());
  CHECK(d.pixels == 0);
}

TEST_CASE("damage: a changed colour damages only the tile it lies in") {
  DamageTracker t;
  Frame a;
  a.rect(100, 100, 120, 120, kRed);
  a.rect(400, 300, 420, 320, kRed);
  (void)t.compare(a.dd, kW, kH);
  t.presented();
  Frame b;
  b.rect(100, 100, 120, 120, kBlue);
  b.rect(400, 300, 420, 320, kRed);
  auto d = t.compare(b.dd, kW, kH);
  CHECK_FALSE(d.full);
  CHECK(d.damaged_tiles == 1);
  REQUIRE(d.rects.size() == 1);
  CHECK(d.rects[0] == PixelRect{64, 64, 128, 128});
  CHECK(d.pixels == 64 * 64);
}

TEST_CASE("damage: a moved shape damages where it was and where it is") {
  DamageTracker t;
  Frame a;
  a.rect(70, 70, 90, 90, kRed);  // tile (1,1)
  (void)t.compare(a.dd, kW, kH);
  t.presented();
  Frame b;
  b.rect(330, 200, 350, 220, kRed);  // tile (5,3)
  auto d = t.compare(b.dd, kW, kH);
  CHECK(d.damaged_tiles == 2);
  CHECK(disjoint(d.rects));
  CHECK(covers(d.rects, {64, 64, 128, 128}));
  CHECK(covers(d.rects, {320, 192, 384, 256}));
  CHECK(d.pixels == 2 * 64 * 64);  // two separate rectangles, not their bounding box

  // Limited to one rectangle: the bounding box of both.
  DamageTracker one;
  (void)one.compare(a.dd, kW, kH);
  one.presented();
  d = one.compare(b.dd, kW, kH, 1);
  REQUIRE(d.rects.size() == 1);
  CHECK(d.rects[0] == PixelRect{64, 64, 384, 256});
}

TEST_CASE("damage: a shape spanning tiles damages each of them") {
  DamageTracker t;
  Frame a;
  (void)t.compare(a.dd, kW, kH);
  t.presented();
  Frame b;
  b.rect(60, 10, 70, 20, kRed);  // crosses the border between tiles 0 and 1
  auto d = t.compare(b.dd, kW, kH);
  CHECK(d.damaged_tiles == 2);
  REQUIRE(d.rects.size() == 1);
  CHECK(d.rects[0] == PixelRect{0, 0, 128, 64});
}

TEST_CASE("damage: what the clip rectangle hides does not count") {
  DamageTracker t;
  Frame a;
  a.rect(10, 10, 50, 50, kRed, ImVec4(0, 0, 200, 200));
  (void)t.compare(a.dd, kW, kH);
  t.presented();
  // A shape entirely outside its clip rectangle paints nothing.
  Frame b;
  b.rect(10, 10, 50, 50, kRed, ImVec4(0, 0, 200, 200));
  b.rect(300, 300, 340, 340, kBlue, ImVec4(0, 0, 200, 200));
  auto d = t.compare(b.dd, kW, kH);
  CHECK(d.rects.empty());
  CHECK_FALSE(d.full);
  // Clipped partly: only the tiles of the visible part.
  Frame c;
  c.rect(10, 10, 50, 50, kRed, ImVec4(0, 0, 200, 200));
  c.rect(150, 10, 400, 40, kBlue, ImVec4(0, 0, 200, 200));
  d = t.compare(c.dd, kW, kH);
  CHECK(d.damaged_tiles == 2);  // columns 2 and 3 (x 128..200), not 4..6
  REQUIRE(d.rects.size() == 1);
  CHECK(d.rects[0] == PixelRect{128, 0, 256, 64});
}

TEST_CASE("damage: texture and drawing order are part of a tile's content") {
  DamageTracker t;
  Frame a;
  a.rect(10, 10, 50, 50, kRed);
  a.rect(30, 30, 60, 60, kBlue);
  (void)t.compare(a.dd, kW, kH);
  t.presented();
  Frame swapped;  // same shapes, other order: the overlap blends the other way round
  swapped.rect(30, 30, 60, 60, kBlue);
  swapped.rect(10, 10, 50, 50, kRed);
  CHECK(t.compare(swapped.dd, kW, kH).damaged_tiles == 1);
  Frame textured;
  textured.rect(10, 10, 50, 50, kRed, ImVec4(0, 0, kW, kH), reinterpret_cast<ImTextureID>(7));
  textured.rect(30, 30, 60, 60, kBlue);
  CHECK(t.compare(textured.dd, kW, kH).damaged_tiles == 1);
}

TEST_CASE("damage: invalidate, a new size and untrackable frames ask for a whole redraw") {
  DamageTracker t;
  Frame a;
  a.rect(10, 10, 50, 50, kRed);
  (void)t.compare(a.dd, kW, kH);
  t.presented();
  t.invalidate();
  CHECK(t.compare(a.dd, kW, kH).full);
  t.presented();
  CHECK_FALSE(t.compare(a.dd, kW, kH).full);

  Frame big(kW + 64, kH);
  big.rect(10, 10, 50, 50, kRed);
  auto d = t.compare(big.dd, kW + 64, kH);
  CHECK(d.full);
  CHECK(d.rects[0] == PixelRect{0, 0, kW + 64, kH});
  t.presented();

  Frame scaled;
  scaled.rect(10, 10, 50, 50, kRed);
  scaled.dd.FramebufferScale = ImVec2(2, 2);
  CHECK_FALSE(DamageTracker::trackable(scaled.dd, kW, kH));
  CHECK(t.compare(scaled.dd, kW, kH).full);
  t.presented();  // an untracked frame on screen: the next one is whole too
  CHECK(t.compare(a.dd, kW, kH).full);

  Frame cb;
  cb.rect(10, 10, 50, 50, kRed).UserCallback = [](const ImDrawList*, const ImDrawCmd*) {};
  CHECK_FALSE(DamageTracker::trackable(cb.dd, kW, kH));
}

TEST_CASE("damage: command_scissor mirrors the OpenGL3 renderer's integer scissor") {
  ImDrawCmd c;
  c.ClipRect = ImVec4(10.5f, 20.25f, 100.7f, 50.9f);
  // glScissor(10, (int)(100 - 50.9) = 49, (int)90.2 = 90, (int)30.65 = 30): GL rows 49..78,
  // which are rows 21..50 counted from the top.
  CHECK(cairn::ui::command_scissor(c, 200, 100) == PixelRect{10, 21, 100, 51});
  c.ClipRect = ImVec4(-50, -50, 5000, 5000);
  CHECK(cairn::ui::command_scissor(c, 200, 100) == PixelRect{0, 0, 200, 100});
  c.ClipRect = ImVec4(30, 30, 30, 60);
  CHECK(cairn::ui::command_scissor(c, 200, 100).empty());
}

TEST_CASE("damage: clip_draw_data limits every command to the rectangle, exactly, and restores") {
  Frame f;
  const ImVec4 clips[] = {ImVec4(0, 0, kW, kH), ImVec4(10.5f, 20.25f, 300.7f, 250.9f), ImVec4(500, 300, 600, 380),
                          ImVec4(100.2f, 100.8f, 140.6f, 131.1f)};
  for (const ImVec4& c : clips) f.rect(0, 0, kW, kH, kRed, c);
  const PixelRect r{64, 64, 256, 192};
  auto saved = cairn::ui::clip_draw_data(f.dd, r, kW, kH);
  REQUIRE(saved.size() == 4);
  for (int i = 0; i < 4; ++i) {
    ImDrawCmd orig;
    orig.ClipRect = clips[i];
    const PixelRect want = cairn::ui::intersect(cairn::ui::command_scissor(orig, kW, kH), r);
    CHECK(cairn::ui::command_scissor(f.list.CmdBuffer[i], kW, kH) == want);
  }
  // The command entirely outside the rectangle gets an empty clip (the renderer skips it).
  const ImVec4 outside = f.list.CmdBuffer[2].ClipRect;
  CHECK(outside.z <= outside.x);
  cairn::ui::restore_clip_rects(f.dd, saved);
  for (int i = 0; i < 4; ++i) {
    CHECK(f.list.CmdBuffer[i].ClipRect.x == clips[i].x);
    CHECK(f.list.CmdBuffer[i].ClipRect.w == clips[i].w);
  }
}

TEST_CASE("damage: cover_tiles gives few disjoint rectangles over every marked tile") {
  const int cols = 8, rows = 6, tile = 10;
  std::vector<std::uint8_t> m(cols * rows, 0);
  auto mark = [&](int x, int y) { m[static_cast<std::size_t>(y * cols + x)] = 1; };
  // An L shape and a lone tile.
  for (int y = 0; y < 4; ++y) mark(1, y);
  for (int x = 1; x < 5; ++x) mark(x, 3);
  mark(7, 5);
  auto rs = cairn::ui::cover_tiles(m, cols, rows, tile, 75, 60, 4);
  CHECK(rs.size() <= 4);
  CHECK(disjoint(rs));
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x)
      if (m[static_cast<std::size_t>(y * cols + x)])
        CHECK(covers(rs, cairn::ui::intersect({x * tile, y * tile, (x + 1) * tile, (y + 1) * tile}, {0, 0, 75, 60})));
  // Clipped to the framebuffer: the lone tile at column 7 is 5 pixels wide.
  CHECK(covers(rs, {70, 50, 75, 60}));
  for (const auto& r : rs) CHECK(r.x1 <= 75);

  auto one = cairn::ui::cover_tiles(m, cols, rows, tile, 80, 60, 1);
  REQUIRE(one.size() == 1);
  CHECK(one[0] == PixelRect{10, 0, 80, 60});

  // Scattered damage (a checkerboard): one bounding box.
  std::vector<std::uint8_t> board(cols * rows, 0);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) board[static_cast<std::size_t>(y * cols + x)] = (x + y) % 2;
  auto b = cairn::ui::cover_tiles(board, cols, rows, tile, 80, 60, 4);
  CHECK(disjoint(b));
  CHECK(b.size() <= 4);
  CHECK(cairn::ui::cover_tiles(std::vector<std::uint8_t>(cols * rows, 0), cols, rows, tile, 80, 60, 4).empty());
}
