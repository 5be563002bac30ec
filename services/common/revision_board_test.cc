#include "services/common/revision_board.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <prometheus/registry.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

namespace socm {
namespace {

std::string TestRedis() {
  const char* addr = std::getenv("SOCM_TEST_REDIS_ADDR");
  return addr == nullptr ? "" : addr;
}

const std::string kSuiteKey(40, 'k');

class RevisionBoardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (TestRedis().empty()) GTEST_SKIP() << "SOCM_TEST_REDIS_ADDR not set (tests/run.sh sets it)";
  }
  RedisOptions Options(const std::string& key = kSuiteKey) {
    RedisOptions o{TestRedis()};
    o.signing_key = key;
    return o;
  }
  // One assessment id per test and process, so runs never meet.
  std::string Fresh() {
    static int n = 0;
    return "a_" + std::to_string(::getpid()) + "_" + std::to_string(++n);
  }
  // The key's time to live in ms, as Redis reports it (-2 absent, -1 none).
  long long Pttl(const std::string& key) {
    const size_t colon = TestRedis().rfind(':');
    redisContext* c = redisConnect(TestRedis().substr(0, colon).c_str(),
                                   std::stoi(TestRedis().substr(colon + 1)));
    auto* r = static_cast<redisReply*>(redisCommand(c, "PTTL %s", key.c_str()));
    const long long out = r->integer;
    freeReplyObject(r);
    redisFree(c);
    return out;
  }
  prometheus::Registry registry_;
};

TEST_F(RevisionBoardTest, AWriteHoldsThenPublishesItsRevision) {
  RedisCache redis(Options(), registry_, "board");
  RevisionBoard board(redis);
  const std::string id = Fresh();
  EXPECT_FALSE(board.Current("tn_1", id));
  ASSERT_TRUE(board.Hold("tn_1", id).ok());
  EXPECT_FALSE(board.Current("tn_1", id)) << "nothing is vouched for while a write holds";
  board.Publish("tn_1", "org_1", id, 2);
  auto entry = board.Current("tn_1", id);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->revision, 2);
  EXPECT_EQ(entry->org, "org_1");
  // Another tenant's assessment of the same id is another entry.
  EXPECT_FALSE(board.Current("tn_2", id));
  // The next write removes the entry before its transaction, and raises it after.
  ASSERT_TRUE(board.Hold("tn_1", id).ok());
  EXPECT_FALSE(board.Current("tn_1", id));
  board.Publish("tn_1", "org_1", id, 3);
  EXPECT_EQ(board.Current("tn_1", id)->revision, 3);
}

TEST_F(RevisionBoardTest, ARevisionIsOnlyEverRaised) {
  RedisCache redis(Options(), registry_, "board");
  RevisionBoard board(redis);
  const std::string id = Fresh();
  ASSERT_TRUE(board.Hold("tn_1", id).ok());
  ASSERT_TRUE(board.Hold("tn_1", id).ok());
  // The later writer publishes first; the earlier one's publish must not lower it.
  board.Publish("tn_1", "org_1", id, 12);
  board.Publish("tn_1", "org_1", id, 11);
  EXPECT_EQ(board.Current("tn_1", id)->revision, 12);
}

TEST_F(RevisionBoardTest, AnEntryPublishedBesideAnotherWritersHoldDiesWithThatHold) {
  RedisCache redis(Options(), registry_, "board");
  RevisionBoard board(redis);
  const std::string id = Fresh();
  ASSERT_TRUE(board.Hold("tn_1", id).ok());
  ASSERT_TRUE(board.Hold("tn_1", id).ok());
  board.Publish("tn_1", "org_1", id, 5);
  // The second writer has not published (it may have died after its commit): no reader may
  // trust revision 5 now, nor once the hold expires.
  EXPECT_FALSE(board.Current("tn_1", id));
  const std::string tag = "{t:tn_1:assessment:" + id + "}";
  const long long hold = Pttl(tag + ":hold");
  const long long entry = Pttl(tag + ":rev");
  ASSERT_GT(hold, 0);
  EXPECT_GT(entry, 0);
  EXPECT_LE(entry, hold);
  // A write that did not commit lets go: the entry it found is still trusted no more than
  // before (it was removed at the hold), and offers are taken again.
  board.Release("tn_1", id);
  EXPECT_EQ(Pttl(tag + ":hold"), -2);
}

