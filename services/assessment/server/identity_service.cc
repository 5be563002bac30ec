#include "services/assessment/server/identity_service.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/assessment/server/handler_support.h"
#include "services/common/caller_metadata.h"
#include "services/common/key_role.h"
#include "services/common/status.h"

namespace socm::assessment {

using google::protobuf::util::TimeUtil;
using handlers::NeedTenant;
using handlers::NowMicros;

namespace {

// A login flow lives at most this long between /auth/login and /auth/callback.
constexpr int64_t kMaxLoginFlowMicros = 3600LL * 1000000;

// The gateway acting for itself: the sign-in steps are its alone.
absl::StatusOr<Caller> Gateway(const grpc::CallbackServerContext& context) {
  auto caller = AuthorizedCaller(context, Need::kService);
  if (!caller.ok()) return caller.status();
  if (caller->principal != kGatewayServicePrincipal) {
    return absl::PermissionDeniedError("only the gateway signs people in");
  }
  return caller;
}

absl::StatusOr<Caller> TenantAdmin(const grpc::CallbackServerContext& context) {
  auto caller = AuthorizedCaller(context, Need::kTenantAdmin);
  if (!caller.ok()) return caller.status();
  SOCM_STATUS_RETURN(NeedTenant(*caller));
  return caller;
}

WriteOptions Now() {
  WriteOptions write;
  write.now_micros = NowMicros();
  return write;
}

std::vector<soc::maturity::common::v1::FieldViolation> LoginFlowProblems(
    const pb::SaveLoginFlowRequest& request, int64_t now_micros) {
  std::vector<soc::maturity::common::v1::FieldViolation> out;
  if (request.state().size() < 32 || request.state().size() > 256) {
    out.push_back(Violation("state", "32 to 256 characters"));
  }
  const pb::LoginFlow& flow = request.flow();
  if (flow.tenant_id().empty()) out.push_back(Violation("flow.tenantId", "required"));
  if (flow.nonce().size() < 16 || flow.nonce().size() > 256) {
    out.push_back(Violation("flow.nonce", "16 to 256 characters"));
  }
  // RFC 7636 4.1.
  if (flow.code_verifier().size() < 43 || flow.code_verifier().size() > 128) {
    out.push_back(Violation("flow.codeVerifier", "43 to 128 characters"));
  }
  // A path of the gateway's own: "//host" would leave it, and so would "/\t/host" once a
  // browser drops the tab; a control character could also split the Location header.
  const std::string& back = flow.return_to();
  const bool visible = std::all_of(back.begin(), back.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
  });
  if (back.empty() || back.size() > 2048 || back.front() != '/' || !visible ||
      absl::StartsWith(back, "//") || absl::StrContains(back, '\\')) {
    out.push_back(Violation("flow.returnTo", "a path on this site, starting with one '/'"));
  }
  const int64_t expiry = TimeUtil::TimestampToMicroseconds(flow.expire_time());
  if (expiry <= now_micros || expiry > now_micros + kMaxLoginFlowMicros) {
    out.push_back(Violation("flow.expireTime", "within the next hour"));
  }
  return out;
}

}  // namespace

pb::Person PersonMessage(const PersonRecord& person) {
  pb::Person out;
  out.set_id(person.id);
  out.set_issuer(person.issuer);
  out.set_subject(person.subject);
  out.set_email(person.email);
  out.set_display_name(person.display_name);
  out.set_role(KeyRoleOf(person.role));
  for (const std::string& org : person.organizations) out.add_organization_ids(org);
  out.set_set_by_admin(person.set_by_admin);
  *out.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(person.create_micros);
  *out.mutable_last_sign_in_time() = TimeUtil::MicrosecondsToTimestamp(person.last_sign_in_micros);
  return out;
}

