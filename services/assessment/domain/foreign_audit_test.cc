#include "services/assessment/domain/foreign_audit.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <string>

namespace socm::assessment {
namespace {

using soc::maturity::catalogue::v1::CatalogueAuditRecord;

CatalogueAuditRecord Good() {
  CatalogueAuditRecord r;
  r.set_id("1700000000000000-a1b2c3d4");
  r.set_tenant_id("tn_a");
  r.set_time_micros(1700000000000000);
  r.set_actor("key_1");
  r.set_action("catalogue.publish");
  r.set_target("catalogues/mine/versions/1.0");
  r.set_after_json(R"({"id":"mine","version":"1.0"})");
  r.set_client_address("10.0.0.7");
  return r;
}

std::string Fields(const CatalogueAuditRecord& r) {
  std::string out;
  for (const auto& v : CheckCatalogueRecord(r)) out += v.field() + ";";
  return out;
}

TEST(ForeignAuditTest, AValidRecordBecomesATenantLevelEntryWithItsIdAndTime) {
  ASSERT_EQ(Fields(Good()), "");
  const ForeignEntry e = EntryOfCatalogueRecord(Good());
  EXPECT_EQ(e.tenant, "tn_a");
  EXPECT_EQ(e.entry.id(), "1700000000000000-a1b2c3d4");
  EXPECT_EQ(e.entry.organization_id(), "");
  EXPECT_EQ(e.entry.actor(), "key_1");
  EXPECT_EQ(e.entry.action(), "catalogue.publish");
  EXPECT_EQ(e.entry.target(), "catalogues/mine/versions/1.0");
  EXPECT_EQ(google::protobuf::util::TimeUtil::TimestampToMicroseconds(e.entry.time()),
            1700000000000000);
  EXPECT_EQ(e.entry.after_json(), R"({"id":"mine","version":"1.0"})");
  EXPECT_EQ(e.entry.client_address(), "10.0.0.7");
}

TEST(ForeignAuditTest, EachBadFieldIsNamed) {
  auto with = [](auto edit) {
    CatalogueAuditRecord r = Good();
    edit(r);
    return Fields(r);
  };
  EXPECT_EQ(with([](auto& r) { r.set_id(""); }), "id;");
  EXPECT_EQ(with([](auto& r) { r.set_id("abc-1234"); }), "id;");
  EXPECT_EQ(with([](auto& r) { r.set_id("1700-xyz!"); }), "id;");
  EXPECT_EQ(with([](auto& r) { r.set_id("1700-" + std::string(80, 'a')); }), "id;");
  EXPECT_EQ(with([](auto& r) { r.set_tenant_id(""); }), "tenantId;");
  // The catalogue service cannot write an assessment's or a key's entry.
  EXPECT_EQ(with([](auto& r) { r.set_action("assessment.approve"); }), "action;");
  EXPECT_EQ(with([](auto& r) { r.set_action("apikey.create"); }), "action;");
  EXPECT_EQ(with([](auto& r) { r.set_time_micros(0); }), "timeMicros;");
  EXPECT_EQ(with([](auto& r) { r.set_time_micros(99999999999999999); }), "timeMicros;");
  EXPECT_EQ(with([](auto& r) { r.set_after_json(std::string(16 * 1024 + 1, 'x')); }), "afterJson;");
  EXPECT_EQ(with([](auto& r) { r.set_actor(std::string(257, 'k')); }), "actor;");
  EXPECT_EQ(with([](auto& r) { r.set_target(std::string(513, 't')); }), "target;");
  EXPECT_EQ(with([](auto& r) { r.set_client_address(std::string(129, '1')); }), "clientAddress;");
}

}  // namespace
}  // namespace socm::assessment
