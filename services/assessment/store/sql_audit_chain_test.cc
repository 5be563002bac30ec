// The audit chain on both engines: sealing after the fact, a row edited in the database named
// by the check, recomputed links caught by the signed seal, removal, tenants apart, sealers on
// two replicas racing with writers, and the export in chain order.
#include "services/assessment/store/sql_audit_chain.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/assessment/store/store_test_fixture.h"

namespace socm::assessment {
namespace {

using testing::Engine;

class AuditChainStoreTest : public testing::StoreFixture {
 protected:
  // A tenant (its creation is its first entry) with an organisation, two assessments and the
  // organisation's labels changed three times: seven entries.
  std::string TenantWithHistory(const std::string& name) {
    const std::string tenant = NewTenant(name);
    const pb::Organization org = NewOrg(tenant, name + " SOC");
    NewAssessment(tenant, org.id());
    NewAssessment(tenant, org.id());
    for (const char* label : {"a", "b", "c"}) {
      auto updated = store_->UpdateOrganization(
          As(tenant), org.id(),
          [&](pb::Organization& o) {
            (*o.mutable_labels())["step"] = label;
            return absl::OkStatus();
          },
          W());
      EXPECT_TRUE(updated.ok()) << updated.status();
    }
    return tenant;
  }

  void Exec(const std::string& sql, const std::vector<db::Value>& params) {
    const absl::Status s = database().Run(
        [&](db::Connection& c) -> absl::Status { return c.Exec(sql, params).status(); });
    ASSERT_TRUE(s.ok()) << s;
  }

  AuditSigner signer_{std::string(32, 'k')};
};

TEST_P(AuditChainStoreTest, EntriesAreSealedAfterTheFactAndVerify) {
  const std::string tenant = TenantWithHistory("Acme");
  const int64_t entries = Count("SELECT COUNT(*) FROM audit_log WHERE tenant_id=$1", {tenant});
  ASSERT_EQ(entries, 7);
  // Written unsealed: the writers never touched the chain.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE chain_seq IS NULL", {}), entries);
  SqlAuditChain chain(database(), signer_);
  auto sealed = chain.SealPending(W().now_micros);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(*sealed, entries);
  EXPECT_EQ(*chain.SealPending(W().now_micros), 0);

  auto verified = chain.Verify(As(tenant), W().now_micros);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->intact()) << verified->first_break().reason();
  EXPECT_EQ(verified->entries_checked(), entries);
  EXPECT_EQ(verified->seals_checked(), 1);
  EXPECT_EQ(verified->head().sequence(), entries);
  EXPECT_EQ(verified->head().key_id(), signer_.key_id());
  EXPECT_TRUE(verified->seals_signed());
  EXPECT_EQ(verified->unsealed(), 0);

  // More writes are sealed by the check itself.
  NewOrg(tenant, "Later");
  verified = chain.Verify(As(tenant), W().now_micros);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->intact());
  EXPECT_EQ(verified->entries_checked(), entries + 1);
  EXPECT_EQ(verified->seals_checked(), 2);
}

// Another service's entries (the catalogue's publications) are stored once however often they
// arrive, listed in their tenant's log only, and sealed into its chain like its own.
TEST_P(AuditChainStoreTest, AnotherServicesEntriesAreStoredOnceAndSealedInTheirTenantsChain) {
  const std::string tenant = TenantWithHistory("Acme");
  const std::string other = TenantWithHistory("Other");
  soc::maturity::catalogue::v1::CatalogueAuditRecord record;
  record.set_id(absl::StrCat(W().now_micros, "-0a0b0c0d"));
  record.set_tenant_id(tenant);
  record.set_time_micros(W().now_micros);
  record.set_actor("key_pub");
  record.set_action("catalogue.publish");
  record.set_target("catalogues/mine/versions/1.0");
  record.set_client_address("10.1.2.3");
  ASSERT_TRUE(CheckCatalogueRecord(record).empty());
  SqlAuditChain chain(database(), signer_);
  auto added = chain.AdmitForeign({EntryOfCatalogueRecord(record)});
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(*added, 1);
  // Taken again after a lost acknowledgement: nothing more.
  added = chain.AdmitForeign({EntryOfCatalogueRecord(record), EntryOfCatalogueRecord(record)});
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(*added, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE tenant_id=$1", {tenant}), 8);

  auto log = store_->ListTenantAuditLog(As(tenant), "", {0, 100});
  ASSERT_TRUE(log.ok()) << log.status();
  int published = 0;
  for (const auto& e : log->items) {
    if (e.action() != "catalogue.publish") continue;
    ++published;
    EXPECT_EQ(e.actor(), "key_pub");
    EXPECT_EQ(e.client_address(), "10.1.2.3");
    EXPECT_EQ(e.target(), "catalogues/mine/versions/1.0");
  }
  EXPECT_EQ(published, 1);
  auto theirs = store_->ListTenantAuditLog(As(other), "", {0, 100});
  ASSERT_TRUE(theirs.ok());
  for (const auto& e : theirs->items) EXPECT_NE(e.action(), "catalogue.publish");

  auto verified = chain.Verify(As(tenant), W().now_micros);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->intact()) << verified->first_break().reason();
  EXPECT_EQ(verified->entries_checked(), 8);
}

