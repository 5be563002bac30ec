#include "gateway/operator_sessions.h"

#include <gtest/gtest.h>

#include "services/common/crypto.h"

namespace socm::gateway {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
const OperatorSessions::Clock::time_point kStart{hours(1000)};

TEST(OperatorSessionsTest, ACodeStartsOneSessionOnce) {
  OperatorSessions sessions;
  const std::string code = sessions.MintCode(kStart);
  auto started = sessions.Redeem(code, kStart + minutes(5));
  ASSERT_TRUE(started.has_value());
  EXPECT_TRUE(OperatorSessions::IsOperatorSession(started->session_token));
  EXPECT_NE(started->session_token, started->csrf_token);
  EXPECT_EQ(started->lifetime, OperatorSessions::kAbsolute);
  EXPECT_EQ(sessions.Touch(started->session_token, kStart + minutes(6)),
            Sha256Hex(started->csrf_token));
  // Spent: the same code again, or another made-up one, starts nothing.
  EXPECT_FALSE(sessions.Redeem(code, kStart + minutes(7)).has_value());
  EXPECT_FALSE(sessions.Redeem("opc_" + std::string(64, '0'), kStart).has_value());
  EXPECT_FALSE(sessions.Redeem("", kStart).has_value());
  // The session's token is not a code, nor a code a session.
  EXPECT_FALSE(sessions.Redeem(started->session_token, kStart).has_value());
  EXPECT_FALSE(sessions.Touch(code, kStart).has_value());
}

TEST(OperatorSessionsTest, ACodeWorksForItsLifetimeAndNoLonger) {
  OperatorSessions sessions;
  const std::string late = sessions.MintCode(kStart);
  EXPECT_TRUE(
      sessions.Redeem(late, kStart + OperatorSessions::kCodeLifetime - std::chrono::seconds(1))
          .has_value());
  const std::string expired = sessions.MintCode(kStart);
  EXPECT_FALSE(sessions.Redeem(expired, kStart + OperatorSessions::kCodeLifetime).has_value());
}

TEST(OperatorSessionsTest, SessionsEndIdleAfterTwelveHoursOrAtLogout) {
  OperatorSessions sessions;
  auto idle = sessions.Redeem(sessions.MintCode(kStart), kStart);
  ASSERT_TRUE(idle.has_value());
  EXPECT_FALSE(sessions.Touch(idle->session_token, kStart + minutes(30)).has_value());

  auto busy = sessions.Redeem(sessions.MintCode(kStart), kStart);
  ASSERT_TRUE(busy.has_value());
  auto now = kStart;
  for (int i = 0; i < 47; ++i) {  // used every 15 minutes, for 11 h 45 min
    now += minutes(15);
    ASSERT_TRUE(sessions.Touch(busy->session_token, now).has_value()) << i;
  }
  EXPECT_FALSE(sessions.Touch(busy->session_token, now + minutes(15)).has_value());

  auto ended = sessions.Redeem(sessions.MintCode(kStart), kStart);
  ASSERT_TRUE(ended.has_value());
  EXPECT_TRUE(sessions.End(ended->session_token));
  EXPECT_FALSE(sessions.End(ended->session_token));
  EXPECT_FALSE(sessions.Touch(ended->session_token, kStart).has_value());
  // A person's token is not the operator's to end.
  EXPECT_FALSE(sessions.End("a-persons-session-token"));
}

TEST(OperatorSessionsTest, MemoryIsBounded) {
  OperatorSessions sessions;
  std::vector<std::string> codes;
  for (size_t i = 0; i < OperatorSessions::kMaxCodes + 4; ++i) {
    codes.push_back(sessions.MintCode(kStart + minutes(static_cast<int>(i))));
  }
  // The oldest codes went first.
  EXPECT_FALSE(sessions.Redeem(codes.front(), kStart + hours(1)).has_value());
  EXPECT_TRUE(sessions.Redeem(codes.back(), kStart + hours(1)).has_value());

  // Sessions: the least recently used go first.
  OperatorSessions full;
  std::vector<OperatorSessions::Started> started;
  auto now = kStart;
  for (size_t i = 0; i < OperatorSessions::kMaxSessions; ++i) {
    now += std::chrono::seconds(1);
    auto s = full.Redeem(full.MintCode(now), now);
    ASSERT_TRUE(s.has_value());
    started.push_back(*s);
  }
  now += std::chrono::seconds(1);
  ASSERT_TRUE(full.Touch(started[0].session_token, now).has_value());  // the oldest, used again
  now += std::chrono::seconds(1);
  ASSERT_TRUE(full.Redeem(full.MintCode(now), now).has_value());  // one more than the bound
  EXPECT_TRUE(full.Touch(started[0].session_token, now).has_value());
  EXPECT_FALSE(full.Touch(started[1].session_token, now).has_value()) << "the least recently used";
  size_t live = 0;
  for (const auto& s : started) live += full.End(s.session_token) ? 1 : 0;
  EXPECT_EQ(live, OperatorSessions::kMaxSessions - 1);
}

}  // namespace
}  // namespace socm::gateway