grpc::ServerUnaryReactor* IdentityServiceImpl::GetIdentityProvider(
    grpc::CallbackServerContext* context, const pb::GetIdentityProviderRequest*,
    pb::IdentityProvider* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto admin = TenantAdmin(*context);
    if (!admin.ok()) return admin.status();
    return Fill(providers_.Get(*admin), response);
  });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::UpdateIdentityProvider(
    grpc::CallbackServerContext* context, const pb::UpdateIdentityProviderRequest* request,
    pb::IdentityProvider* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto admin = TenantAdmin(*context);
    if (!admin.ok()) return admin.status();
    auto before = providers_.Get(*admin);
    if (!before.ok() && before.status().code() != absl::StatusCode::kNotFound) {
      return before.status();
    }
    auto saved =
        providers_.Update(*admin, request->provider(), request->sealed_client_secret(), Now());
    if (!saved.ok()) return saved.status();
    // Another issuer: the old one's sessions end (TouchSession would refuse them anyway).
    if (before.ok() && before->issuer() != saved->issuer()) {
      auto ended = sign_in_.EndTenantSessions(admin->tenant.value());
      if (!ended.ok()) return ended.status();
    }
    *response = std::move(*saved);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::DeleteIdentityProvider(
    grpc::CallbackServerContext* context, const pb::DeleteIdentityProviderRequest*,
    pb::DeleteIdentityProviderResponse*) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto admin = TenantAdmin(*context);
    if (!admin.ok()) return admin.status();
    if (absl::Status deleted = providers_.Delete(*admin, Now()); !deleted.ok()) {
      return deleted;
    }
    // Sessions the removed provider vouched for end with it.
    return sign_in_.EndTenantSessions(admin->tenant.value()).status();
  });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::ListPeople(grpc::CallbackServerContext* context,
                                                          const pb::ListPeopleRequest*,
                                                          pb::ListPeopleResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto admin = TenantAdmin(*context);
    if (!admin.ok()) return admin.status();
    auto people = people_.List(admin->tenant.value());
    if (people.ok()) {
      for (const PersonRecord& person : *people) *response->add_people() = PersonMessage(person);
    }
    return people.status();
  });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::UpdatePerson(grpc::CallbackServerContext* context,
                                                            const pb::UpdatePersonRequest* request,
                                                            pb::Person* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto admin = TenantAdmin(*context);
    if (!admin.ok()) return admin.status();
    const std::vector<std::string> orgs(request->organization_ids().begin(),
                                        request->organization_ids().end());
    auto person = people_.SetAccess(*admin, request->person_id(), RoleOfKey(request->role()), orgs,
                                    NowMicros());
    if (!person.ok()) return person.status();
    // The new role and scope hold from the next request, not the next sign-in.
    auto ended = sign_in_.EndSessionsOf(person->tenant, person->id);
    if (!ended.ok()) return ended.status();
    *response = PersonMessage(*person);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::FindSignIn(grpc::CallbackServerContext* context,
                                                          const pb::FindSignInRequest* request,
                                                          pb::SignInSettings* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto gateway = Gateway(*context);
    if (!gateway.ok()) return gateway.status();
    switch (request->by_case()) {
      case pb::FindSignInRequest::kTenantSlug:
        return Fill(providers_.FindBySlug(request->tenant_slug()), response);
      case pb::FindSignInRequest::kIssuerAudience:
        return Fill(providers_.FindByIssuerAudience(request->issuer_audience().issuer(),
                                                    request->issuer_audience().audience()),
                    response);
      case pb::FindSignInRequest::kTenantId:
        return Fill(providers_.FindByTenant(request->tenant_id()), response);
      default:
        return InvalidFields({Violation("by",
                                        "a tenant slug, an issuer and "
                                        "audience, or a tenant id")});
    }
  });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::SaveLoginFlow(
    grpc::CallbackServerContext* context, const pb::SaveLoginFlowRequest* request,
    pb::SaveLoginFlowResponse*) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto gateway = Gateway(*context);
    if (!gateway.ok()) return gateway.status();
    const int64_t now = NowMicros();
    const auto problems = LoginFlowProblems(*request, now);
    if (!problems.empty()) return InvalidFields(problems);
    // Only a tenant that signs people in starts flows.
    auto provider = providers_.FindByTenant(request->flow().tenant_id());
    if (!provider.ok()) return provider.status();
    // Flows abandoned at the provider count against the tenant's limit until purged.
    int64_t last = last_purge_micros_.load();
    if (now - last > kPurgeEveryMicros && last_purge_micros_.compare_exchange_strong(last, now)) {
      if (auto purged = sign_in_.PurgeExpired(now, limits_); !purged.ok()) {
        return purged.status();
      }
    }
    const pb::LoginFlow& flow = request->flow();
    return sign_in_.SaveLoginFlow(
        request->state(), {flow.tenant_id(), flow.nonce(), flow.code_verifier(), flow.return_to(),
                           TimeUtil::TimestampToMicroseconds(flow.expire_time())});
  });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::TakeLoginFlow(
    grpc::CallbackServerContext* context, const pb::TakeLoginFlowRequest* request,
    pb::LoginFlow* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto gateway = Gateway(*context);
    if (!gateway.ok()) return gateway.status();
    auto flow = sign_in_.TakeLoginFlow(request->state(), NowMicros());
    if (!flow.ok()) return flow.status();
    response->set_tenant_id(flow->tenant);
    response->set_nonce(flow->nonce);
    response->set_code_verifier(flow->code_verifier);
    response->set_return_to(flow->return_to);
    *response->mutable_expire_time() = TimeUtil::MicrosecondsToTimestamp(flow->expire_micros);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::CompleteSignIn(
    grpc::CallbackServerContext* context, const pb::CompleteSignInRequest* request,
    pb::SignedIn* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto gateway = Gateway(*context);
    if (!gateway.ok()) return gateway.status();
    const pb::Person& person = request->person();
    // The person comes from the tenant's own provider, nobody else's.
    auto settings = providers_.FindByTenant(request->tenant_id());
    if (!settings.ok()) return settings.status();
    if (settings->provider().issuer() != person.issuer()) {
      return absl::PermissionDeniedError(
          "the person's issuer is not this tenant's identity provider");
    }
    SignInClaims claims;
    claims.tenant = request->tenant_id();
    claims.issuer = person.issuer();
    claims.subject = person.subject();
    claims.email = person.email();
    claims.display_name = person.display_name();
    claims.role = RoleOfKey(person.role());
    claims.organizations.assign(person.organization_ids().begin(), person.organization_ids().end());
    const int64_t now = NowMicros();
    auto recorded = people_.RecordSignIn(claims, now, request->client_address());
    if (!recorded.ok()) return recorded.status();
    if (request->without_session()) {
      *response->mutable_person() = PersonMessage(*recorded);
      return absl::OkStatus();
    }
    auto session = sign_in_.CreateSession(recorded->tenant, recorded->id, now, limits_);
    if (!session.ok()) return session.status();
    *response->mutable_person() = PersonMessage(*recorded);
    response->set_session_token(session->token);
    response->set_csrf_token(session->csrf_token);
    *response->mutable_absolute_expire_time() =
        TimeUtil::MicrosecondsToTimestamp(session->record.absolute_expire_micros);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::TouchSession(grpc::CallbackServerContext* context,
                                                            const pb::TouchSessionRequest* request,
                                                            pb::Session* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto gateway = Gateway(*context);
    if (!gateway.ok()) return gateway.status();
    auto session = sign_in_.TouchSession(request->session_token(), NowMicros(), limits_);
    if (!session.ok()) return session.status();
    auto person = people_.Get(session->tenant, session->person_id);
    if (!person.ok()) return person.status();
    // A session outlives neither its person nor the provider that vouched for them.
    auto settings = providers_.FindByTenant(session->tenant);
    if (!settings.ok() || settings->provider().issuer() != person->issuer) {
      (void)sign_in_.EndSession(request->session_token());
      return absl::NotFoundError("this session has ended");
    }
    response->set_tenant_id(session->tenant);
    *response->mutable_person() = PersonMessage(*person);
    response->set_csrf_sha256(session->csrf_sha256);
    *response->mutable_absolute_expire_time() =
        TimeUtil::MicrosecondsToTimestamp(session->absolute_expire_micros);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::EndSession(grpc::CallbackServerContext* context,
                                                          const pb::EndSessionRequest* request,
                                                          pb::EndSessionResponse*) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto gateway = Gateway(*context);
    if (!gateway.ok()) return gateway.status();
    return sign_in_.EndSession(request->session_token());
  });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::RecordSignInRefusal(
    grpc::CallbackServerContext* context, const pb::RecordSignInRefusalRequest* request,
    pb::RecordSignInRefusalResponse*) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto gateway = Gateway(*context);
    if (!gateway.ok()) return gateway.status();
    return people_.RecordRefusal(request->tenant_id(), request->subject(), request->reason(),
                                 NowMicros(), request->client_address());
  });
}

}  // namespace socm::assessment
