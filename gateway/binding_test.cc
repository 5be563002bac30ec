#include "gateway/binding.h"

#include <gtest/gtest.h>

#include "soc/maturity/assessment/v1/assessment.pb.h"
#include "soc/maturity/reporting/v1/reporting.pb.h"

namespace socm::gateway {
namespace {

namespace apb = soc::maturity::assessment::v1;
namespace rpb = soc::maturity::reporting::v1;

const RouteSpec& RouteOf(http::verb method, const std::string& path) {
  for (const RouteSpec& r : PublicRoutes()) {
    if (r.method == method && r.path == path) return r;
  }
  ADD_FAILURE() << "no route " << path;
  static const RouteSpec none{};
  return none;
}

Call MakeCall(std::map<std::string, std::string> params, std::string body = "",
              std::map<std::string, std::string> query = {}) {
  Call call;
  call.params = std::move(params);
  call.query = std::move(query);
  call.request.body() = std::move(body);
  return call;
}

std::string FirstField(const absl::Status& s) {
  auto v = ViolationsOf(s);
  return v.empty() ? "<none>" : v[0].field();
}

const std::string kAssessment = "/v1/organizations/{orgId}/assessments/{assessmentId}";

TEST(BindingTest, PathParametersAndBodyFieldFillTheRequest) {
  const RouteSpec& route = RouteOf(http::verb::put, kAssessment + "/answers/{roleCode}");
  Call call = MakeCall({{"orgId", "org_1"}, {"assessmentId", "as_1"}, {"roleCode", "A-1"}},
                       R"({"inSource":4,"note":"n"})");
  call.request.set(http::field::if_match, "\"as_1-r3\"");
  apb::SetAnswerRequest request;
  ASSERT_TRUE(BindRequest(route, call, &request).ok());
  EXPECT_EQ(request.organization_id(), "org_1");
  EXPECT_EQ(request.assessment_id(), "as_1");
  EXPECT_EQ(request.answer().role_code(), "A-1");
  EXPECT_EQ(request.answer().in_source(), 4);
  EXPECT_EQ(request.etag(), "\"as_1-r3\"");
}

TEST(BindingTest, AFieldInBothPathAndBodyMustAgree) {
  const RouteSpec& route = RouteOf(http::verb::put, kAssessment + "/answers/{roleCode}");
  Call call = MakeCall({{"orgId", "o"}, {"assessmentId", "a"}, {"roleCode", "A-1"}},
                       R"({"roleCode":"A-2"})");
  apb::SetAnswerRequest request;
  const absl::Status s = BindRequest(route, call, &request);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstField(s), "roleCode");

  const RouteSpec& create = RouteOf(http::verb::post, "/v1/organizations/{orgId}/assessments");
  Call other = MakeCall({{"orgId", "o"}}, R"({"organizationId":"p","title":"t"})");
  apb::CreateAssessmentRequest create_request;
  EXPECT_EQ(FirstField(BindRequest(create, other, &create_request)), "organizationId");
}

TEST(BindingTest, UnknownAndMistypedFieldsAreNamedByTheirPath) {
  const RouteSpec& route = RouteOf(http::verb::post, kAssessment + "/answers:batchUpdate");
  apb::BatchUpdateAnswersRequest request;
  Call call = MakeCall({{"orgId", "o"}, {"assessmentId", "a"}},
                       R"({"answers":[{"roleCode":"A-1"},{"roleCode":"A-2","colour":"red"}]})");
  absl::Status s = BindRequest(route, call, &request);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstField(s), "answers[1].colour");

  call = MakeCall({{"orgId", "o"}, {"assessmentId", "a"}}, R"({"answers":[{"roleCode":7}]})");
  EXPECT_EQ(FirstField(BindRequest(route, call, &request)), "answers[0].roleCode");
  call = MakeCall({{"orgId", "o"}, {"assessmentId", "a"}}, R"({"answers":{"roleCode":"A-1"}})");
  EXPECT_EQ(FirstField(BindRequest(route, call, &request)), "answers");

  const RouteSpec& create = RouteOf(http::verb::post, "/v1/organizations");
  apb::CreateOrganizationRequest org;
  call = MakeCall({}, R"({"displayName":"x","labels":{"tier":3}})");
  EXPECT_EQ(FirstField(BindRequest(create, call, &org)), "labels.tier");
  call = MakeCall({}, "[1,2]");
  EXPECT_EQ(BindRequest(create, call, &org).code(), absl::StatusCode::kInvalidArgument);
  call = MakeCall({}, "{not json");
  EXPECT_EQ(BindRequest(create, call, &org).code(), absl::StatusCode::kInvalidArgument);
}

