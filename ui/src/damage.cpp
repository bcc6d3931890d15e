// Damage tracking over ImGui draw data (see damage.hpp).
#include "damage.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace cairn::ui {
namespace {

constexpr std::uint64_t kSeed = 0x243F6A8885A308D3ull;  // hash of an empty tile (the clear colour)

inline std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h = (h ^ v) * 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 29);
}

inline std::uint64_t rotl(std::uint64_t v, int s) { return (v << s) | (v >> (64 - s)); }

// Clamps without trusting the value to be a number: NaN lands on `lo`.
inline float clampf(float v, float lo, float hi) {
  if (!(v > lo)) return lo;
  if (!(v < hi)) return hi;
  return v;
}

std::uint64_t hash_triangle(std::uint64_t seed, const ImDrawVert& a, const ImDrawVert& b, const ImDrawVert& c) {
  static_assert(sizeof(ImDrawVert) == 20, "ImDrawVert is pos, uv, col without padding");
  unsigned char buf[64] = {};
  std::memcpy(buf, &a, 20);
  std::memcpy(buf + 20, &b, 20);
  std::memcpy(buf + 40, &c, 20);
  std::uint64_t h = seed;
  for (int i = 0; i < 64; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, buf + i, 8);
    h = mix(h, w);
  }
  return h;
}

bool overlaps(const PixelRect& a, const PixelRect& b) { return !intersect(a, b).empty(); }

PixelRect bbox(const PixelRect& a, const PixelRect& b) {
  return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

}  // namespace

PixelRect intersect(const PixelRect& a, const PixelRect& b) {
  PixelRect r{std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1), std::min(a.y1, b.y1)};
  return r.empty() ? PixelRect{} : r;
}

PixelRect command_scissor(const ImDrawCmd& cmd, int fb_w, int fb_h) {
  // Mirror of imgui_impl_opengl3.cpp (1.86): glScissor((int)min.x, (int)(fb_h - max.y),
  // (int)(max.x - min.x), (int)(max.y - min.y)), skipped when the rectangle is empty.
  constexpr float kLim = 1e6f;  // keeps the float -> int conversions defined
  const float x0 = clampf(cmd.ClipRect.x, -kLim, kLim), y0 = clampf(cmd.ClipRect.y, -kLim, kLim);
  const float x1 = clampf(cmd.ClipRect.z, -kLim, kLim), y1 = clampf(cmd.ClipRect.w, -kLim, kLim);
  if (x1 <= x0 || y1 <= y0) return {};
  const int sx = static_cast<int>(x0);
  const int sy_gl = static_cast<int>(static_cast<float>(fb_h) - y1);
  const int sw = static_cast<int>(x1 - x0), sh = static_cast<int>(y1 - y0);
  const PixelRect s{sx, fb_h - sy_gl - sh, sx + sw, fb_h - sy_gl};
  return intersect(s, PixelRect{0, 0, fb_w, fb_h});
}

std::vector<ImVec4> clip_draw_data(ImDrawData& dd, const PixelRect& r, int fb_w, int fb_h) {
  std::vector<ImVec4> saved;
  for (int n = 0; n < dd.CmdListsCount; ++n) {
    for (ImDrawCmd& c : dd.CmdLists[n]->CmdBuffer) {
      saved.push_back(c.ClipRect);
      if (c.UserCallback) continue;
      const PixelRect s = intersect(command_scissor(c, fb_w, fb_h), r);
      // Whole pixels survive the renderer's conversions exactly; an empty rectangle is skipped.
      c.ClipRect = s.empty() ? ImVec4(0, 0, 0, 0)
                             : ImVec4(static_cast<float>(s.x0), static_cast<float>(s.y0), static_cast<float>(s.x1),
                                      static_cast<float>(s.y1));
    }
  }
  return saved;
}

void restore_clip_rects(ImDrawData& dd, const std::vector<ImVec4>& saved) {
  std::size_t i = 0;
  for (int n = 0; n < dd.CmdListsCount; ++n)
    for (ImDrawCmd& c : dd.CmdLists[n]->CmdBuffer)
      if (i < saved.size()) c.ClipRect = saved[i++];
}

