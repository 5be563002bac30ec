// The identity-provider write that is more than transcoding: a new client secret is sealed
// here, with the gateway's own key and bound to the caller's tenant, before it reaches the
// system of record, which keeps only the sealed form and never gives it back.
#include "absl/strings/str_cat.h"
#include "gateway/backend_call.h"
#include "gateway/binding.h"
#include "gateway/gateway.h"
#include "gateway/oidc/secret_box.h"
#include "gateway/responses.h"
#include "soc/maturity/assessment/v1/identity.grpc.pb.h"

namespace socm::gateway {
namespace {

namespace apb = soc::maturity::assessment::v1;

// Providers' secrets are tens of bytes; anything near this is not one.
constexpr size_t kMaxClientSecretBytes = 1024;

RouteHandler PutIdentityProviderRoute(const RouteContext& context, const RouteSpec& route,
                                      std::shared_ptr<apb::IdentityService::Stub> identity) {
  return Authed(
      context, route.need,
      [&route, &context, identity](CallPtr call, const Caller& caller, Respond respond) {
        apb::UpdateIdentityProviderRequest request;
        if (absl::Status s = BindRequest(route, *call, &request); !s.ok()) {
          return respond(ErrorResponse(s));
        }
        std::string secret = std::move(*request.mutable_provider()->mutable_client_secret());
        request.mutable_provider()->clear_client_secret();
        if (!secret.empty()) {
          if (secret.size() > kMaxClientSecretBytes) {
            return respond(ErrorResponse(InvalidFields(
                {Violation("clientSecret",
                           absl::StrCat("must be at most ", kMaxClientSecretBytes, " bytes"))})));
          }
          if (context.secrets == nullptr) {
            return respond(ErrorResponse(absl::FailedPreconditionError(
                "this gateway has no --secret-key-file, so it cannot store a client "
                "secret")));
          }
          auto sealed = context.secrets->Seal(secret, caller.tenant.value());
          if (!sealed.ok()) return respond(ErrorResponse(sealed.status()));
          request.set_sealed_client_secret(std::move(*sealed));
        }
        UnaryCall<apb::IdentityProvider>(
            *call, std::move(request), SOCM_ASYNC(identity, UpdateIdentityProvider),
            [respond, &route](absl::Status status, apb::IdentityProvider& reply) {
              if (!status.ok()) return respond(ErrorResponse(status));
              respond(RenderReply(route, reply));
            });
      });
}

}  // namespace

NamedHandlers IdentityHandlers(const RouteContext& context) {
  std::shared_ptr<apb::IdentityService::Stub> identity =
      apb::IdentityService::NewStub(context.backends.assessment());
  NamedHandlers out;
  out["put_identity_provider"] = [&context, identity](const RouteSpec& route) {
    return PutIdentityProviderRoute(context, route, identity);
  };
  return out;
}

}  // namespace socm::gateway