TEST(BindingTest, QueryParametersAreTheRoutesOnlyAndTyped) {
  const RouteSpec& route = RouteOf(http::verb::get, "/v1/organizations");
  apb::ListOrganizationsRequest request;
  Call call = MakeCall({}, "", {{"pageSize", "20"}, {"pageToken", "t"}});
  ASSERT_TRUE(BindRequest(route, call, &request).ok());
  EXPECT_EQ(request.page_size(), 20);
  EXPECT_EQ(request.page_token(), "t");
  call = MakeCall({}, "", {{"pageSize", "-1"}});
  EXPECT_EQ(FirstField(BindRequest(route, call, &request)), "pageSize");
  call = MakeCall({}, "", {{"colour", "red"}});
  EXPECT_EQ(FirstField(BindRequest(route, call, &request)), "colour");
}

TEST(BindingTest, EnumQueryTakesShortNamesAndItsDefault) {
  const RouteSpec& report = RouteOf(http::verb::get, kAssessment + "/report");
  rpb::RenderReportRequest request;
  Call call = MakeCall({{"orgId", "o"}, {"assessmentId", "a"}}, "", {{"format", "pdf"}});
  ASSERT_TRUE(BindRequest(report, call, &request).ok());
  EXPECT_EQ(request.format(), rpb::REPORT_FORMAT_PDF);
  request.Clear();
  call = MakeCall({{"orgId", "o"}, {"assessmentId", "a"}});
  ASSERT_TRUE(BindRequest(report, call, &request).ok());
  EXPECT_EQ(request.format(), rpb::REPORT_FORMAT_HTML);
  // The radar is a fixed format; the report refuses it.
  call = MakeCall({{"orgId", "o"}, {"assessmentId", "a"}}, "", {{"format", "svg"}});
  EXPECT_EQ(FirstField(BindRequest(report, call, &request)), "format");
  const RouteSpec& radar = RouteOf(http::verb::get, kAssessment + "/radar.svg");
  request.Clear();
  call = MakeCall({{"orgId", "o"}, {"assessmentId", "a"}});
  ASSERT_TRUE(BindRequest(radar, call, &request).ok());
  EXPECT_EQ(request.format(), rpb::REPORT_FORMAT_SVG);
}

// Override: key roles travel as admin|assessor|viewer, both ways.
TEST(BindingTest, KeyRolesAreShortNamesInBothDirections) {
  const RouteSpec& route = RouteOf(http::verb::post, "/v1/tenants/{tenantId}/apiKeys");
  apb::CreateApiKeyRequest request;
  Call call = MakeCall({{"tenantId", "t_1"}}, R"({"role":"assessor","description":"d"})");
  ASSERT_TRUE(BindRequest(route, call, &request).ok());
  EXPECT_EQ(request.role(), apb::KEY_ROLE_ASSESSOR);
  EXPECT_EQ(request.tenant_id(), "t_1");
  call = MakeCall({{"tenantId", "t_1"}}, R"({"role":"superuser"})");
  const absl::Status s = BindRequest(route, call, &request);
  EXPECT_EQ(FirstField(s), "role");
  EXPECT_NE(s.message().find("viewer, assessor, admin"), absl::string_view::npos);

  apb::ListApiKeysResponse list;
  list.add_api_keys()->set_role(apb::KEY_ROLE_VIEWER);
  list.add_api_keys()->set_role(apb::KEY_ROLE_ADMIN);
  const Response r = RenderReply(RouteOf(http::verb::get, "/v1/tenants/{tenantId}/apiKeys"), list);
  const auto body = nlohmann::json::parse(r.body());
  EXPECT_EQ(body["apiKeys"][0]["role"], "viewer");
  EXPECT_EQ(body["apiKeys"][1]["role"], "admin");
}

// Override: PATCH changes the body's keys, and refuses fields that cannot change.
TEST(BindingTest, PatchMaskComesFromTheBodysKeys) {
  const RouteSpec& route = RouteOf(http::verb::patch, "/v1/organizations/{orgId}");
  apb::UpdateOrganizationRequest request;
  Call call = MakeCall({{"orgId", "org_1"}}, R"({"industry":"finance","labels":{}})");
  ASSERT_TRUE(BindRequest(route, call, &request).ok());
  EXPECT_EQ(request.organization().id(), "org_1");
  ASSERT_EQ(request.update_mask().paths_size(), 2);
  EXPECT_EQ(request.update_mask().paths(0), "industry");
  EXPECT_EQ(request.update_mask().paths(1), "labels");
  call = MakeCall({{"orgId", "org_1"}}, R"({"createTime":"2026-01-01T00:00:00Z"})");
  EXPECT_EQ(FirstField(BindRequest(route, call, &request)), "createTime");
  apb::UpdateOrganizationRequest empty;
  call = MakeCall({{"orgId", "org_1"}}, "{}");
  EXPECT_EQ(BindRequest(route, call, &empty).code(), absl::StatusCode::kInvalidArgument);
}

