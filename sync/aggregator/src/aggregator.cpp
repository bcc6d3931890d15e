// Aggregator set-up, configuration, tokens and the state digest: see aggregator.hpp.
#include <chrono>
#include <cstring>
#include <ctime>

#include "cairn/base/files.hpp"
#include "cairn/base/json.hpp"
#include "http.hpp"
#include "impl.hpp"

namespace cairn::aggregator {
namespace {

using Json = nlohmann::json;
constexpr std::size_t kKeyFileBytes = 32;

constexpr const char* kSchema = R"(
CREATE TABLE config(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE tokens(hash TEXT PRIMARY KEY, team TEXT NOT NULL, created INTEGER NOT NULL, used_by BLOB);
CREATE TABLE devices(device_key BLOB PRIMARY KEY, team TEXT NOT NULL, enrolled INTEGER NOT NULL,
                     ledger_length INTEGER NOT NULL DEFAULT 0, ledger_head BLOB,
                     token TEXT NOT NULL DEFAULT '', replaced INTEGER NOT NULL DEFAULT 0);
CREATE INDEX devices_by_token ON devices(token);
CREATE TABLE plans(plan_id TEXT PRIMARY KEY, body TEXT NOT NULL, published INTEGER NOT NULL DEFAULT 0, verify_key BLOB);
CREATE TABLE reports(report_id BLOB PRIMARY KEY, plan_id TEXT NOT NULL, period TEXT NOT NULL,
                     device_key BLOB NOT NULL, ledger_length INTEGER NOT NULL, ledger_head BLOB NOT NULL,
                     share BLOB NOT NULL, prep BLOB NOT NULL, received INTEGER NOT NULL,
                     envelope BLOB NOT NULL DEFAULT x'',
                     UNIQUE(plan_id, period, device_key));
CREATE TABLE periods(plan_id TEXT NOT NULL, period TEXT NOT NULL, state TEXT NOT NULL, n INTEGER NOT NULL,
                     checksum TEXT NOT NULL, result TEXT NOT NULL DEFAULT '', PRIMARY KEY(plan_id, period));
PRAGMA user_version = 3;
)";

Result<crypto::SecretBytes> read_key_file(const std::filesystem::path& dir) {
  auto bytes = fs::read_file(dir / "state.key", 64);
  if (!bytes.ok()) {
    if (bytes.error().code == Errc::io && !std::filesystem::exists(dir / "state.key"))
      return make_error(Errc::not_found, "no aggregator in " + dir.string() + " (run cairn-aggregator init)");
    return bytes.error();
  }
  if (bytes->size() != kKeyFileBytes) return make_error(Errc::corrupt, "state.key is not 32 bytes");
  auto key = crypto::SecretBytes::from(*bytes);
  crypto::wipe(*bytes);
  return key;
}

crypto::SecretBytes secret_from_b64(const std::string& b64) {
  auto b = crypto::from_base64(b64).value();
  auto s = crypto::SecretBytes::from(b);
  crypto::wipe(b);
  return s;
}

// The state database: SQLCipher keyed with the raw 32-byte key file (cairn/sql/sql.hpp), opened
// serialized (the server's threads share it under Impl::mu), synchronous = FULL: an accepted report
// is on disk before its answer leaves (docs/sharing.md, "Nothing lost").
Result<sql::Db> open_state(const std::filesystem::path& path, const crypto::SecretBytes& key, bool create) {
  auto db = CAIRN_TRY(sql::Db::open(path, {.create = create, .serialized = true, .label = "the aggregator state"}));
  CAIRN_TRY(db.key(key));
  CAIRN_TRY(sql::apply_pragmas(db, {.synchronous = "FULL"}));
  return db;
}

}  // namespace

const char* role_name(Role r) { return r == Role::leader ? "leader" : "helper"; }

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

Response json_response(int status, const Json& body) { return Response{status, body.dump()}; }
Response error_response(int status, const std::string& message) { return Response{status, Json{{"error", message}}.dump()}; }
int status_for_parse(const Error& e) { return e.code == Errc::too_large ? 413 : 400; }

Result<std::string> config_get_locked(sql::Db& db, const std::string& key) {
  auto st = CAIRN_TRY(db.prepare("SELECT value FROM config WHERE key = ?"));
  st.bind(1, key);
  if (!CAIRN_TRY(st.step())) return make_error(Errc::not_found, "aggregator setting " + key + " is not set");
  return st.text(0);
}

Status config_set_locked(sql::Db& db, const std::string& key, const std::string& value) {
  auto st = CAIRN_TRY(db.prepare("INSERT OR REPLACE INTO config(key, value) VALUES (?, ?)"));
  return st.bind(1, key).bind(2, value).run();
}

std::string org_sign_request(const crypto::SignKeyPair& org, const std::string& path, const std::string& body) {
  std::string msg = "cairn-leader-v1\n" + path + "\n" + body;
  return crypto::to_base64(crypto::sign_detached(org, crypto::as_bytes(msg)));
}

bool org_verify_request(const crypto::SignPublicKey& org, const std::string& path, const std::string& body,
                        const std::string& signature_b64) {
  auto sig = crypto::from_base64(signature_b64);
  if (!sig.ok() || sig->size() != crypto::kSignatureBytes) return false;
  crypto::Signature s;
  std::memcpy(s.data(), sig->data(), s.size());
  std::string msg = "cairn-leader-v1\n" + path + "\n" + body;
  return crypto::verify_detached(org, crypto::as_bytes(msg), s).ok();
}

HelperLink* helper_link_locked(Aggregator::Impl& impl) {
  if (impl.link) return impl.link.get();
  auto url = config_get_locked(impl.db, "helper_url");
  if (!url.ok() || url->empty()) return nullptr;
  impl.link = http_helper_link(*url);
  return impl.link.get();
}

Result<std::shared_ptr<const crypto::SecretBytes>> link_key_locked(Aggregator::Impl& impl) {
  if (impl.link_key) return impl.link_key;
  const bool leader = impl.role == Role::leader;
  auto b64 = CAIRN_TRY(config_get_locked(impl.db, leader ? "helper_box_key" : "leader_box_key"));
  auto bytes = crypto::from_base64(b64);
  crypto::BoxPublicKey other{};
  if (!bytes.ok() || bytes->size() != other.size()) return make_error(Errc::corrupt, "aggregator state: bad peer key");
  std::memcpy(other.data(), bytes->data(), other.size());
  impl.link_key = std::make_shared<const crypto::SecretBytes>(
      leader ? CAIRN_TRY(crypto::kx_client_to_server(impl.box, other))
             : CAIRN_TRY(crypto::kx_client_to_server_at_server(impl.box, other)));
  return impl.link_key;
}

Status Aggregator::init(const std::filesystem::path& dir, const InitOptions& o, std::int64_t now) {
  if (std::filesystem::exists(dir / "state.key") || std::filesystem::exists(dir / "state.db"))
    return make_error(Errc::exists, "an aggregator already lives in " + dir.string());
  crypto::SignPublicKey org_pk{};
  if (o.role == Role::helper) {
    auto k = crypto::from_base64(o.org_key);
    if (!k.ok() || k->size() != org_pk.size())
      return make_error(Errc::usage, "--org-key must be the organization's public key as the leader's init printed it");
    std::memcpy(org_pk.data(), k->data(), org_pk.size());
  }
  CAIRN_TRY(fs::ensure_private_dir(dir));
  crypto::SecretBytes key(kKeyFileBytes);
  crypto::random_bytes(key.bytes());
  CAIRN_TRY(fs::write_file_atomic(dir / "state.key", key.bytes()));
  auto db = CAIRN_TRY(open_state(dir / "state.db", key, true));
  std::filesystem::permissions(dir / "state.db", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return sql::transaction(db, [&]() -> Status {
    CAIRN_TRY(db.exec(kSchema));
    CAIRN_TRY(config_set_locked(db, "role", role_name(o.role)));
    CAIRN_TRY(config_set_locked(db, "org", o.org));
    CAIRN_TRY(config_set_locked(db, "created", std::to_string(now)));
    CAIRN_TRY(config_set_locked(db, "url", o.url));
    crypto::SecretBytes box_seed(crypto::kBoxSeedBytes);
    crypto::random_bytes(box_seed.bytes());
    CAIRN_TRY(config_set_locked(db, "box_seed", crypto::to_base64(box_seed.bytes())));
    if (o.role == Role::leader) {
      crypto::SecretBytes sign_seed(crypto::kSignSeedBytes);
      crypto::random_bytes(sign_seed.bytes());
      CAIRN_TRY(config_set_locked(db, "org_sign_seed", crypto::to_base64(sign_seed.bytes())));
      org_pk = crypto::sign_keypair_from_seed(sign_seed).public_key;
    }
    CAIRN_TRY(config_set_locked(db, "org_key", crypto::to_base64(org_pk)));
    return {};
  });
}

Aggregator::Aggregator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Aggregator::~Aggregator() = default;

Result<std::unique_ptr<Aggregator>> Aggregator::open(const std::filesystem::path& dir) {
  auto key = CAIRN_TRY(read_key_file(dir));
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->db = CAIRN_TRY(open_state(dir / "state.db", key, false));
  const auto version = CAIRN_TRY(impl->db.scalar("PRAGMA user_version"));
  if (version == 2) {
    // Version 3 keeps, at the helper, each report's envelope so that the leader can recover one it
    // lacks at release instead of naming it to drop (docs/sharing.md, "Release"). Reports stored
    // before keep an empty one: the helper lets the leader drop only those.
    CAIRN_TRY(sql::transaction(impl->db, [&]() -> Status {
      CAIRN_TRY(impl->db.exec("ALTER TABLE reports ADD COLUMN envelope BLOB NOT NULL DEFAULT x''"));
      return impl->db.exec("PRAGMA user_version = 3");
    }));
  } else if (version != 3) {
    return make_error(Errc::corrupt, "aggregator state has an unknown schema version (version 1 states held v1 reports: "
                                     "start a new aggregator for v2 reports)");
  }
  // States made before the index existed get it here (an index only: contents and version unchanged).
  CAIRN_TRY(impl->db.exec("CREATE INDEX IF NOT EXISTS devices_by_token ON devices(token)"));
  auto role = CAIRN_TRY(config_get_locked(impl->db, "role"));
  impl->role = role == "helper" ? Role::helper : Role::leader;
  impl->org = CAIRN_TRY(config_get_locked(impl->db, "org"));
  impl->box = crypto::box_keypair_from_seed(secret_from_b64(CAIRN_TRY(config_get_locked(impl->db, "box_seed"))));
  auto org_pk = crypto::from_base64(CAIRN_TRY(config_get_locked(impl->db, "org_key")));
  if (!org_pk.ok() || org_pk->size() != 32) return make_error(Errc::corrupt, "aggregator state: bad org key");
  std::memcpy(impl->org_key.data(), org_pk->data(), 32);
  if (impl->role == Role::leader)
    impl->org_sign = crypto::sign_keypair_from_seed(secret_from_b64(CAIRN_TRY(config_get_locked(impl->db, "org_sign_seed"))));
  return std::unique_ptr<Aggregator>(new Aggregator(std::move(impl)));
}

Role Aggregator::role() const { return impl_->role; }
void Aggregator::set_clock(std::function<std::int64_t()> now) { impl_->clock = std::move(now); }
void Aggregator::set_log(std::function<void(const std::string&)> log) { impl_->log = std::move(log); }

Result<Info> Aggregator::info() {
  std::lock_guard lock(impl_->mu);
  Info i;
  i.role = impl_->role;
  i.org = impl_->org;
  i.org_key = impl_->org_key;
  i.box_key = impl_->box.public_key;
  i.url = config_get_locked(impl_->db, "url").ok() ? *config_get_locked(impl_->db, "url") : "";
  if (auto u = config_get_locked(impl_->db, "helper_url"); u.ok()) i.helper_url = *u;
  if (auto k = config_get_locked(impl_->db, "helper_box_key"); k.ok()) {
    auto b = crypto::from_base64(*k);
    if (b.ok() && b->size() == 32) {
      crypto::BoxPublicKey pk;
      std::memcpy(pk.data(), b->data(), 32);
      i.helper_box_key = pk;
    }
  }
  return i;
}

Status Aggregator::configure(const std::optional<std::string>& url, const std::optional<std::string>& helper_url,
                             const std::optional<std::string>& helper_box_key) {
  auto is_url = [](const std::string& u) { return u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0; };
  if (url && !is_url(*url)) return make_error(Errc::usage, "--url must start with http:// or https://");
  if (helper_url && !is_url(*helper_url)) return make_error(Errc::usage, "--helper-url must start with http:// or https://");
  if ((helper_url || helper_box_key) && impl_->role != Role::leader)
    return make_error(Errc::usage, "only the leader is told where the helper is");
  if (helper_box_key) {
    auto b = crypto::from_base64(*helper_box_key);
    if (!b.ok() || b->size() != 32) return make_error(Errc::usage, "--helper-key must be the helper's public key as its init printed it");
  }
  std::lock_guard lock(impl_->mu);
  return sql::transaction(impl_->db, [&]() -> Status {
    if (url) CAIRN_TRY(config_set_locked(impl_->db, "url", *url));
    if (helper_url) CAIRN_TRY(config_set_locked(impl_->db, "helper_url", *helper_url));
    if (helper_box_key) CAIRN_TRY(config_set_locked(impl_->db, "helper_box_key", *helper_box_key));
    if (helper_url) impl_->link.reset();
    if (helper_box_key) impl_->link_key.reset();
    return {};
  });
}

void Aggregator::set_helper_link(std::unique_ptr<HelperLink> link) {
  std::lock_guard lock(impl_->mu);
  impl_->link = std::move(link);
}

Result<std::vector<Aggregator::Token>> Aggregator::create_tokens(const std::string& team, std::uint32_t count,
                                                                 std::int64_t now) {
  if (impl_->role != Role::leader) return make_error(Errc::usage, "tokens are created by the leader");
  if (team.empty() || team.size() > 200) return make_error(Errc::usage, "--team must be 1-200 characters");
  if (count < 1 || count > 10000) return make_error(Errc::usage, "--count must be between 1 and 10000");
  auto inf = CAIRN_TRY(info());
  if (inf.url.empty() || inf.helper_url.empty() || !inf.helper_box_key)
    return make_error(Errc::usage, "configure the leader's --url, --helper-url and --helper-key first (cairn-aggregator configure)");
  std::vector<Token> out;
  std::lock_guard lock(impl_->mu);
  CAIRN_TRY(sql::transaction(impl_->db, [&]() -> Status {
    for (std::uint32_t i = 0; i < count; ++i) {
      wire::EnrollToken t;
      t.org = impl_->org;
      t.team = team;
      t.org_key = impl_->org_key;
      t.leader = {inf.url, impl_->box.public_key};
      t.helper = {inf.helper_url, *inf.helper_box_key};
      crypto::random_bytes(t.secret);
      Token tok{wire::encode_token(t), wire::token_hash(t.secret)};
      crypto::wipe(t.secret);
      auto st = CAIRN_TRY(impl_->db.prepare("INSERT INTO tokens(hash, team, created) VALUES (?, ?, ?)"));
      CAIRN_TRY(st.bind(1, tok.hash).bind(2, team).bind(3, now).run());
      out.push_back(std::move(tok));
    }
    return {};
  }));
  return out;
}

Status Aggregator::allow_tokens(const std::string& team, const std::vector<std::string>& hashes, std::int64_t now) {
  if (impl_->role != Role::helper) return make_error(Errc::usage, "tokens are allowed on the helper");
  if (team.empty()) return make_error(Errc::usage, "--team is required");
  for (const auto& h : hashes) {
    auto b = crypto::from_hex(h);
    if (h.size() != 64 || !b.ok()) return make_error(Errc::usage, "a token hash is 64 hex digits (from token create)");
  }
  std::lock_guard lock(impl_->mu);
  return sql::transaction(impl_->db, [&]() -> Status {
    for (const auto& h : hashes) {
      auto st = CAIRN_TRY(impl_->db.prepare("INSERT OR IGNORE INTO tokens(hash, team, created) VALUES (?, ?, ?)"));
      CAIRN_TRY(st.bind(1, h).bind(2, team).bind(3, now).run());
    }
    return {};
  });
}

Result<std::string> Aggregator::state_digest() {
  std::lock_guard lock(impl_->mu);
  std::vector<std::uint8_t> all;
  for (const char* table : {"config", "tokens", "devices", "plans", "reports", "periods"}) {
    auto st = CAIRN_TRY(impl_->db.prepare(std::string("SELECT * FROM ") + table + " ORDER BY 1, 2"));
    all.insert(all.end(), table, table + std::strlen(table));
    while (CAIRN_TRY(st.step())) {
      for (int c = 0; c < st.columns(); ++c) {
        auto b = st.type(c) == SQLITE_BLOB ? st.blob(c) : [&] { auto t = st.text(c); return std::vector<std::uint8_t>(t.begin(), t.end()); }();
        const std::uint64_t n = b.size();
        for (int i = 0; i < 8; ++i) all.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
        all.push_back(static_cast<std::uint8_t>(st.type(c)));
        all.insert(all.end(), b.begin(), b.end());
      }
    }
  }
  return crypto::to_hex(crypto::generichash(all));
}

Response Aggregator::handle(const Request& r) {
  const bool post = r.method == "POST";
  if (r.body.size() > kMaxBodyBytes) return error_response(413, "request body larger than 128 KiB");
  if (r.method == "GET" && r.path == "/v1/info") {
    auto i = info();
    if (!i.ok()) return error_response(500, i.error().message);
    return json_response(200, Json{{"role", role_name(i->role)}, {"org", i->org}, {"org_key", crypto::to_base64(i->org_key)},
                                   {"box_key", crypto::to_base64(i->box_key)}});
  }
  if (post && r.path == "/v1/enroll") {
    auto resp = handle_enroll(*impl_, r);
    if (resp.status >= 400 && impl_->log) {
      auto j = json::parse_object(resp.body, "answer");
      auto why = j.ok() ? json::get_str(*j, "error", "answer", 200) : Result<std::string>(j.error());
      impl_->log("enrolment refused (HTTP " + std::to_string(resp.status) + "): " + (why.ok() ? *why : std::string("?")));
    }
    return resp;
  }
  if (impl_->role == Role::leader) {
    if (r.method == "GET" && r.path == "/v1/plans") return handle_plans(*impl_, r);
    if (post && r.path == "/v1/reports") return handle_report(*impl_, r);
    if (post && r.path == "/v1/results") return handle_results(*impl_, r);
  } else {
    if (post && r.path == "/v1/helper/plans") return handle_helper_plan(*impl_, r);
    if (post && r.path == "/v1/helper/reports") return handle_helper_reports(*impl_, r);
    if (post && r.path == "/v1/helper/aggregate") return handle_helper_aggregate(*impl_, r);
    if (post && r.path == "/v1/helper/close") return handle_helper_close(*impl_, r);
    if (post && r.path == "/v1/helper/recover") return handle_helper_recover(*impl_, r);
  }
  return error_response(404, "no such endpoint on this " + std::string(role_name(impl_->role)));
}

}  // namespace cairn::aggregator
