#include "gateway/responses.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "services/common/status.h"
#include "soc/maturity/catalogue/v1/catalogue.pb.h"

namespace socm::gateway {
namespace {

TEST(ResponsesTest, StandardHttpMapping) {
  using C = absl::StatusCode;
  EXPECT_EQ(HttpStatusFor(C::kInvalidArgument), http::status::bad_request);
  EXPECT_EQ(HttpStatusFor(C::kUnauthenticated), http::status::unauthorized);
  EXPECT_EQ(HttpStatusFor(C::kPermissionDenied), http::status::forbidden);
  EXPECT_EQ(HttpStatusFor(C::kNotFound), http::status::not_found);
  EXPECT_EQ(HttpStatusFor(C::kAlreadyExists), http::status::conflict);
  EXPECT_EQ(HttpStatusFor(C::kAborted), http::status::conflict);
  EXPECT_EQ(HttpStatusFor(C::kFailedPrecondition), http::status::precondition_failed);
  EXPECT_EQ(HttpStatusFor(C::kResourceExhausted), http::status::too_many_requests);
  EXPECT_EQ(HttpStatusFor(C::kUnavailable), http::status::service_unavailable);
  EXPECT_EQ(HttpStatusFor(C::kDeadlineExceeded), http::status::gateway_timeout);
  EXPECT_EQ(HttpStatusFor(C::kInternal), http::status::internal_server_error);
}

TEST(ResponsesTest, ErrorShapeWithDetails) {
  const Response r =
      ErrorResponse(InvalidFields({Violation("answers[3].inSource", "must be 0..5")}));
  EXPECT_EQ(r.result(), http::status::bad_request);
  EXPECT_EQ(r[http::field::content_type], "application/json; charset=utf-8");
  const auto body = nlohmann::json::parse(r.body());
  EXPECT_EQ(body["error"]["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(body["error"]["message"], "answers[3].inSource: must be 0..5");
  EXPECT_EQ(body["error"]["details"][0]["field"], "answers[3].inSource");
  EXPECT_EQ(body["error"]["details"][0]["description"], "must be 0..5");
}

TEST(ResponsesTest, InternalErrorsHideTheirMessage) {
  const Response r = ErrorResponse(absl::InternalError("sqlite: disk I/O error at /var/x"));
  EXPECT_EQ(r.result(), http::status::internal_server_error);
  EXPECT_EQ(r.body().find("sqlite"), std::string::npos);
}

TEST(ResponsesTest, TransportErrorsHideAddressesAndKeepThemForTheLog) {
  Response r = ErrorResponse(absl::UnavailableError(
      "failed to connect to all addresses; last error: ipv4:10.0.0.7:7102: Connection refused"));
  EXPECT_EQ(r.result(), http::status::service_unavailable);
  EXPECT_EQ(nlohmann::json::parse(r.body())["error"]["code"], "UNAVAILABLE");
  EXPECT_EQ(r[http::field::retry_after], "1");
  EXPECT_EQ(r.body().find("10.0.0.7"), std::string::npos);
  // The original goes to the request's log line, and then off the response.
  EXPECT_NE(TakeLogDetail(r).find("10.0.0.7:7102"), std::string::npos);
  EXPECT_EQ(r.find(kLogDetailHeader), r.end());
  EXPECT_EQ(TakeLogDetail(r), "");

  r = ErrorResponse(absl::InternalError("UPDATE assessments SET doc=$1\r\nfailed"));
  EXPECT_EQ(r.body().find("UPDATE"), std::string::npos);
  EXPECT_EQ(TakeLogDetail(r), "UPDATE assessments SET doc=$1  failed");
  r = ErrorResponse(absl::NotFoundError("organization org_1 not found"));
  EXPECT_EQ(TakeLogDetail(r), "");
}

// Whatever the code, a message that names the schema, an address or a crash reaches the log,
// not the client.
TEST(ResponsesTest, DatabaseAndTransportTextNeverReachesTheClient) {
  const std::vector<absl::Status> leaks = {
      absl::AlreadyExistsError("UNIQUE constraint failed: api_keys.token"),
      absl::AlreadyExistsError(
          "ERROR:  duplicate key value violates unique constraint \"organizations_pkey\""),
      absl::FailedPreconditionError("insert or update on table \"evidence\" violates foreign key"),
      absl::InvalidArgumentError("ERROR:  column \"tenant\" does not exist"),
      absl::AbortedError("database is locked (sqlite busy)"),
      absl::NotFoundError("lookup failed on ipv4:10.0.3.17:7102"),
      absl::FailedPreconditionError("upstream 10.0.3.17:7102 refused"),
      absl::InvalidArgumentError("std::out_of_range at parser.cc:120"),
  };
  for (const absl::Status& s : leaks) {
    Response r = ErrorResponse(s);
    EXPECT_EQ(r.result(), HttpStatusFor(s.code())) << s;
    const auto body = nlohmann::json::parse(r.body());
    const std::string message = body["error"]["message"];
    for (const char* word : {"constraint", "api_keys", "pkey", "column", "sqlite", "10.0.3.17",
                             "7102", "std::", ".cc"}) {
      EXPECT_EQ(message.find(word), std::string::npos) << s << " -> " << message;
    }
    EXPECT_EQ(body["error"]["code"], std::string(CodeName(s.code())));
    EXPECT_EQ(TakeLogDetail(r), std::string(s.message()))
        << "the log keeps what the client does not see";
  }
  // Our own messages stay as they are, dates and versions included.
  for (const absl::Status& s :
       {absl::InvalidArgumentError("answers[0].level: must be 0..4"),
        absl::FailedPreconditionError("the assessment is APPROVED; evidence is removed only from a "
                                      "draft"),
        absl::NotFoundError("catalogue isogj-soc-csirt has no version 2.1.9"),
        absl::InvalidArgumentError("assessedOn: 2026-13-01 is not a date")}) {
    Response r = ErrorResponse(s);
    EXPECT_EQ(nlohmann::json::parse(r.body())["error"]["message"], std::string(s.message()));
  }
}

TEST(ResponsesTest, JsonBodiesRefuseUnknownFields) {
  soc::maturity::catalogue::v1::LocalizedText text;
  EXPECT_TRUE(ParseJsonBody(R"({"ja":"あ","en":"a"})", &text).ok());
  EXPECT_EQ(text.ja(), "あ");
  EXPECT_EQ(ParseJsonBody(R"({"ja":"a","fr":"b"})", &text).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseJsonBody("{", &text).code(), absl::StatusCode::kInvalidArgument);
  const Response r = ProtoResponse(text);
  EXPECT_EQ(nlohmann::json::parse(r.body())["en"], "a");
}

}  // namespace
}  // namespace socm::gateway
