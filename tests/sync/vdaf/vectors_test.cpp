// The draft's own test vectors as the judge: walks every Prio3*.json file in $CAIRN_VDAF_VECTORS
// (default: <source>/../shared/vectors/vdaf-20), builds the instance the file's fields describe,
// and replays its `operations` in order, checking each one's success flag and every value it
// produces (public share, input shares, verifier shares and messages, output shares, aggregate
// shares, aggregate result). Also checks XofTurboShake128.json.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "cairn/vdaf/prio3.hpp"
#include "cairn/vdaf/xof.hpp"
#include "vdaf_test_util.hpp"

namespace fs = std::filesystem;
using namespace cairn::vdaf;
using nlohmann::json;
using cairn::vdaf::test::hex;
using cairn::vdaf::test::unhex;

namespace {

fs::path vectors_dir() {
  if (const char* env = std::getenv("CAIRN_VDAF_VECTORS")) return env;
  return fs::path(CAIRN_SOURCE_DIR) / ".." / "shared" / "vectors" / "vdaf-20";
}

json load(const fs::path& p) {
  std::ifstream f(p);
  return json::parse(f);
}

// The instance a vector file describes, from its fields: {} Count, {max_measurement} Sum,
// {length, chunk_length} Histogram, {length, max_measurement, chunk_length} SumVec. The multiproof
// variant has SumVec's fields but not its field or proof count; a file whose name says so, or whose
// share sizes do not fit plain SumVec, is matched against Field64/Field128 with 1..255 proofs by
// the sizes of its leader input share and aggregate share.
Prio3 instance_for(const std::string& name, const json& v) {
  auto shares = v.at("shares").get<std::size_t>();
  auto num = [&](const char* k) { return v.at(k).get<std::uint64_t>(); };
  const bool has_len = v.contains("length"), has_max = v.contains("max_measurement");
  if (has_len && has_max) {
    std::size_t leader = unhex(v.at("reports").at(0).at("input_shares").at(0).get<std::string>()).size();
    std::size_t agg = unhex(v.at("agg_shares").empty() ? std::string() : v.at("agg_shares").at(0).get<std::string>()).size();
    auto fits = [&](const Prio3& p) {
      return p.input_share_size(0) == leader && (agg == 0 || p.out_share_size() == agg);
    };
    if (name.find("Multiproof") == std::string::npos) {
      auto plain = Prio3::sum_vec(num("length"), num("max_measurement"), num("chunk_length"), shares);
      if (plain.ok() && fits(*plain)) return std::move(*plain);
    }
    for (FieldId field : {FieldId::f64, FieldId::f128})
      for (std::size_t p = 1; p < 256; ++p) {
        auto cand = Prio3::sum_vec_multiproof(field, p, num("length"), num("max_measurement"), num("chunk_length"), shares);
        if (cand.ok() && fits(*cand)) return std::move(*cand);
      }
    FAIL("no SumVec instance fits the shares of " << name);
  }
  cairn::Result<Prio3> r = has_len ? Prio3::histogram(num("length"), num("chunk_length"), shares)
                         : has_max ? Prio3::sum(num("max_measurement"), shares)
                                   : Prio3::count(shares);
  REQUIRE_MESSAGE(r.ok(), "cannot build an instance for " << name);
  return std::move(*r);
}

std::vector<std::uint64_t> measurement_of(const json& m) {
  if (m.is_array()) return m.get<std::vector<std::uint64_t>>();
  return {m.get<std::uint64_t>()};
}

std::vector<std::uint64_t> result_of(const json& m) {
  if (m.is_array()) return m.get<std::vector<std::uint64_t>>();
  return {m.get<std::uint64_t>()};
}

void run_file(const fs::path& path) {
  const std::string name = path.filename().string();
  CAPTURE(name);
  json v = load(path);
  Prio3 vdaf = instance_for(name, v);
  Bytes ctx = unhex(v.at("ctx").get<std::string>());
  Bytes verify_key = unhex(v.at("verify_key").get<std::string>());
  const json& reports = v.at("reports");
  std::map<std::pair<std::size_t, std::size_t>, PrepState> states;  // (report, agg) -> state
  std::map<std::pair<std::size_t, std::size_t>, Bytes> out_shares;
  std::vector<Bytes> agg_shares(vdaf.shares());
  std::size_t ops_checked = 0;

  for (const json& op : v.at("operations")) {
    const std::string kind = op.at("operation").get<std::string>();
    const bool expect = op.at("success").get<bool>();
    std::size_t ri = op.value("report_index", std::size_t{0});
    std::size_t agg = op.value("aggregator_id", std::size_t{0});
    CAPTURE(kind);
    CAPTURE(ri);
    CAPTURE(agg);
    const json& rep = reports.at(ri);
    Bytes nonce = unhex(rep.at("nonce").get<std::string>());
    Bytes pub = unhex(rep.at("public_share").get<std::string>());
    bool ok = false;
    if (kind == "shard") {
      auto m = measurement_of(rep.at("measurement"));
      auto r = vdaf.shard(ctx, m, nonce, unhex(rep.at("rand").get<std::string>()));
      ok = r.ok();
      if (ok && expect) {
        CHECK(hex(r->public_share) == rep.at("public_share").get<std::string>());
        for (std::size_t j = 0; j < vdaf.shares(); ++j)
          CHECK(hex(r->input_shares[j]) == rep.at("input_shares").at(j).get<std::string>());
      }
    } else if (kind == "verify_init") {
      Bytes in = unhex(rep.at("input_shares").at(agg).get<std::string>());
      auto r = vdaf.prep_init(verify_key, ctx, agg, nonce, pub, in);
      ok = r.ok();
      if (ok) {
        states[{ri, agg}] = r->state;
        if (expect) CHECK(hex(r->prep_share) == rep.at("verifier_shares").at(0).at(agg).get<std::string>());
      }
    } else if (kind == "verifier_shares_to_message") {
      std::vector<Bytes> shares;
      for (const json& s : rep.at("verifier_shares").at(op.at("round").get<std::size_t>())) shares.push_back(unhex(s.get<std::string>()));
      auto r = vdaf.prep_shares_to_prep(ctx, shares);
      ok = r.ok();
      if (ok && expect) CHECK(hex(*r) == rep.at("verifier_messages").at(0).get<std::string>());
    } else if (kind == "verify_next") {
      auto it = states.find({ri, agg});
      REQUIRE(it != states.end());
      Bytes msg = unhex(rep.at("verifier_messages").at(op.at("round").get<std::size_t>() - 1).get<std::string>());
      auto r = vdaf.prep_next(ctx, it->second, msg);
      ok = r.ok();
      if (ok) {
        out_shares[{ri, agg}] = *r;
        if (expect) CHECK(hex(*r) == rep.at("out_shares").at(agg).get<std::string>());
      }
    } else if (kind == "aggregate") {
      std::vector<Bytes> outs;
      for (std::size_t i = 0; i < reports.size(); ++i) outs.push_back(out_shares.at({i, agg}));
      auto r = vdaf.aggregate(outs);
      ok = r.ok();
      if (ok) {
        agg_shares[agg] = *r;
        if (expect) CHECK(hex(*r) == v.at("agg_shares").at(agg).get<std::string>());
      }
    } else if (kind == "unshard") {
      std::vector<Bytes> shares;
      for (const json& s : v.at("agg_shares")) shares.push_back(unhex(s.get<std::string>()));
      CHECK(shares == agg_shares);
      auto r = vdaf.unshard(shares, reports.size());
      ok = r.ok();
      if (ok && expect) CHECK(*r == result_of(v.at("agg_result")));
    } else {
      FAIL("unknown operation " << kind);
    }
    CHECK_MESSAGE(ok == expect, name << ": operation " << kind << " should " << (expect ? "succeed" : "fail"));
    ++ops_checked;
  }
  CHECK(ops_checked == v.at("operations").size());
}

}  // namespace

