// cairn-upload: sends the reports the employee approved, without any key. The systemd user timer
// (cairn-upload.timer) starts it every 15 minutes; it reads only the spool (Paths::outbox()),
// POSTs each sealed, signed envelope to the leader and writes the spool's status file. All logic
// lives in sync/uploader; it cannot open the store and holds no secret.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cairn/base/hardening.hpp"
#include "cairn/base/paths.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/uploader/status.hpp"
#include "cairn/uploader/upload.hpp"
#include "cairn/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Sends the Cairn reports you approved (sealed and signed when you approved them) to your "
               "organisation's leader. Holds no key and reads nothing but the outbox.",
               "cairn-upload"};
  app.set_version_flag("--version", std::string("cairn-upload ") + cairn::kVersion);
  std::optional<std::string> data, home;
  bool quiet = false;
  app.add_option("--data", data, "Data directory (default as for cairn); the outbox is DIR/outbox");
  app.add_option("--home", home, "Keep data and config under DIR (as cairn --home)");
  app.add_flag("--quiet", quiet, "Print nothing when nothing was waiting");
  CLI11_PARSE(app, argc, argv);

  if (auto st = cairn::harden_process(); !st.ok()) {
    std::cerr << "cairn-upload: " << st.error().message << "\n";
    return 1;
  }
  if (auto st = cairn::crypto::init(); !st.ok()) {
    std::cerr << "cairn-upload: " << st.error().message << "; refusing to run\n";
    return 1;
  }
  auto paths = cairn::resolve_paths(home);
  if (data) paths.data = *data;
  auto transport = cairn::wire::http_transport();
  auto r = cairn::uploader::upload_spool(paths.outbox(), *transport, cairn::system_clock());
  if (!r.ok()) {
    std::cerr << "cairn-upload: " << r.error().message << "\n";
    return 1;
  }
  // The journal gets counts and report ids, never a value (there is none here to print).
  for (const auto& n : r->notes) std::cout << "cairn-upload: " << n << "\n";
  if (!quiet || r->sent || r->waiting || r->refused)
    std::cout << "cairn-upload: " << r->sent << " sent, " << r->waiting << " waiting, " << r->refused << " refused\n";
  if (auto s = cairn::uploader::read_status(paths.outbox()); s.ok()) {
    const auto line = cairn::uploader::status_line(*s, cairn::system_clock());
    if (!line.empty() && (!quiet || r->waiting)) std::cout << "cairn-upload: " << line << "\n";
  }
  return 0;
}
