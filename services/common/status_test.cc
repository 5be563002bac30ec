#include "services/common/status.h"

#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/grpc_status.h"

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
  EXPECT_EQ(back.message(), status.message());
  const auto violations = ViolationsOf(back);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field(), "answers[3].inSource");
  EXPECT_EQ(violations[1].description(), "required");
}

// What grpcurl and the standard status helpers read: google.rpc.Status with
// BadRequest and ErrorInfo details.
TEST(StatusTest, DetailsAreAStandardGoogleRpcStatus) {
  const grpc::Status out =
      ToGrpcStatus(InvalidFields({Violation("answers[3].inSource", "must be 0..5")}));
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(out.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(details.message(), "answers[3].inSource: must be 0..5");
  ASSERT_EQ(details.details_size(), 2);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "answers[3].inSource");
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(1).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "INVALID_ARGUMENT");
  EXPECT_EQ(info.domain(), kErrorDomain);
}

TEST(StatusTest, UnexpectedFailuresKeepTheirMessageOffTheWire) {
  const grpc::Status out = ToGrpcStatus(absl::InternalError("pq: relation \"x\" at 10.1.2.3"));
  EXPECT_EQ(out.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(out.error_message(), "internal error");
  EXPECT_EQ(out.error_details().find("10.1.2.3"), std::string::npos);
}

// During a rolling update a peer may still send the suite's own ErrorDetails.
TEST(StatusTest, ViolationsFromAnOlderPeerAreStillRead) {
  soc::maturity::common::v1::ErrorDetails old;
  *old.add_violations() = Violation("title", "required");
  const grpc::Status from_old(grpc::StatusCode::INVALID_ARGUMENT, "title: required",
                              old.SerializeAsString());
  const auto violations = ViolationsOf(FromGrpcStatus(from_old));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field(), "title");
}

TEST(StatusTest, CodeName) { EXPECT_EQ(CodeName(absl::StatusCode::kNotFound), "NOT_FOUND"); }

}  // namespace
}  // namespace socm