TEST_CASE("every Prio3 vector file replays exactly") {
  fs::path dir = vectors_dir();
  REQUIRE_MESSAGE(fs::is_directory(dir), "vector folder missing: " << dir.string());
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    if (n.rfind("Prio3", 0) == 0 && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 13);
  for (const auto& f : files) run_file(f);
}

TEST_CASE("XofTurboShake128 matches its vector") {
  json v = load(vectors_dir() / "XofTurboShake128.json");
  Bytes seed = unhex(v.at("seed").get<std::string>()), dst = unhex(v.at("dst").get<std::string>()),
        binder = unhex(v.at("binder").get<std::string>());
  {
    XofTurboShake128 x(seed, dst);
    x.binder(binder);
    Bytes out(32);
    x.next(out.data(), out.size());
    CHECK(hex(out) == v.at("derived_seed").get<std::string>());
  }
  XofTurboShake128 x(seed, dst);
  x.binder(binder);
  std::size_t n = v.at("length").get<std::size_t>();
  std::vector<Field128> vec(n);
  x.next_vec(vec.data(), n);
  Bytes enc(n * 16);
  for (std::size_t i = 0; i < n; ++i) vec[i].encode(enc.data() + 16 * i);
  CHECK(hex(enc) == v.at("expanded_vec_field128").get<std::string>());
}
