// The leader's batched path to the helper: the forward framing, the group commit, concurrent
// uploads (one report per device and period still holds when requests race), and forwarded
// batches replayed or altered at the helper.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "fixture.hpp"
#include "forward_batch.hpp"
#include "group_commit.hpp"

using namespace cairn;
using test::Pair;

TEST_CASE("forward framing: round trip; a wrong MAC or a malformed shape is refused") {
  REQUIRE(crypto::init().ok());
  crypto::SecretBytes key(32), other(32);
  crypto::random_bytes(key.bytes());
  crypto::random_bytes(other.bytes());
  std::vector<std::string> reports{"first envelope", std::string(1000, 'x'), ""};
  std::vector<std::string> preps{"prep share", "", std::string(300, 'p')};
  std::vector<aggregator::ForwardItem> views;
  for (std::size_t i = 0; i < 3; ++i) views.push_back({reports[i], preps[i]});
  const auto body = aggregator::encode_forward(views, key);
  auto back = aggregator::decode_forward(body, key);
  REQUIRE(back.ok());
  REQUIRE(back->size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK((*back)[i].envelope == reports[i]);
    CHECK((*back)[i].prep_share == preps[i]);
  }

  auto code = [&](const std::string& b) {
    auto r = aggregator::decode_forward(b, key);
    return r.ok() ? std::optional<Errc>() : std::optional<Errc>(r.error().code);
  };
  CHECK(aggregator::decode_forward(body, other).error().code == Errc::wrong_secret);  // another key
  CHECK(code("") == Errc::wrong_secret);
  CHECK(code("cairn-fwd-v1\n" + body.substr(13)) == Errc::wrong_secret);             // magic (v1)
  CHECK(code(body.substr(0, body.size() - 1)) == Errc::wrong_secret);                 // truncated
  CHECK(code(body + "x") == Errc::wrong_secret);                                      // appended
  for (std::size_t i = 0; i < body.size(); ++i) {                                     // any flipped byte
    auto b = body;
    b[i] ^= 0x20;
    CHECK(code(b).has_value());
  }
  // Well authenticated but malformed: refused as such.
  CHECK(code(aggregator::encode_forward({}, key)) == Errc::corrupt);                  // empty batch
  std::vector<aggregator::ForwardItem> many(aggregator::kMaxForwardReports + 1, {std::string_view("r"), std::string_view("p")});
  CHECK(code(aggregator::encode_forward(many, key)) == Errc::corrupt);                // too many
}

TEST_CASE("verdicts: round trip; a short, long or odd answer is an error") {
  std::vector<aggregator::Verdict> v{{}, {409, "replay"}, {403, "unknown device"}};
  v[0].prep = {1, 2, 3};
  v[0].held = true;
  auto back = aggregator::decode_verdicts(aggregator::encode_verdicts(v), 3);
  REQUIRE(back.ok());
  CHECK((*back)[0].status == 0);
  CHECK((*back)[0].held);
  CHECK((*back)[0].prep == std::vector<std::uint8_t>{1, 2, 3});
  CHECK((*back)[1].status == 409);
  CHECK((*back)[1].message == "replay");
  CHECK(!aggregator::decode_verdicts(aggregator::encode_verdicts(v), 2).ok());
  CHECK(!aggregator::decode_verdicts(R"({"results":[{"status":201}]})", 1).ok());  // accepted without a prep message
  CHECK(!aggregator::decode_verdicts(R"({"results":[{"status":302}]})", 1).ok());
  CHECK(!aggregator::decode_verdicts(R"({"results":[{"status":"201"}]})", 1).ok());
  CHECK(!aggregator::decode_verdicts("not json", 1).ok());
  for (const char* bad : {R"([1])", R"({"results":{}})", R"({"results":[7]})", R"({"results":[{"status":201,"prep":3}]})"}) {
    auto r = aggregator::decode_verdicts(bad, 1);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::network);
  }
  CHECK(aggregator::decode_verdicts(R"({"results":[{"status":403}]})", 1)->at(0).message == "refused");
}

