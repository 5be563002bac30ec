#pragma once
// Reports of models other than ISOG-J's first form: SIM3 (one dimension, 0..4), a tenant's
// model of three functions on levels 1..3, and ISOG-J with its sourcing view. The scores come
// from the scoring arithmetic, so that these inputs are what the suite would render.

#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <sstream>
#include <string>

#include "services/reporting/domain/report.h"
#include "services/scoring/domain/scoring.h"

namespace socm::reporting::fixture {

namespace apb = soc::maturity::assessment::v1;
namespace cpb = soc::maturity::catalogue::v1;
namespace spb = soc::maturity::scoring::v1;

inline cpb::Catalogue LoadShipped(const std::string& relative) {
  std::ifstream in(std::string(SOCM_CATALOGUE_DATA_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  cpb::Catalogue c;
  (void)google::protobuf::util::JsonStringToMessage(text.str(), &c);
  return c;
}

inline cpb::LocalizedText Both(const std::string& ja, const std::string& en) {
  cpb::LocalizedText t;
  t.set_ja(ja);
  t.set_en(en);
  return t;
}

// Three functions X, Y, Z of two roles each, levels 1..3, one dimension "level".
inline cpb::Catalogue ThreeLevelCatalogue() {
  cpb::Catalogue c;
  c.set_id("three-level");
  c.set_version("1");
  *c.mutable_name() = Both("三段階モデル", "Three-level model");
  const char* names[][2] = {{"計画", "Plan"}, {"実行", "Run"}, {"改善", "Improve"}};
  const char* codes[] = {"X", "Y", "Z"};
  for (int i = 0; i < 3; ++i) {
    auto* f = c.add_functions();
    f->set_code(codes[i]);
    *f->mutable_name() = Both(names[i][0], names[i][1]);
    for (int j = 1; j <= 2; ++j) {
      auto* r = f->add_roles();
      r->set_code(std::string(codes[i]) + "-" + std::to_string(j));
      *r->mutable_name() = Both("役割" + std::to_string(j), "Role " + std::to_string(j));
    }
  }
  c.mutable_scale()->set_lowest(1);
  c.mutable_scale()->set_highest(3);
  auto* d = c.add_dimensions();
  d->set_code("level");
  *d->mutable_name() = Both("レベル", "Level");
  const char* labels[][2] = {{"初期", "initial"}, {"定義済み", "defined"}, {"管理", "managed"}};
  for (int level = 1; level <= 3; ++level) {
    auto* l = c.mutable_scale()->add_levels();
    l->set_level(level);
    *l->mutable_label() = Both(labels[level - 1][0], labels[level - 1][1]);
    auto* t = d->add_levels();
    t->set_level(level);
    *t->mutable_text() = Both(std::string(labels[level - 1][0]) + "の段階",
                              std::string("the ") + labels[level - 1][1] + " stage");
  }
  c.set_combine(cpb::MAX);
  return c;
}

struct ShapeExample {
  cpb::Catalogue catalogue;
  apb::Assessment assessment;
  spb::Score score;
  ReportInput Input(Lang lang) const {
    return ReportInput{&score, &catalogue, &assessment, "Example Corp", lang};
  }
};

// Every role rated `level_of(function index, role index)` on the one dimension "level".
template <typename LevelOf>
ShapeExample OneDimensionExample(cpb::Catalogue catalogue, LevelOf level_of) {
  ShapeExample ex;
  ex.catalogue = std::move(catalogue);
  apb::Assessment& a = ex.assessment;
  a.set_id("as_shape");
  a.set_revision(3);
  a.set_catalogue_id(ex.catalogue.id());
  a.set_catalogue_version(ex.catalogue.version());
  a.set_title("FY2026");
  a.set_assessed_on("2026-12-01");
  for (int i = 0; i < ex.catalogue.functions_size(); ++i) {
    const auto& f = ex.catalogue.functions(i);
    for (int j = 0; j < f.roles_size(); ++j) {
      auto* answer = a.add_answers();
      answer->set_role_code(f.roles(j).code());
      (*answer->mutable_levels())["level"] = level_of(i, j);
    }
  }
  ex.score = scoring::ComputeScore(a, ex.catalogue, "en");
  return ex;
}

inline ShapeExample Sim3Example() {
  return OneDimensionExample(LoadShipped("sim3/1.json"),
                             [](int f, int r) { return std::min(4, (f + r) % 5); });
}

inline ShapeExample ThreeLevelExample() {
  return OneDimensionExample(ThreeLevelCatalogue(), [](int f, int r) { return 1 + (f + r) % 3; });
}

// ISOG-J 2.1.1 with function B leaning on its provider: in-source 1, out-source 4.
inline ShapeExample SourcingExample() {
  ShapeExample ex;
  ex.catalogue = LoadShipped("isogj-soc-csirt/2.1.1.json");
  apb::Assessment& a = ex.assessment;
  a.set_id("as_sourcing");
  a.set_revision(2);
  a.set_catalogue_id(ex.catalogue.id());
  a.set_catalogue_version(ex.catalogue.version());
  for (const auto& f : ex.catalogue.functions()) {
    for (const auto& r : f.roles()) {
      auto* answer = a.add_answers();
      answer->set_role_code(r.code());
      answer->set_in_source(f.code() == "B" ? 1 : 3);
      if (f.code() == "B" || f.code() == "C") answer->set_out_source(4);
    }
  }
  ex.score = scoring::ComputeScore(a, ex.catalogue, "en");
  return ex;
}

}  // namespace socm::reporting::fixture
