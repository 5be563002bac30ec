// libFuzzer target: the answer rules (services/assessment/domain/
// assessment_rules.cc ApplyAnswers) against the role index of the shipped
// ISOG-J catalogue, on a BatchUpdateAnswersRequest parsed from JSON like the
// gateway does. Checks the promises of assessment_rules.h: all or nothing (on
// error the assessment is byte-for-byte unchanged); on success every stored
// answer names a catalogue role once, levels are 0..5, notes valid UTF-8 of at
// most 4000 bytes, answers in code order, and applying the same batch again
// changes nothing.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "services/assessment/domain/assessment_rules.h"
#include "services/common/crypto.h"

#ifndef SOCM_CATALOGUE_JSON
#error "SOCM_CATALOGUE_JSON must name the shipped ISOG-J catalogue"
#endif

namespace {

namespace pb = soc::maturity::assessment::v1;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
  }
}

const socm::assessment::RoleIndex& Roles() {
  static const socm::assessment::RoleIndex* index = [] {
    std::ifstream in(SOCM_CATALOGUE_JSON);
    std::stringstream text;
    text << in.rdbuf();
    soc::maturity::catalogue::v1::Catalogue catalogue;
    if (!google::protobuf::util::JsonStringToMessage(text.str(), &catalogue).ok()) {
      std::fprintf(stderr, "cannot read %s\n", SOCM_CATALOGUE_JSON);
      std::abort();
    }
    return new socm::assessment::RoleIndex(socm::assessment::IndexRoles(catalogue));
  }();
  return *index;
}

// A DRAFT assessment that already has a few answers, as a store would hold it.
pb::Assessment Existing() {
  pb::Assessment a;
  a.set_id("as_fuzz");
  a.set_catalogue_id("isogj-soc-csirt");
  a.set_catalogue_version("2.1");
  a.set_status(pb::DRAFT);
  for (const char* code : {"A-1", "C-3", "I-5"}) {
    pb::Answer* answer = a.add_answers();
    answer->set_role_code(code);
    answer->set_in_source(3);
    answer->set_note("kept");
  }
  return a;
}

bool Equal(const pb::Assessment& x, const pb::Assessment& y) {
  return google::protobuf::util::MessageDifferencer::Equals(x, y);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)socm::assessment::IsDate(text);
  pb::BatchUpdateAnswersRequest request;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  if (!google::protobuf::util::JsonStringToMessage(text, &request, options).ok()) return 0;

  const pb::Assessment before = Existing();
  pb::Assessment after = before;
  const absl::Status status =
      socm::assessment::ApplyAnswers(after, request.answers(), Roles(), "answers");
  if (!status.ok()) {
    Check(status.code() == absl::StatusCode::kInvalidArgument, "a refusal that is not 400");
    Check(Equal(before, after), "a refused batch changed the assessment");
    Check(!socm::ViolationsOf(status).empty(), "a refusal without a field");
    return 0;
  }
  std::set<std::string> seen;
  std::string previous;
  for (const pb::Answer& a : after.answers()) {
    Check(Roles().roles.count(a.role_code()) == 1, "an answer for a role not in the catalogue");
    Check(seen.insert(a.role_code()).second, "a role answered twice");
    Check(previous.empty() || previous < a.role_code(), "answers out of code order");
    previous = a.role_code();
    Check(!a.has_in_source() || (a.in_source() >= 0 && a.in_source() <= 5), "inSource not 0..5");
    Check(!a.has_out_source() || (a.out_source() >= 0 && a.out_source() <= 5),
          "outSource not 0..5");
    Check(!a.has_target() || (a.target() >= 0 && a.target() <= 5), "target not 0..5");
    Check(a.note().size() <= socm::assessment::kMaxNote, "a note over the limit");
    Check(socm::IsValidUtf8(a.note()), "a note that is not UTF-8");
  }
  // Idempotent: the same batch again changes nothing.
  pb::Assessment twice = after;
  Check(socm::assessment::ApplyAnswers(twice, request.answers(), Roles(), "answers").ok(),
        "a batch accepted once is refused the second time");
  Check(Equal(after, twice), "applying a batch twice differs from once");
  return 0;
}