std::vector<PixelRect> cover_tiles(const std::vector<std::uint8_t>& marked, int cols, int rows, int tile, int fb_w,
                                   int fb_h, int max_rects) {
  // In tile units first: runs of marked tiles per row, then runs with the same columns in
  // consecutive rows joined. These are disjoint.
  std::vector<PixelRect> rects;
  std::vector<PixelRect> open;  // runs of the previous row, still growing downwards
  for (int y = 0; y < rows; ++y) {
    std::vector<PixelRect> row;
    for (int x = 0; x < cols;) {
      if (!marked[static_cast<std::size_t>(y * cols + x)]) {
        ++x;
        continue;
      }
      int x1 = x;
      while (x1 < cols && marked[static_cast<std::size_t>(y * cols + x1)]) ++x1;
      row.push_back({x, y, x1, y + 1});
      x = x1;
    }
    std::vector<PixelRect> still;
    for (PixelRect& r : row) {
      auto it = std::find_if(open.begin(), open.end(), [&](const PixelRect& o) { return o.x0 == r.x0 && o.x1 == r.x1; });
      if (it != open.end()) {
        r.y0 = it->y0;
        open.erase(it);
      }
      still.push_back(r);
    }
    rects.insert(rects.end(), open.begin(), open.end());  // runs that stopped growing
    open = std::move(still);
  }
  rects.insert(rects.end(), open.begin(), open.end());
  if (rects.empty()) return {};

  max_rects = std::max(1, max_rects);
  if (rects.size() > 64) {  // scattered damage: one bounding box is cheaper than the search
    PixelRect b = rects[0];
    for (const auto& r : rects) b = bbox(b, r);
    rects = {b};
  }
  // Merge the pair whose bounding box adds the least area until few enough remain; a merged box
  // swallows every rectangle it overlaps, so the set stays disjoint.
  while (static_cast<int>(rects.size()) > max_rects) {
    std::size_t bi = 0, bj = 1;
    std::int64_t best = -1;
    for (std::size_t i = 0; i < rects.size(); ++i)
      for (std::size_t j = i + 1; j < rects.size(); ++j) {
        std::int64_t waste = bbox(rects[i], rects[j]).area() - rects[i].area() - rects[j].area();
        if (best < 0 || waste < best) {
          best = waste;
          bi = i;
          bj = j;
        }
      }
    PixelRect m = bbox(rects[bi], rects[bj]);
    rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(bj));
    rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(bi));
    for (bool grew = true; grew;) {
      grew = false;
      for (std::size_t k = 0; k < rects.size(); ++k)
        if (overlaps(m, rects[k])) {
          m = bbox(m, rects[k]);
          rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(k));
          grew = true;
          break;
        }
    }
    rects.push_back(m);
  }
  const PixelRect fb{0, 0, fb_w, fb_h};
  std::vector<PixelRect> out;
  for (const auto& r : rects) {
    PixelRect p = intersect(PixelRect{r.x0 * tile, r.y0 * tile, r.x1 * tile, r.y1 * tile}, fb);
    if (!p.empty()) out.push_back(p);
  }
  return out;
}

bool DamageTracker::trackable(const ImDrawData& dd, int fb_w, int fb_h) {
  if (dd.DisplayPos.x != 0 || dd.DisplayPos.y != 0) return false;
  if (dd.FramebufferScale.x != 1 || dd.FramebufferScale.y != 1) return false;
  if (static_cast<int>(dd.DisplaySize.x) != fb_w || static_cast<int>(dd.DisplaySize.y) != fb_h) return false;
  for (int n = 0; n < dd.CmdListsCount; ++n)
    for (const ImDrawCmd& c : dd.CmdLists[n]->CmdBuffer)
      if (c.UserCallback) return false;
  return true;
}