// Overrides: 204 on DELETE, the etag field as the ETag header, 201 on create.
TEST(BindingTest, RepliesFollowTheRoutesOverrides) {
  apb::DeleteAssessmentResponse deleted;
  const Response gone = RenderReply(RouteOf(http::verb::delete_, kAssessment), deleted);
  EXPECT_EQ(gone.result(), http::status::no_content);
  EXPECT_TRUE(gone.body().empty());

  apb::Assessment a;
  a.set_id("as_1");
  a.set_etag("\"as_1-r2\"");
  const Response got = RenderReply(RouteOf(http::verb::get, kAssessment), a);
  EXPECT_EQ(got.result(), http::status::ok);
  EXPECT_EQ(got[http::field::etag], "\"as_1-r2\"");
  const Response created =
      RenderReply(RouteOf(http::verb::post, "/v1/organizations/{orgId}/assessments"), a);
  EXPECT_EQ(created.result(), http::status::created);
  EXPECT_EQ(created[http::field::etag], "\"as_1-r2\"");
}

// A body only protobuf's lax parser reads would give an empty mask, which the
// service takes as "replace every field": refused instead.
TEST(BindingTest, APatchBodyMustBeStrictJson) {
  const RouteSpec& route = RouteOf(http::verb::patch, "/v1/organizations/{orgId}");
  for (const char* body : {R"({displayName: "Acme"})", R"({'displayName':'Acme'})"}) {
    apb::UpdateOrganizationRequest request;
    Call call = MakeCall({{"orgId", "org_1"}}, body);
    EXPECT_EQ(BindRequest(route, call, &request).code(), absl::StatusCode::kInvalidArgument)
        << body;
  }
}

TEST(BindingTest, QueryEdgesKeepTheirOldMeaning) {
  // A route without query parameters ignores any (cache busters).
  apb::GetOrganizationRequest get;
  Call call = MakeCall({{"orgId", "org_1"}}, "", {{"_", "1733300000"}});
  EXPECT_TRUE(BindRequest(RouteOf(http::verb::get, "/v1/organizations/{orgId}"), call, &get).ok());
  // A number named with no value is refused; an empty text means the default.
  apb::ListOrganizationsRequest list;
  call = MakeCall({}, "", {{"pageSize", ""}});
  EXPECT_EQ(FirstField(BindRequest(RouteOf(http::verb::get, "/v1/organizations"), call, &list)),
            "pageSize");
  rpb::RenderReportRequest report;
  call = MakeCall({{"orgId", "o"}, {"assessmentId", "a"}}, "", {{"format", ""}, {"lang", ""}});
  ASSERT_TRUE(BindRequest(RouteOf(http::verb::get, kAssessment + "/report"), call, &report).ok());
  EXPECT_EQ(report.format(), rpb::REPORT_FORMAT_HTML);
  EXPECT_EQ(report.lang(), "");
}

TEST(BindingTest, OnlyIfMatchIsAPrecondition) {
  const RouteSpec& route = RouteOf(http::verb::post, kAssessment + "/answers:batchUpdate");
  apb::BatchUpdateAnswersRequest request;
  Call call =
      MakeCall({{"orgId", "o"}, {"assessmentId", "a"}}, R"({"etag":"\"stale\"","answers":[]})");
  ASSERT_TRUE(BindRequest(route, call, &request).ok());
  EXPECT_EQ(request.etag(), "");
}

TEST(BindingTest, EnumNumbersOutsideInt32AreRefused) {
  const RouteSpec& route = RouteOf(http::verb::post, "/v1/tenants/{tenantId}/apiKeys");
  apb::CreateApiKeyRequest request;
  Call call = MakeCall({{"tenantId", "t"}}, R"({"role":4294967299})");
  EXPECT_EQ(FirstField(BindRequest(route, call, &request)), "role");
  call = MakeCall({{"tenantId", "t"}}, R"({"role":3})");
  ASSERT_TRUE(BindRequest(route, call, &request).ok());
  EXPECT_EQ(request.role(), apb::KEY_ROLE_ADMIN);
}

TEST(BindingTest, IfMatchTakesTheEtagInEveryFormAClientSendsIt) {
  const std::string etag = "\"as_1-r3\"";  // the ETag header and the JSON field alike
  EXPECT_EQ(NormalizeIfMatch(etag), etag);
  EXPECT_EQ(NormalizeIfMatch("\"" + etag + "\""), etag);
  EXPECT_EQ(NormalizeIfMatch("W/" + etag), etag);
  EXPECT_EQ(NormalizeIfMatch("W/\"" + etag + "\""), etag);
  EXPECT_EQ(NormalizeIfMatch("\"\""), "\"\"");
}

}  // namespace
}  // namespace socm::gateway
