#pragma once
// The shipped ISOG-J catalogue as the catalogue service serves it (normalized: scale and
// dimensions filled in), for scoring tests and benchmarks.

#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "services/catalogue/domain/model_shape.h"
#include "soc/maturity/assessment/v1/assessment.pb.h"
#include "soc/maturity/catalogue/v1/catalogue.pb.h"

namespace socm::scoring {

inline soc::maturity::catalogue::v1::Catalogue IsogjCatalogue() {
  std::ifstream in(std::string(SOCM_CATALOGUE_DATA_DIR) + "/isogj-soc-csirt/2.1.json");
  std::stringstream text;
  text << in.rdbuf();
  soc::maturity::catalogue::v1::Catalogue c;
  (void)google::protobuf::util::JsonStringToMessage(text.str(), &c);
  catalogue::NormalizeCatalogue(c);
  return c;
}

// An assessment whose every role of function X is rated levels[X] in-source.
inline soc::maturity::assessment::v1::Assessment Uniform(
    const soc::maturity::catalogue::v1::Catalogue& c, const std::map<std::string, int>& levels) {
  soc::maturity::assessment::v1::Assessment a;
  a.set_id("as_test");
  a.set_revision(1);
  for (const auto& f : c.functions()) {
    auto it = levels.find(f.code());
    if (it == levels.end()) continue;
    for (const auto& r : f.roles()) {
      auto* answer = a.add_answers();
      answer->set_role_code(r.code());
      answer->set_in_source(it->second);
    }
  }
  return a;
}

}  // namespace socm::scoring
