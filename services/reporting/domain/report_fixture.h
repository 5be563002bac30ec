#pragma once
// Test and benchmark input: the shipped ISOG-J catalogue and the seed's
// worked example (A 4, B 3, C 2, D 4, E 2, F 3, G 3, H 3, I 2; strengths A
// and D, weaknesses C and E), with every one of the 54 roles answered. The
// score is written out by hand here rather than computed, so that these tests
// do not depend on the scoring code.

#include <google/protobuf/util/json_util.h>
#include <stdio.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "services/reporting/domain/report.h"

namespace socm::reporting::fixture {

namespace apb = soc::maturity::assessment::v1;
namespace cpb = soc::maturity::catalogue::v1;
namespace spb = soc::maturity::scoring::v1;

inline cpb::Catalogue LoadIsogj() {
  std::ifstream in(std::string(SOCM_CATALOGUE_DATA_DIR) + "/isogj-soc-csirt/2.1.json");
  std::stringstream text;
  text << in.rdbuf();
  cpb::Catalogue c;
  (void)google::protobuf::util::JsonStringToMessage(text.str(), &c);
  return c;
}

struct Example {
  cpb::Catalogue catalogue;
  apb::Assessment assessment;
  spb::Score score;
};

inline const std::map<std::string, int>& ExampleLevels() {
  static const std::map<std::string, int> levels{{"A", 4}, {"B", 3}, {"C", 2}, {"D", 4}, {"E", 2},
                                                 {"F", 3}, {"G", 3}, {"H", 3}, {"I", 2}};
  return levels;
}

inline const std::map<std::string, int>& ExampleTargets() {
  static const std::map<std::string, int> targets{{"A", 5}, {"B", 4}, {"C", 4}, {"D", 5}, {"E", 4},
                                                  {"F", 4}, {"G", 4}, {"H", 4}, {"I", 3}};
  return targets;
}

// Roles vary around their function's level (+1, -1 in pairs, so the mean is
// exactly the level) and mix the two ladders, so that the report shows more
// than one column of identical numbers.
inline Example WorkedExample() {
  Example ex;
  ex.catalogue = LoadIsogj();
  apb::Assessment& a = ex.assessment;
  a.set_id("as_example");
  a.set_organization_id("org_example");
  a.set_catalogue_id(ex.catalogue.id());
  a.set_catalogue_version(ex.catalogue.version());
  a.set_title("FY2026 self-check");
  a.set_assessed_on("2026-11-26");
  a.set_scoring_policy(apb::COUNT_DECIDED_NOT_TO_AS_ZERO);
  a.set_status(apb::APPROVED);
  a.set_revision(7);

  spb::Score& s = ex.score;
  s.set_assessment_id(a.id());
  s.set_revision(a.revision());
  s.set_catalogue_id(ex.catalogue.id());
  s.set_catalogue_version(ex.catalogue.version());
  s.set_policy(apb::COUNT_DECIDED_NOT_TO_AS_ZERO);

  double sum = 0;
  int answered = 0;
  for (const auto& fn : ex.catalogue.functions()) {
    const int level = ExampleLevels().at(fn.code());
    const int target = ExampleTargets().at(fn.code());
    (*a.mutable_function_targets())[fn.code()] = target;
    const int n = fn.roles_size();
    auto* f = s.add_functions();
    f->set_code(fn.code());
    f->set_name(fn.name().ja());
    double role_sum = 0;
    for (int i = 0; i < n; ++i) {
      int delta = i % 3 == 1 ? 1 : i % 3 == 2 ? -1 : 0;
      if (i % 3 == 1 && i == n - 1) delta = 0;  // an unpaired +1 would move the mean
      const int effective = std::clamp(level + delta, 0, 5);
      const int in = i % 3 == 2 ? std::max(effective - 1, 0) : effective;
      const int out = i % 3 == 2 ? effective : std::max(effective - 2, 0);
      auto* answer = a.add_answers();
      answer->set_role_code(fn.roles(i).code());
      answer->set_in_source(in);
      if (i % 3 != 0) answer->set_out_source(out);
      answer->set_target(target);
      auto* r = f->add_roles();
      r->set_code(fn.roles(i).code());
      r->set_effective(effective);
      r->set_in_source(in);
      if (i % 3 != 0) r->set_out_source(out);
      r->set_target(target);
      r->set_counted(true);
      role_sum += effective;
    }
    const double score = role_sum / n;
    f->set_score(score);
    f->set_level(static_cast<int>(score + 0.5));
    f->set_target(target);
    f->set_gap(target - score);
    f->set_answered(n);
    f->set_total(n);
    sum += score;
    answered += n;
  }
  for (auto& answer : *a.mutable_answers()) {
    if (answer.role_code() == "A-1") answer.set_note("documented, approved by the CISO");
    if (answer.role_code() == "B-2") answer.set_note("24/7 monitoring by an MSSP; reviewed weekly");
    if (answer.role_code() == "C-3") answer.set_note("検体解析は外部ベンダーに依頼している");
  }
  s.mutable_overall()->set_score(sum / ex.catalogue.functions_size());
  s.mutable_overall()->set_level(static_cast<int>(s.overall().score() + 0.5));
  s.mutable_completeness()->set_answered(answered);
  s.mutable_completeness()->set_total(answered);
  for (const char* code : {"A", "D"}) s.add_strengths(code);
  for (const char* code : {"C", "E"}) s.add_weaknesses(code);
  return ex;
}

inline ReportInput InputFor(const Example& ex, Lang lang, std::string org = "ACME Corp") {
  return ReportInput{&ex.score, &ex.catalogue, &ex.assessment, std::move(org), lang};
}

inline apb::Answer* FindAnswer(apb::Assessment& a, const std::string& code) {
  for (auto& answer : *a.mutable_answers()) {
    if (answer.role_code() == code) return &answer;
  }
  return nullptr;
}

// Runs a shell command; its standard output, and its exit code in *status.
inline std::string Run(const std::string& command, int* status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *status = -1;
    return out;
  }
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  const int raw = pclose(pipe);
  *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return out;
}

inline void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

inline size_t Count(const std::string& haystack, const std::string& needle) {
  size_t count = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

}  // namespace socm::reporting::fixture
