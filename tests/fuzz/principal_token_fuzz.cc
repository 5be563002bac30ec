// libFuzzer target: a principal token from hostile input, as any process that reaches a
// service's port could send one. Verify must return (no crash, no sanitizer report, bounded
// work) and keep its promise: what it accepts names a principal and a role. The key is a
// fixed test key (never used outside this target), so the seed corpus can hold tokens it
// really signed and the fuzzer starts from inputs that pass.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/common/principal_token.h"

namespace {

constexpr char kTestKey[] = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgMtj4ATgdh6F2HNyz
LIoOJ9C6s0tlkiNWD3ptUxyZYj+hRANCAARdxj9m083On6S488oMOzEbWZvtAQPp
zj236Qt+YPAxEMcCM4hkFsyFmM7QISBESaYyRndTwJ3ezyjYZBAvQDn2
-----END PRIVATE KEY-----
)";

socm::PrincipalVerifier& Verifier() {
  static socm::PrincipalVerifier* verifier = [] {
    auto made = socm::PrincipalVerifier::FromPem(kTestKey);
    if (!made.ok()) std::abort();
    return made->release();
  }();
  return *verifier;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string token(reinterpret_cast<const char*>(data), size);
  auto caller = Verifier().Verify(token);
  if (caller.ok() && (caller->principal.empty() || caller->role == socm::Role::kNone)) {
    std::abort();
  }
  if (!caller.ok() && caller.status().code() != absl::StatusCode::kUnauthenticated) std::abort();
  return 0;
}