TEST_F(RevisionBoardTest, OffersFillOnlyAnEmptyBoardWithNoWriteInProgress) {
  RedisCache redis(Options(), registry_, "board");
  RevisionBoard board(redis);
  const std::string id = Fresh();
  ASSERT_TRUE(board.Hold("tn_1", id).ok());
  board.Offer("tn_1", "org_1", id, 1);  // read before the write commits: refused
  EXPECT_FALSE(board.Current("tn_1", id));
  board.Publish("tn_1", "org_1", id, 2);
  board.Offer("tn_1", "org_1", id, 1);  // a late offer of an older read: refused
  EXPECT_EQ(board.Current("tn_1", id)->revision, 2);
  const std::string other = Fresh();
  board.Offer("tn_1", "org_1", other, 7);
  EXPECT_EQ(board.Current("tn_1", other)->revision, 7);
}

TEST_F(RevisionBoardTest, AWriteThatFailedDoesNotLetAnOlderReadBackIn) {
  RedisCache redis(Options(), registry_, "board");
  RevisionBoard board(redis);
  const std::string id = Fresh();
  // A reader reads revision 1; a write publishes 2; another write holds and fails.
  ASSERT_TRUE(board.Hold("tn_1", id).ok());
  board.Publish("tn_1", "org_1", id, 2);
  ASSERT_TRUE(board.Hold("tn_1", id).ok());
  board.Release("tn_1", id);
  EXPECT_FALSE(board.Current("tn_1", id));
  // The reader's late offer of what it read before must not come back as current.
  board.Offer("tn_1", "org_1", id, 1);
  EXPECT_FALSE(board.Current("tn_1", id));
  board.Offer("tn_1", "org_1", id, 2);
  EXPECT_EQ(board.Current("tn_1", id)->revision, 2);
}

TEST_F(RevisionBoardTest, ABuriedAssessmentIsNeverVouchedForAgain) {
  RedisCache redis(Options(), registry_, "board");
  RevisionBoard board(redis);
  const std::string id = Fresh();
  ASSERT_TRUE(board.Hold("tn_1", id).ok());
  board.Publish("tn_1", "org_1", id, 4);
  ASSERT_TRUE(board.Hold("tn_1", id).ok());  // a write that raced the delete
  board.Bury("tn_1", id);
  board.Publish("tn_1", "org_1", id, 5);
  board.Offer("tn_1", "org_1", id, 5);
  EXPECT_FALSE(board.Current("tn_1", id));
}

TEST_F(RevisionBoardTest, AnEntrySignedWithAnotherKeyIsNotTrusted) {
  RedisCache writer_redis(Options(std::string(40, 'x')), registry_, "writer");
  RevisionBoard writer(writer_redis);
  prometheus::Registry other;
  RedisCache reader_redis(Options(), other, "reader");
  RevisionBoard reader(reader_redis);
  const std::string id = Fresh();
  ASSERT_TRUE(writer.Hold("tn_1", id).ok());
  writer.Publish("tn_1", "org_1", id, 9);
  EXPECT_TRUE(writer.Current("tn_1", id));
  EXPECT_FALSE(reader.Current("tn_1", id));
}

TEST(RevisionBoardUnreachableTest, AWriteIsRefusedAndNothingIsVouchedFor) {
  prometheus::Registry registry;
  RedisOptions o{"127.0.0.1:1"};
  o.signing_key = kSuiteKey;
  RedisCache redis(o, registry, "board");
  RevisionBoard board(redis);
  const absl::Status held = board.Hold("tn_1", "a_1");
  EXPECT_EQ(held.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(held.message().find("nothing changed"), std::string::npos);
  EXPECT_FALSE(board.Current("tn_1", "a_1"));
}

TEST(RevisionBoardDisabledTest, WithoutRedisWritesGoOnAndNothingIsVouchedFor) {
  prometheus::Registry registry;
  RedisCache redis(RedisOptions{""}, registry, "board");
  RevisionBoard board(redis);
  EXPECT_TRUE(board.Hold("tn_1", "a_1").ok());
  board.Publish("tn_1", "org_1", "a_1", 2);
  EXPECT_FALSE(board.Current("tn_1", "a_1"));
}

}  // namespace
}  // namespace socm
