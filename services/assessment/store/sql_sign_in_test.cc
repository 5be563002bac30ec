// Login flows and sessions on both engines: a flow is taken once and not after it expires,
// also when two callbacks race for it; a session lasts while used within its idle limit and
// never past its absolute one; logout and ending a person's sessions end them; only hashes of
// the secrets are stored.
#include "services/assessment/store/sql_sign_in.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "services/assessment/store/store_test_fixture.h"
#include "services/common/crypto.h"

namespace socm::assessment {
namespace {

using SignInStoreTest = testing::StoreFixture;

constexpr int64_t kMinute = 60LL * 1000000;
constexpr int64_t kT0 = 1796083200LL * 1000000;

const std::string kState(43, 's');

LoginFlowRecord Flow(const std::string& tenant, int64_t expire) {
  return {tenant, "nonce-1", "verifier-1", "/ui/portfolio", expire};
}

TEST_P(SignInStoreTest, ALoginFlowIsTakenOnceAndNotAfterItExpires) {
  const std::string tenant = NewTenant("Acme");
  SqlSignInStore store(database());
  ASSERT_TRUE(store.SaveLoginFlow(kState, Flow(tenant, kT0 + 10 * kMinute)).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM login_flows WHERE state_sha256=$1", {kState}), 0)
      << "the state itself must not be stored";

  auto taken = store.TakeLoginFlow(kState, kT0 + kMinute);
  ASSERT_TRUE(taken.ok()) << taken.status();
  EXPECT_EQ(taken->tenant, tenant);
  EXPECT_EQ(taken->nonce, "nonce-1");
  EXPECT_EQ(taken->code_verifier, "verifier-1");
  EXPECT_EQ(taken->return_to, "/ui/portfolio");
  EXPECT_EQ(store.TakeLoginFlow(kState, kT0 + kMinute).status().code(), absl::StatusCode::kNotFound)
      << "a replayed state must find nothing";

  const std::string late(43, 'l');
  ASSERT_TRUE(store.SaveLoginFlow(late, Flow(tenant, kT0 + 10 * kMinute)).ok());
  EXPECT_EQ(store.TakeLoginFlow(late, kT0 + 10 * kMinute).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM login_flows"), 0) << "an expired flow is taken too";

  EXPECT_FALSE(store.SaveLoginFlow("short", Flow(tenant, kT0)).ok());
  EXPECT_FALSE(store.SaveLoginFlow(kState, Flow("", kT0)).ok());
}

TEST_P(SignInStoreTest, TwoCallbacksRacingForOneStateFindItOnceBetweenThem) {
  const std::string tenant = NewTenant("Acme");
  SqlSignInStore store(database());
  for (int round = 0; round < 10; ++round) {
    const std::string state = std::string(40, 'r') + std::to_string(round);
    ASSERT_TRUE(store.SaveLoginFlow(state, Flow(tenant, kT0 + kMinute)).ok());
    std::atomic<int> found{0};
    std::vector<std::thread> callbacks;
    for (int i = 0; i < 4; ++i) {
      callbacks.emplace_back([&] {
        if (store.TakeLoginFlow(state, kT0).ok()) ++found;
      });
    }
    for (std::thread& t : callbacks) t.join();
    EXPECT_EQ(found.load(), 1) << "round " << round;
  }
}

TEST_P(SignInStoreTest, ASessionLivesWhileUsedAndEndsAtEitherLimitOrLogout) {
  const std::string tenant = NewTenant("Acme");
  SqlSignInStore store(database());
  const SessionLimits limits;  // 30 minutes idle, 12 hours in all
  auto made = store.CreateSession(tenant, "person-1", kT0, limits);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->token.size(), 64u);
  EXPECT_NE(made->token, made->csrf_token);
  EXPECT_EQ(made->record.csrf_sha256, Sha256Hex(made->csrf_token));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions WHERE token_sha256=$1", {made->token}), 0)
      << "the token itself must not be stored";

  // Used every 20 minutes, it lives until the absolute limit.
  int64_t now = kT0;
  for (int i = 0; i < 35; ++i) {
    now += 20 * kMinute;
    auto seen = store.TouchSession(made->token, now, limits);
    ASSERT_TRUE(seen.ok()) << "after " << (now - kT0) / kMinute << " min: " << seen.status();
    EXPECT_EQ(seen->person_id, "person-1");
    EXPECT_EQ(seen->tenant, tenant);
  }
  now += 20 * kMinute;  // 12 h 0 min
  EXPECT_EQ(store.TouchSession(made->token, now, limits).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 0) << "an expired session is deleted";

  // Idle for 30 minutes: gone.
  auto idle = store.CreateSession(tenant, "person-1", kT0, limits);
  ASSERT_TRUE(idle.ok());
  EXPECT_TRUE(store.TouchSession(idle->token, kT0 + 29 * kMinute, limits).ok());
  EXPECT_FALSE(store.TouchSession(idle->token, kT0 + 59 * kMinute, limits).ok());

  // Logout ends it; a second logout finds nothing; unknown or malformed tokens find nothing.
  auto out = store.CreateSession(tenant, "person-1", kT0, limits);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(store.EndSession(out->token).ok());
  EXPECT_EQ(store.EndSession(out->token).code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(store.TouchSession(out->token, kT0 + kMinute, limits).ok());
  EXPECT_FALSE(store.TouchSession(RandomHex(32), kT0, limits).ok());
  EXPECT_FALSE(store.TouchSession("", kT0, limits).ok());
}

TEST_P(SignInStoreTest, EndingAPersonsSessionsLeavesOthersAndPurgingTakesOnlyTheExpired) {
  const std::string acme = NewTenant("Acme");
  const std::string globex = NewTenant("Globex");
  SqlSignInStore store(database());
  const SessionLimits limits;
  auto a1 = store.CreateSession(acme, "person-1", kT0, limits);
  auto a2 = store.CreateSession(acme, "person-1", kT0, limits);
  auto b = store.CreateSession(acme, "person-2", kT0, limits);
  auto g = store.CreateSession(globex, "person-1", kT0, limits);
  ASSERT_TRUE(a1.ok() && a2.ok() && b.ok() && g.ok());
  auto ended = store.EndSessionsOf(acme, "person-1");
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(*ended, 2);
  EXPECT_FALSE(store.TouchSession(a1->token, kT0, limits).ok());
  EXPECT_TRUE(store.TouchSession(b->token, kT0, limits).ok());
  EXPECT_TRUE(store.TouchSession(g->token, kT0, limits).ok())
      << "another tenant's person of the same id keeps theirs";

  ASSERT_TRUE(store.SaveLoginFlow(kState, Flow(acme, kT0 + kMinute)).ok());
  auto fresh = store.CreateSession(acme, "person-3", kT0 + 40 * kMinute, limits);
  ASSERT_TRUE(fresh.ok());
  auto purged = store.PurgeExpired(kT0 + 45 * kMinute, limits);
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(*purged, 3) << "the flow and the two sessions idle since T0";
  EXPECT_TRUE(store.TouchSession(fresh->token, kT0 + 45 * kMinute, limits).ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, SignInStoreTest,
                         ::testing::Values(testing::Engine::kSqlite, testing::Engine::kPostgres),
                         testing::EngineName);

}  // namespace
}  // namespace socm::assessment
