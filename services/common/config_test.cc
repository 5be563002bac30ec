#include "services/common/config.h"

#include <gtest/gtest.h>

namespace socm {
namespace {

TEST(ConfigTest, FlagBeatsEnvironmentBeatsDefault) {
  Config config({"--grpc-port=7001"}, {{"SOCM_GRPC_PORT", "7002"}, {"SOCM_HOST", "0.0.0.0"}});
  EXPECT_EQ(config.Port("grpc-port", 1), 7001);
  EXPECT_EQ(config.String("host", "127.0.0.1"), "0.0.0.0");
  EXPECT_EQ(config.String("redis-addr", "none"), "none");
  EXPECT_TRUE(config.Finish().ok());
}

TEST(ConfigTest, ReportsEveryBadValueAtOnce) {
  Config config({"--grpc-port=99999", "--typo=1"}, {{"SOCM_GRACE_MS", "soon"}});
  config.Port("grpc-port", 1);
  config.Millis("grace-ms", 10);
  const absl::Status status = config.Finish();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("--grpc-port"), std::string::npos);
  EXPECT_NE(status.message().find("SOCM_GRACE_MS"), std::string::npos);
  EXPECT_NE(status.message().find("unknown flag --typo"), std::string::npos);
}

TEST(ConfigTest, RequiredStringMustBeSet) {
  Config config({}, {{"SOCM_DATA_DIR", ""}});
  EXPECT_EQ(config.RequiredString("data-dir"), "");
  EXPECT_EQ(config.Finish().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ConfigTest, BoolAcceptsCommonSpellings) {
  Config config({"--a=yes", "--b=0", "--c"}, {});
  EXPECT_TRUE(config.Bool("a", false));
  EXPECT_FALSE(config.Bool("b", true));
  EXPECT_TRUE(config.Bool("c", false));
  EXPECT_TRUE(config.Finish().ok());
}

TEST(ConfigTest, EnvName) { EXPECT_EQ(Config::EnvName("redis-addr"), "SOCM_REDIS_ADDR"); }

}  // namespace
}  // namespace socm