// Old seals are thinned to the newest of each hour; the last day's stay whole. The chain still
// verifies, the sealer goes on from the newest seal, and an edit is still found.
TEST_P(AuditChainStoreTest, OldSealsAreThinnedToOneAnHourAndTheChainStillVerifies) {
  const std::string tenant = TenantWithHistory("Acme");
  const int64_t hour = 3600LL * 1000000;
  const int64_t now = W().now_micros;
  const int64_t old_hour = (now / hour - 48) * hour;
  SqlAuditChain chain(database(), signer_);
  // One entry a pass: three seals in one old hour, two in the next, two just now.
  for (int64_t at :
       {old_hour + 60000000, old_hour + 600000000, old_hour + 1200000000,
        old_hour + hour + 60000000, old_hour + hour + 120000000, now - 2000000, now - 1000000}) {
    auto sealed = chain.SealPending(at, 1);
    ASSERT_TRUE(sealed.ok()) << sealed.status();
    ASSERT_EQ(*sealed, 1);
  }
  ASSERT_EQ(Count("SELECT COUNT(*) FROM audit_seals WHERE tenant_id=$1", {tenant}), 7);
  auto thinned = chain.ThinSeals(now);
  ASSERT_TRUE(thinned.ok()) << thinned.status();
  EXPECT_EQ(*thinned, 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_seals WHERE tenant_id=$1", {tenant}), 4);
  // The newest of each hour stayed.
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM audit_seals WHERE tenant_id=$1 AND sequence IN (3, 5, 6, 7)",
            {tenant}),
      4);
  EXPECT_EQ(*chain.ThinSeals(now), 0) << "nothing more to thin";

  auto verified = chain.Verify(As(tenant), now);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->intact()) << verified->first_break().reason();
  EXPECT_EQ(verified->entries_checked(), 7);
  EXPECT_EQ(verified->seals_checked(), 4);
  NewOrg(tenant, "Later");
  ASSERT_TRUE(chain.SealPending(now + 1000000).ok());
  verified = chain.Verify(As(tenant), now + 2000000);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->intact()) << verified->first_break().reason();
  EXPECT_EQ(verified->entries_checked(), 8);

  // An entry edited between two thinned-out seals is still named.
  Exec(
      "UPDATE audit_log SET doc = REPLACE(doc, 'Acme', 'Acne') WHERE tenant_id=$1 AND "
      "chain_seq=2",
      {tenant});
  verified = chain.Verify(As(tenant), now + 3000000);
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->intact());
  EXPECT_EQ(verified->first_break().sequence(), 2);
}

TEST_P(AuditChainStoreTest, ARowEditedInTheDatabaseIsNamed) {
  const std::string tenant = TenantWithHistory("Acme");
  const std::string other = TenantWithHistory("Other");
  SqlAuditChain chain(database(), signer_);
  ASSERT_TRUE(chain.SealPending(W().now_micros).ok());
  std::string id;
  ASSERT_TRUE(database()
                  .Run([&](db::Connection& c) -> absl::Status {
                    auto rows = c.Query(
                        "SELECT id FROM audit_log WHERE tenant_id=$1 AND chain_seq=4", {tenant});
                    if (!rows.ok()) return rows.status();
                    id = (*rows)[0].Text(0);
                    return absl::OkStatus();
                  })
                  .ok());
  // Someone with the database rewrites who did it.
  Exec(
      "UPDATE audit_log SET doc = REPLACE(doc, 'key_test', 'key_other') WHERE tenant_id=$1 "
      "AND chain_seq=4",
      {tenant});
  auto verified = chain.Verify(As(tenant), W().now_micros);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_FALSE(verified->intact());
  EXPECT_EQ(verified->first_break().sequence(), 4);
  EXPECT_EQ(verified->first_break().entry_id(), id);
  EXPECT_EQ(verified->entries_checked(), 3);
  // The other tenant's chain is its own.
  EXPECT_TRUE(chain.Verify(As(other), W().now_micros)->intact());
}

