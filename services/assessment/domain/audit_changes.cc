#include "services/assessment/domain/audit_changes.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <map>
#include <set>
#include <string>

namespace socm::assessment {
namespace {

namespace pb = soc::maturity::assessment::v1;
using google::protobuf::FieldDescriptor;
using google::protobuf::util::MessageDifferencer;

std::string Json(const google::protobuf::Message& m) {
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(m, &out);
  return out;
}

// The assessment with only `field` set.
pb::Assessment Only(const pb::Assessment& a, const FieldDescriptor* field) {
  pb::Assessment out;
  const auto* reflection = out.GetReflection();
  pb::Assessment copy = a;
  reflection->SwapFields(&copy, &out, {field});
  return out;
}

}  // namespace

std::vector<pb::AuditChange> AssessmentChanges(const pb::Assessment& before,
                                               const pb::Assessment& after) {
  std::vector<pb::AuditChange> out;
  std::map<std::string, const pb::Answer*> old_answers;
  for (const auto& a : before.answers()) old_answers[a.role_code()] = &a;
  std::set<std::string> seen;
  for (const auto& a : after.answers()) {
    seen.insert(a.role_code());
    auto it = old_answers.find(a.role_code());
    if (it != old_answers.end() && MessageDifferencer::Equals(*it->second, a)) continue;
    pb::AuditChange change;
    change.set_field("answers." + a.role_code());
    if (it != old_answers.end()) change.set_before_json(Json(*it->second));
    change.set_after_json(Json(a));
    out.push_back(std::move(change));
  }
  for (const auto& [code, answer] : old_answers) {
    if (seen.count(code) > 0) continue;
    pb::AuditChange change;
    change.set_field("answers." + code);
    change.set_before_json(Json(*answer));
    out.push_back(std::move(change));
  }
  static const std::set<std::string> kSkipped = {"answers", "revision", "etag", "update_time"};
  const auto* descriptor = pb::Assessment::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (kSkipped.count(field->name()) > 0) continue;
    const pb::Assessment old_value = Only(before, field);
    const pb::Assessment new_value = Only(after, field);
    if (MessageDifferencer::Equals(old_value, new_value)) continue;
    pb::AuditChange change;
    change.set_field(field->json_name());
    change.set_before_json(Json(old_value));
    change.set_after_json(Json(new_value));
    out.push_back(std::move(change));
  }
  return out;
}

}  // namespace socm::assessment