TEST_CASE("group commit: every item runs exactly once, batches respect their limits") {
  struct Item {
    int id = 0;
    int runs = 0;
  };
  aggregator::GroupCommit<Item> gc(16, 1000, 2);
  std::atomic<int> running{0}, most_running{0}, batches{0};
  std::atomic<std::size_t> biggest{0};
  std::vector<Item> items(1600);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = t; i < 1600; i += 8) {
        items[static_cast<std::size_t>(i)].id = i;
        gc.submit(
            items[static_cast<std::size_t>(i)], [](const Item&) { return std::size_t{100}; },
            [&](std::vector<Item*>& batch) {
              const int now = ++running;
              for (int m = most_running.load(); now > m && !most_running.compare_exchange_weak(m, now);) {
              }
              ++batches;
              for (std::size_t m = biggest.load(); batch.size() > m && !biggest.compare_exchange_weak(m, batch.size());) {
              }
              for (Item* it : batch) ++it->runs;
              std::this_thread::yield();
              --running;
            });
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& it : items) CHECK(it.runs == 1);
  CHECK(most_running.load() <= 2);
  CHECK(biggest.load() <= 10);  // 1000 bytes / 100 per item
  CHECK(batches.load() >= 160);
}

TEST_CASE("racing uploads: the same report from 8 threads is stored once, distinct ones all") {
  Pair p("agg_race", 3, 12);
  auto e = p.report(0, 600);
  const auto body = Pair::bytes(e);
  std::atomic<int> created{0}, held{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      auto r = Pair::post(*p.leader, "/v1/reports", body);
      (r.status == 201 ? created : r.status == 200 ? held : other)++;  // 200: "already held" by both
    });
  for (auto& t : threads) t.join();
  CHECK(created.load() == 1);
  CHECK(held.load() == 7);
  CHECK(other.load() == 0);

  // Eleven other devices at once, plus a second report from device 0 for the same period.
  std::vector<std::string> bodies;
  for (std::size_t i = 1; i < 12; ++i) bodies.push_back(Pair::bytes(p.report(i, 500 + static_cast<std::int64_t>(i))));
  bodies.push_back(Pair::bytes(p.report(0, 700)));
  std::vector<int> status(bodies.size());
  threads.clear();
  for (std::size_t i = 0; i < bodies.size(); ++i)
    threads.emplace_back([&, i] { status[i] = Pair::post(*p.leader, "/v1/reports", bodies[i]).status; });
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i + 1 < bodies.size(); ++i) CHECK(status[i] == 201);
  CHECK(status.back() == 409);
  // Both sides agree: the release sees all twelve devices.
  auto rel = p.leader->release(p.plan.id, "2026-11");
  REQUIRE(rel.ok());
  CHECK(rel->n == 12);
}

namespace {
// Passes calls to the helper and keeps the last forwarded batch with its signature.
class RecordingLink final : public aggregator::HelperLink {
 public:
  explicit RecordingLink(aggregator::Aggregator& helper) : inner_(helper) {}
  aggregator::Response post(const std::string& path, const std::string& body, const std::string& sig) override {
    if (path == "/v1/helper/reports") {
      std::lock_guard lock(mu_);
      last_body = body;
      last_sig = sig;
    }
    return inner_.post(path, body, sig);
  }
  std::mutex mu_;
  std::string last_body, last_sig;

 private:
  test::InProcessLink inner_;
};
}  // namespace

TEST_CASE("a forwarded batch replayed to the helper changes nothing; an altered one is refused") {
  Pair p("agg_fwd_replay");
  auto link = std::make_unique<RecordingLink>(*p.helper);
  RecordingLink* rec = link.get();
  p.leader->set_helper_link(std::move(link));
  REQUIRE(p.upload(p.report(0, 600)).status == 201);
  REQUIRE(!rec->last_body.empty());
  const auto d = p.digest();

  aggregator::Request r;
  r.method = "POST";
  r.path = "/v1/helper/reports";
  r.body = rec->last_body;
  r.org_signature = rec->last_sig;
  auto again = p.helper->handle(r);
  CHECK(again.status == 200);
  auto verdicts = aggregator::decode_verdicts(again.body, 1);
  REQUIRE(verdicts.ok());
  CHECK((*verdicts)[0].status == 0);  // already held: the stored prep message again, nothing stored
  CHECK((*verdicts)[0].held);
  CHECK(p.digest() == d);

  r.body.back() ^= 1;
  CHECK(p.helper->handle(r).status == 401);
  // The same report in a batch authenticated with a key other than the link key.
  crypto::SecretBytes guess(32);
  crypto::random_bytes(guess.bytes());
  r.body = aggregator::encode_forward({{std::string_view(rec->last_body).substr(aggregator::kForwardHeaderBytes + 4), ""}}, guess);
  CHECK(p.helper->handle(r).status == 401);
  CHECK(p.digest() == d);
}