TEST_P(AuditChainStoreTest, RecomputedLinksAndRemovedRowsAreCaught) {
  const std::string tenant = TenantWithHistory("Acme");
  SqlAuditChain chain(database(), signer_);
  ASSERT_TRUE(chain.SealPending(W().now_micros).ok());
  NewOrg(tenant, "Second batch");
  ASSERT_TRUE(chain.SealPending(W().now_micros).ok());  // seals at 7 and 8

  // Edit entry 3 (an assessment's creation) and recompute every link after it, as someone who read
  // this code would.
  Exec(
      "UPDATE audit_log SET doc = REPLACE(doc, 'FY2026', 'FY2099') WHERE tenant_id=$1 AND "
      "chain_seq=3",
      {tenant});
  ASSERT_TRUE(database()
                  .Run([&](db::Connection& c) -> absl::Status {
                    auto rows = c.Query(
                        "SELECT chain_seq, id, organization_id, time, doc, chain_link FROM "
                        "audit_log WHERE tenant_id=$1 ORDER BY chain_seq",
                        {tenant});
                    if (!rows.ok()) return rows.status();
                    std::string previous;
                    for (const db::Row& row : *rows) {
                      ChainedEntry e{row.Int(0), row.Text(1), row.Text(2),
                                     row.Int(3), row.Text(4), ""};
                      const std::string link = ChainLink(tenant, previous, e);
                      SOCM_STATUS_RETURN(c.Exec("UPDATE audit_log SET chain_link=$1 WHERE "
                                                "tenant_id=$2 AND id=$3",
                                                {link, tenant, e.id})
                                             .status());
                      previous = link;
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  auto verified = chain.Verify(As(tenant), W().now_micros);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_FALSE(verified->intact());
  EXPECT_EQ(verified->first_break().sequence(), 7);
  EXPECT_NE(verified->first_break().reason().find("some of entries 1 to 7"), std::string::npos)
      << verified->first_break().reason();

  // A fresh tenant whose newest entry is removed: the seal that covered it says so.
  const std::string second = TenantWithHistory("Second");
  ASSERT_TRUE(chain.SealPending(W().now_micros).ok());
  Exec("DELETE FROM audit_log WHERE tenant_id=$1 AND chain_seq=7", {second});
  verified = chain.Verify(As(second), W().now_micros);
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->intact());
  EXPECT_EQ(verified->first_break().sequence(), 7);
  EXPECT_NE(verified->first_break().reason().find("missing"), std::string::npos);
}

// The whole forgery with the database alone: an edit, every link after it recomputed, the
// seals that would catch it deleted and the head moved to the forged link. The check finds
// entries no seal covers, and the sealer refuses to sign the forged head; other tenants are
// still sealed.
TEST_P(AuditChainStoreTest, AForgedHeadIsNeverSignedAndUncoveredEntriesAreABreak) {
  const std::string tenant = TenantWithHistory("Forger");
  SqlAuditChain chain(database(), signer_);
  ASSERT_TRUE(chain.SealPending(W().now_micros).ok());
  NewOrg(tenant, "Second batch");
  ASSERT_TRUE(chain.SealPending(W().now_micros).ok());  // seals at 7 and 8
  Exec(
      "UPDATE audit_log SET doc = REPLACE(doc, 'FY2026', 'FY2099') WHERE tenant_id=$1 AND "
      "chain_seq=3",
      {tenant});
  ASSERT_TRUE(
      database()
          .Run([&](db::Connection& c) -> absl::Status {
            auto rows = c.Query(
                "SELECT chain_seq, id, organization_id, time, doc FROM audit_log WHERE "
                "tenant_id=$1 ORDER BY chain_seq",
                {tenant});
            if (!rows.ok()) return rows.status();
            std::string previous;
            for (const db::Row& row : *rows) {
              ChainedEntry e{row.Int(0), row.Text(1), row.Text(2), row.Int(3), row.Text(4), ""};
              previous = ChainLink(tenant, previous, e);
              SOCM_STATUS_RETURN(c.Exec("UPDATE audit_log SET chain_link=$1 WHERE "
                                        "tenant_id=$2 AND id=$3",
                                        {previous, tenant, e.id})
                                     .status());
            }
            SOCM_STATUS_RETURN(c.Exec("DELETE FROM audit_seals WHERE tenant_id=$1 AND "
                                      "sequence >= 3",
                                      {tenant})
                                   .status());
            return c
                .Exec("UPDATE audit_chain_heads SET link=$1 WHERE tenant_id=$2", {previous, tenant})
                .status();
          })
          .ok());
  NewOrg(tenant, "After the forgery");
  const std::string other = TenantWithHistory("Honest");
  auto sealed = chain.SealPending(W().now_micros);
  EXPECT_EQ(sealed.status().code(), absl::StatusCode::kFailedPrecondition) << sealed.status();
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM audit_log WHERE tenant_id=$1 AND chain_seq IS NULL", {tenant}),
      1);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM audit_log WHERE tenant_id=$1 AND chain_seq IS NULL", {other}), 0);
  auto verified = chain.Verify(As(tenant), W().now_micros);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_FALSE(verified->intact());
  EXPECT_EQ(verified->first_break().sequence(), 1);
  EXPECT_NE(verified->first_break().reason().find("covered by no seal"), std::string::npos)
      << verified->first_break().reason();
  EXPECT_EQ(verified->unsealed(), 1);
  EXPECT_TRUE(chain.Verify(As(other), W().now_micros)->intact());
}

TEST_P(AuditChainStoreTest, SealersOnTwoReplicasRaceWithWritersAndTheChainHasNoGap) {
  const std::string tenant = NewTenant("Busy");
  const pb::Organization org = NewOrg(tenant, "Busy SOC");
  SqlAuditChain a(database(), signer_), b(database(), signer_);
  std::atomic<bool> stop{false};
  std::atomic<int64_t> clock{clock_ + 1000};
  auto seal = [&](SqlAuditChain& chain) {
    while (!stop) {
      auto sealed = chain.SealPending(clock++, 7);
      EXPECT_TRUE(sealed.ok()) << sealed.status();
    }
  };
  std::thread sealer_a(seal, std::ref(a)), sealer_b(seal, std::ref(b));
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 15; ++i) {
        WriteOptions write;
        write.now_micros = clock++;
        auto updated = store_->UpdateOrganization(
            As(tenant), org.id(),
            [&](pb::Organization& o) {
              (*o.mutable_labels())[absl::StrCat("w", w)] = absl::StrCat(i);
              return absl::OkStatus();
            },
            write);
        EXPECT_TRUE(updated.ok()) << updated.status();
      }
    });
  }
  for (auto& t : writers) t.join();
  stop = true;
  sealer_a.join();
  sealer_b.join();
  auto verified = a.Verify(As(tenant), clock++);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->intact()) << verified->first_break().reason();
  // The tenant's and the organisation's creation and 45 updates.
  EXPECT_EQ(verified->entries_checked(), 47);
  EXPECT_EQ(Count("SELECT MAX(chain_seq) FROM audit_log WHERE tenant_id=$1", {tenant}), 47);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT chain_seq) FROM audit_log WHERE tenant_id=$1", {tenant}),
            47);
}

