#include "services/common/status.h"

#include <gtest/gtest.h>

namespace socm {
namespace {

TEST(StatusTest, CodesAreEqualAcrossTheBoundary) {
  for (int code = 0; code <= 16; ++code) {
    const absl::Status in(static_cast<absl::StatusCode>(code), code == 0 ? "" : "m");
    const grpc::Status out = ToGrpcStatus(in);
    EXPECT_EQ(static_cast<int>(out.error_code()), code);
    EXPECT_EQ(FromGrpcStatus(out).code(), in.code());
  }
}

TEST(StatusTest, FieldViolationsSurviveTheRoundTrip) {
  const absl::Status status = InvalidFields(
      {Violation("answers[3].inSource", "must be 0..5"), Violation("title", "required")});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "answers[3].inSource: must be 0..5; title: required");
  const absl::Status back = FromGrpcStatus(ToGrpcStatus(status));
  const auto violations = ViolationsOf(back);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field(), "answers[3].inSource");
  EXPECT_EQ(violations[1].description(), "required");
}

TEST(StatusTest, CodeName) { EXPECT_EQ(CodeName(absl::StatusCode::kNotFound), "NOT_FOUND"); }

}  // namespace
}  // namespace socm
