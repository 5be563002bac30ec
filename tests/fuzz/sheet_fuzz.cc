// libFuzzer target: the self-check sheet's reader (services/assessment/domain/sheet_reader.cc)
// on arbitrary bytes as an uploaded workbook. Checks: no crash, leak or runaway allocation
// (libFuzzer's limits), and when it reads, every answer is a role of the catalogue with levels
// on its scale, and every problem names a cell.
#include <google/protobuf/util/json_util.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "services/assessment/domain/sheet_reader.h"
#include "services/catalogue/domain/model_shape.h"

namespace {

using soc::maturity::catalogue::v1::Catalogue;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
  }
}

const Catalogue& Isogj() {
  static const Catalogue* catalogue = [] {
    std::ifstream in(SOCM_CATALOGUE_JSON);
    std::stringstream text;
    text << in.rdbuf();
    auto* c = new Catalogue();
    if (!google::protobuf::util::JsonStringToMessage(text.str(), c).ok()) std::abort();
    socm::catalogue::NormalizeCatalogue(*c);
    return c;
  }();
  return *catalogue;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Smaller budgets than the service's keep each run fast; the code paths are the same.
  socm::assessment::SheetLimits limits;
  limits.max_unpacked_bytes = 4 << 20;
  limits.max_rows = 2000;
  limits.max_cells = 20000;
  auto read = socm::assessment::ReadSheet(bytes, Isogj(), limits);
  if (!read.ok()) {
    Check(read.status().code() == absl::StatusCode::kInvalidArgument,
          "a refusal that is not INVALID_ARGUMENT");
    return 0;
  }
  std::set<std::string> roles;
  for (const auto& f : Isogj().functions()) {
    for (const auto& r : f.roles()) roles.insert(r.code());
  }
  const socm::catalogue::Scale scale = socm::catalogue::ScaleOf(Isogj());
  for (const auto& a : read->answers) {
    Check(roles.count(a.role_code()) == 1, "an answer for a role the catalogue lacks");
    for (const auto& [code, level] : a.levels()) {
      Check(socm::catalogue::HasDimension(Isogj(), code), "a level in an unknown dimension");
      Check(scale.Contains(level), "a level off the scale");
    }
    Check(!a.has_target() || scale.Contains(a.target()), "a target off the scale");
  }
  for (const auto& p : read->problems) Check(!p.cell.empty(), "a problem without its cell");
  return 0;
}