TEST_P(AuditChainStoreTest, TheExportIsTheChainInOrderPartByPart) {
  const std::string tenant = TenantWithHistory("Acme");
  SqlAuditChain chain(database(), signer_);
  auto first = chain.Export(As(tenant), 0, 4, W().now_micros);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->more);
  EXPECT_EQ(first->last_sequence, 4);
  auto rest = chain.Export(As(tenant), first->last_sequence, 4, W().now_micros);
  ASSERT_TRUE(rest.ok());
  EXPECT_FALSE(rest->more);
  EXPECT_EQ(rest->last_sequence, 7);
  std::istringstream lines(first->jsonl + rest->jsonl);
  std::string line;
  int64_t expected = 1;
  std::string previous;
  while (std::getline(lines, line)) {
    const nlohmann::json entry = nlohmann::json::parse(line);
    EXPECT_EQ(entry["sequence"], std::to_string(expected));  // int64 is a string in JSON
    EXPECT_TRUE(entry.contains("chainLink"));
    EXPECT_TRUE(entry.contains("action"));
    EXPECT_NE(entry["chainLink"], previous);
    previous = entry["chainLink"];
    ++expected;
  }
  EXPECT_EQ(expected, 8);
  auto empty = chain.Export(As(tenant), 7, 4, W().now_micros);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->jsonl, "");
  EXPECT_EQ(empty->last_sequence, 7);
}

TEST_P(AuditChainStoreTest, APinnedKeySeesNoChain) {
  const std::string tenant = TenantWithHistory("Acme");
  SqlAuditChain chain(database(), signer_);
  Caller pinned = As(tenant);
  pinned.organizations = {"org_x"};
  EXPECT_EQ(chain.Verify(pinned, W().now_micros).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(chain.Export(pinned, 0, 10, W().now_micros).status().code(),
            absl::StatusCode::kPermissionDenied);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditChainStoreTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         testing::EngineName);

}  // namespace
}  // namespace socm::assessment