DamageTracker::Damage DamageTracker::compare(const ImDrawData& dd, int fb_w, int fb_h, int max_rects) {
  Damage d;
  if (fb_w <= 0 || fb_h <= 0) {
    next_ok_ = false;
    return d;  // nothing to draw into (a minimised window)
  }
  if (fb_w != w_ || fb_h != h_) {
    w_ = fb_w;
    h_ = fb_h;
    cols_ = (fb_w + kTile - 1) / kTile;
    rows_ = (fb_h + kTile - 1) / kTile;
    shown_.assign(static_cast<std::size_t>(cols_) * rows_, 0);
    valid_ = false;
  }
  next_ok_ = trackable(dd, fb_w, fb_h);
  auto everything = [&] {
    d.full = true;
    d.rects = {PixelRect{0, 0, fb_w, fb_h}};
    d.pixels = d.rects[0].area();
    d.damaged_tiles = cols_ * rows_;
  };
  if (!next_ok_) {
    everything();
    return d;
  }
  next_.assign(static_cast<std::size_t>(cols_) * rows_, kSeed);
  const float fw = static_cast<float>(fb_w), fh = static_cast<float>(fb_h);
  for (int n = 0; n < dd.CmdListsCount; ++n) {
    const ImDrawList* l = dd.CmdLists[n];
    for (const ImDrawCmd& c : l->CmdBuffer) {
      const PixelRect s = command_scissor(c, fb_w, fb_h);
      if (s.empty() || c.ElemCount < 3) continue;
      std::uint64_t seed = mix(kSeed, reinterpret_cast<std::uintptr_t>(c.TextureId));
      seed = mix(seed, (static_cast<std::uint64_t>(static_cast<std::uint32_t>(s.x0)) << 32) | static_cast<std::uint32_t>(s.y0));
      seed = mix(seed, (static_cast<std::uint64_t>(static_cast<std::uint32_t>(s.x1)) << 32) | static_cast<std::uint32_t>(s.y1));
      const ImDrawIdx* idx = l->IdxBuffer.Data + c.IdxOffset;
      const ImDrawVert* vtx = l->VtxBuffer.Data + c.VtxOffset;
      for (unsigned i = 0; i + 2 < c.ElemCount; i += 3) {
        const ImDrawVert& a = vtx[idx[i]];
        const ImDrawVert& b = vtx[idx[i + 1]];
        const ImDrawVert& e = vtx[idx[i + 2]];
        // A triangle lights pixels whose centres it covers: all inside its bounding box.
        const float lx = std::min({a.pos.x, b.pos.x, e.pos.x}), hx = std::max({a.pos.x, b.pos.x, e.pos.x});
        const float ly = std::min({a.pos.y, b.pos.y, e.pos.y}), hy = std::max({a.pos.y, b.pos.y, e.pos.y});
        const int x0 = std::max(s.x0, static_cast<int>(std::floor(clampf(lx, -1, fw + 1))));
        const int x1 = std::min(s.x1, static_cast<int>(std::ceil(clampf(hx, -1, fw + 1))));
        const int y0 = std::max(s.y0, static_cast<int>(std::floor(clampf(ly, -1, fh + 1))));
        const int y1 = std::min(s.y1, static_cast<int>(std::ceil(clampf(hy, -1, fh + 1))));
        if (x1 <= x0 || y1 <= y0) continue;  // clipped away or zero-sized: paints nothing
        const std::uint64_t h = hash_triangle(seed, a, b, e);
        const int tx0 = x0 / kTile, tx1 = (x1 - 1) / kTile, ty0 = y0 / kTile, ty1 = (y1 - 1) / kTile;
        for (int ty = ty0; ty <= ty1; ++ty)
          for (int tx = tx0; tx <= tx1; ++tx) {
            std::uint64_t& t = next_[static_cast<std::size_t>(ty * cols_ + tx)];
            t = rotl(t, 23) ^ h;  // order matters: the same triangles in another order blend differently
            t *= 0x9E3779B97F4A7C15ull;
          }
      }
    }
  }
  if (!valid_) {
    everything();
    return d;
  }
  std::vector<std::uint8_t> marked(next_.size(), 0);
  for (std::size_t i = 0; i < next_.size(); ++i)
    if (next_[i] != shown_[i]) {
      marked[i] = 1;
      ++d.damaged_tiles;
    }
  if (d.damaged_tiles == 0) return d;
  d.rects = cover_tiles(marked, cols_, rows_, kTile, fb_w, fb_h, max_rects);
  for (const auto& r : d.rects) d.pixels += r.area();
  return d;
}

void DamageTracker::presented() {
  if (next_ok_ && next_.size() == shown_.size()) {
    shown_.swap(next_);
    valid_ = true;
  } else {
    valid_ = false;
  }
}

}  // namespace cairn::ui
