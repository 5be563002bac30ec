// Signing in through a tenant's OpenID Connect provider: the gateway is the relying party.
//   GET /auth/login?tenant=<slug>&returnTo=/path  keeps a login flow (state, nonce, PKCE
//       verifier) in the system of record, binds it to this browser with a cookie, and sends
//       the browser to the provider;
//   GET /auth/callback?code=&state=  takes the flow once, exchanges the code (with the
//       verifier and the tenant's client secret, opened here), checks the ID token fully,
//       maps its claims to a role and scope, and starts a session: an HttpOnly cookie, and a
//       CSRF token the web UI reads from its own cookie and sends with every write;
//   POST /auth/logout  ends the session;
//   POST /auth/operator {"code": "..."}  redeems the operator's one-time sign-in code for an
//       operator session with the same cookies (operator_sessions.h).
// Every backend call here goes as the gateway itself: nobody is signed in yet.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/backend_call.h"
#include "gateway/cookies.h"
#include "gateway/gateway.h"
#include "gateway/oidc/login_flow.h"
#include "gateway/oidc/provider_directory.h"
#include "gateway/oidc/provider_token.h"
#include "gateway/oidc/secret_box.h"
#include "gateway/responses.h"
#include "google/protobuf/util/time_util.h"
#include "nlohmann/json.hpp"
#include "services/common/claim_mapping.h"
#include "services/common/crypto.h"
#include "services/common/key_role.h"
#include "services/common/log.h"
#include "services/common/lru_cache.h"
#include "soc/maturity/assessment/v1/identity.grpc.pb.h"

namespace socm::gateway {
namespace {

namespace apb = soc::maturity::assessment::v1;
using google::protobuf::util::TimeUtil;
using Stub = std::shared_ptr<apb::IdentityService::Stub>;

// How long a browser may spend at the provider between login and callback.
constexpr int kLoginFlowSeconds = 600;
// An ID token fresher than this is taken: it was issued for this very flow.
constexpr std::chrono::minutes kIdTokenMaxAge{10};

std::string Escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// What a browser sees when a sign-in cannot go on: a page of its own, never the details that
// would help an attacker (those go to the log).
Response SignInPage(http::status status, const std::string& message) {
  Response r{status, 11};
  r.set(http::field::content_type, "text/html; charset=utf-8");
  r.set(http::field::cache_control, "no-store");
  r.set("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'");
  r.body() = absl::StrCat(
      "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Sign-in</title>"
      "<body style=\"font-family:sans-serif;max-width:40em;margin:4em auto\">"
      "<h1>Sign-in did not complete</h1><p>",
      Escaped(message), "</p><p><a href=\"/\">Back to SOC Maturity</a></p></body></html>");
  r.prepare_payload();
  return r;
}

Response Redirect(const std::string& location) {
  Response r{http::status::found, 11};
  r.set(http::field::location, location);
  r.set(http::field::cache_control, "no-store");
  r.prepare_payload();
  return r;
}

std::string QueryValue(const Call& call, const char* name) {
  auto it = call.query.find(name);
  return it == call.query.end() ? "" : it->second;
}

void LogRefusal(const Call& call, const std::string& tenant, const std::string& why) {
  Log(LogLevel::kWarn, "sign-in refused",
      {{"request_id", call.request_id}, {"tenant", tenant}, {"reason", why}});
}

// SOCM_ASYNC for the identity stub that `holder` (a Deps) keeps.
#define SOCM_IDENTITY(holder, Method)                                                    \
  [stub = (holder)->identity](auto* context, auto* request, auto* response, auto done) { \
    stub->async()->Method(context, request, response, std::move(done));                  \
  }

struct Deps {
  Deps(const RouteContext& c, Stub stub, std::string redirect)
      : context(c), identity(std::move(stub)), redirect_uri(std::move(redirect)) {}
  const RouteContext& context;
  Stub identity;
  std::string redirect_uri;
  // When each (tenant, reason) of a refusal was last put in the tenant's audit log: once a
  // minute at most, so refusals a stranger provokes cannot flood the log.
  LruCache<std::string, std::chrono::steady_clock::time_point> audited{1000};
};

// The sign-in routes need no credential, so their rate limit is per client address.
std::optional<Response> Throttled(const Deps& deps, const Call& call) {
  const std::string address = ClientAddress(call.request, deps.context.trust_forwarded_for);
  auto wait = deps.context.limiter.Take("sign-in", address);
  if (!wait) return std::nullopt;
  Response r = SignInPage(http::status::too_many_requests,
                          "Too many sign-in attempts from here; wait a moment and try again.");
  r.set(http::field::retry_after, std::to_string((wait->count() + 999) / 1000));
  return r;
}

// A provider's error code as the audit log may keep it: its own words are not kept.
std::string ErrorCode(const std::string& error) {
  std::string out;
  for (char c : error.substr(0, 40)) {
    out += (absl::ascii_islower(static_cast<unsigned char>(c)) || c == '_') ? c : '?';
  }
  return out;
}

RouteHandler LoginRoute(std::shared_ptr<Deps> deps) {
  return [deps](CallPtr call, Respond respond) {
    if (deps->redirect_uri.empty() || deps->context.providers == nullptr) {
      return respond(SignInPage(http::status::service_unavailable,
                                "Signing in through an identity provider is not set up on this "
                                "server (the gateway has no --public-url)."));
    }
    if (auto refused = Throttled(*deps, *call)) return respond(std::move(*refused));
    const std::string slug = QueryValue(*call, "tenant");
    std::string back = QueryValue(*call, "returnTo");
    if (back.empty()) back = "/";
    if (slug.empty() || slug.size() > 64) {
      return respond(SignInPage(http::status::bad_request, "Name the tenant: ?tenant=<slug>."));
    }
    apb::FindSignInRequest find;
    find.set_tenant_slug(slug);
    UnaryCall<apb::SignInSettings>(
        *call, std::move(find), SOCM_IDENTITY(deps, FindSignIn),
        [deps, call, respond, back](absl::Status status, apb::SignInSettings& settings) {
          if (!status.ok()) {
            LogRefusal(*call, "", std::string(status.message()));
            return respond(SignInPage(status.code() == absl::StatusCode::kNotFound
                                          ? http::status::not_found
                                          : http::status::service_unavailable,
                                      status.code() == absl::StatusCode::kNotFound
                                          ? "No tenant of that name signs in here."
                                          : "The server cannot start a sign-in now."));
          }
          deps->context.providers->Metadata(
              settings.provider().issuer(),
              [deps, call, respond, back, settings](absl::StatusOr<oidc::ProviderMetadata> meta) {
                if (!meta.ok()) {
                  LogRefusal(*call, settings.tenant_id(), std::string(meta.status().message()));
                  return respond(SignInPage(http::status::bad_gateway,
                                            "The identity provider cannot be reached."));
                }
                const oidc::LoginFlow flow = oidc::NewLoginFlow();
                apb::SaveLoginFlowRequest save;
                save.set_state(flow.state);
                apb::LoginFlow* kept = save.mutable_flow();
                kept->set_tenant_id(settings.tenant_id());
                kept->set_nonce(flow.nonce);
                kept->set_code_verifier(flow.code_verifier);
                kept->set_return_to(back);
                *kept->mutable_expire_time() = TimeUtil::SecondsToTimestamp(
                    absl::ToUnixSeconds(absl::Now()) + kLoginFlowSeconds);
                std::vector<std::string> scopes(settings.provider().scopes().begin(),
                                                settings.provider().scopes().end());
                const std::string go = oidc::AuthorizationUrl(
                    *meta, settings.provider().client_id(), deps->redirect_uri, scopes, flow);
                UnaryCall<apb::SaveLoginFlowResponse>(
                    *call, std::move(save), SOCM_IDENTITY(deps, SaveLoginFlow),
                    [respond, go, state = flow.state](absl::Status saved,
                                                      apb::SaveLoginFlowResponse&) {
                      if (!saved.ok()) {
                        return respond(saved.code() == absl::StatusCode::kInvalidArgument
                                           ? SignInPage(http::status::bad_request,
                                                        "returnTo must be a path on this site.")
                                           : SignInPage(http::status::service_unavailable,
                                                        "The server cannot start a sign-in now."));
                      }
                      Response r = Redirect(go);
                      r.insert(http::field::set_cookie,
                               SetCookie(kLoginCookie, state, kLoginFlowSeconds));
                      respond(std::move(r));
                    },
                    /*as_gateway=*/true);
              });
        },
        /*as_gateway=*/true);
  };
}

// The callback's steps after the flow is taken, each a refusal page when it fails.
struct Callback {
  std::shared_ptr<Deps> deps;
  CallPtr call;
  Respond respond;
  apb::LoginFlow flow;
  apb::SignInSettings settings;
  oidc::ProviderMetadata metadata;
  std::string subject;

  // Answers the browser with `shown`; the tenant's audit log gets `why` (once the flow named
  // the tenant), before the answer, so what a browser saw is on record when it sees it.
  void Refuse(http::status status, const std::string& shown, const std::string& why,
              const std::string& subject = "") const {
    LogRefusal(*call, flow.tenant_id(), why);
    Response r = SignInPage(status, shown);
    r.insert(http::field::set_cookie, SetCookie(kLoginCookie, "", 0));
    if (flow.tenant_id().empty()) return respond(std::move(r));
    const std::string once = flow.tenant_id() + "\n" + why;
    const auto now = std::chrono::steady_clock::now();
    if (auto last = deps->audited.Get(once); last && now - *last < std::chrono::minutes(1)) {
      return respond(std::move(r));
    }
    deps->audited.Put(once, now);
    apb::RecordSignInRefusalRequest record;
    record.set_tenant_id(flow.tenant_id());
    record.set_reason(why.substr(0, 300));
    record.set_subject(subject);
    record.set_client_address(ClientAddress(call->request, deps->context.trust_forwarded_for));
    UnaryCall<apb::RecordSignInRefusalResponse>(
        *call, std::move(record), SOCM_IDENTITY(deps, RecordSignInRefusal),
        [respond = respond, r = std::move(r)](absl::Status status,
                                              apb::RecordSignInRefusalResponse&) mutable {
          if (!status.ok()) {
            Log(LogLevel::kWarn, "sign-in refusal not audited",
                {{"error", std::string(status.message())}});
          }
          respond(std::move(r));
        },
        /*as_gateway=*/true);
  }
};

void FinishSignIn(std::shared_ptr<Callback> cb, const std::string& id_token) {
  const std::string kid = oidc::TokenKeyId(id_token);
  cb->deps->context.providers->Keys(
      cb->metadata, kid,
      [cb, id_token](absl::StatusOr<std::shared_ptr<const oidc::ProviderKeys>> keys) {
        if (!keys.ok()) {
          return cb->Refuse(http::status::bad_gateway, "The identity provider cannot be reached.",
                            std::string(keys.status().message()));
        }
        oidc::TokenExpectations want;
        want.issuer = cb->settings.provider().issuer();
        want.audience = cb->settings.provider().client_id();
        want.nonce = cb->flow.nonce();
        want.max_age = kIdTokenMaxAge;
        auto verified =
            oidc::VerifyProviderToken(id_token, **keys, want, std::chrono::system_clock::now());
        if (!verified.ok()) {
          return cb->Refuse(http::status::unauthorized,
                            "The identity provider's answer was refused.",
                            std::string(verified.status().message()));
        }
        auto mapped = oidc::MapClaims(
            oidc::ClaimMappingFromProto(cb->settings.provider().claim_mapping()), verified->claims);
        if (!mapped.ok()) {
          return cb->Refuse(http::status::forbidden,
                            "Your account has no role here; ask your administrator.",
                            std::string(mapped.status().message()), verified->subject);
        }
        cb->subject = verified->subject;
        apb::CompleteSignInRequest complete;
        complete.set_tenant_id(cb->flow.tenant_id());
        complete.set_client_address(
            ClientAddress(cb->call->request, cb->deps->context.trust_forwarded_for));
        *complete.mutable_person() = PersonOf(want.issuer, *verified, *mapped);
        UnaryCall<apb::SignedIn>(
            *cb->call, std::move(complete), SOCM_IDENTITY(cb->deps, CompleteSignIn),
            [cb](absl::Status status, apb::SignedIn& signed_in) {
              if (!status.ok()) {
                return cb->Refuse(status.code() == absl::StatusCode::kResourceExhausted
                                      ? http::status::too_many_requests
                                      : http::status::forbidden,
                                  "The sign-in was refused.", std::string(status.message()),
                                  cb->subject);
              }
              const long max_age = std::max<long>(
                  1,
                  static_cast<long>(TimeUtil::TimestampToSeconds(signed_in.absolute_expire_time()) -
                                    absl::ToUnixSeconds(absl::Now())));
              Response r = Redirect(cb->flow.return_to().empty() ? "/" : cb->flow.return_to());
              SetSessionCookies(r, signed_in.session_token(), signed_in.csrf_token(), max_age);
              r.insert(http::field::set_cookie, SetCookie(kLoginCookie, "", 0));
              Log(LogLevel::kInfo, "signed in",
                  {{"request_id", cb->call->request_id},
                   {"tenant", cb->flow.tenant_id()},
                   {"person", signed_in.person().id()}});
              cb->respond(std::move(r));
            },
            /*as_gateway=*/true);
      });
}

void ExchangeCode(std::shared_ptr<Callback> cb, const std::string& code) {
  const std::string& sealed = cb->settings.sealed_client_secret();
  std::string secret;
  if (!sealed.empty()) {
    if (cb->deps->context.secrets == nullptr) {
      return cb->Refuse(http::status::service_unavailable, "The server cannot complete sign-ins.",
                        "no --secret-key-file to open the client secret");
    }
    auto opened = cb->deps->context.secrets->Open(sealed, cb->flow.tenant_id());
    if (!opened.ok()) {
      return cb->Refuse(http::status::service_unavailable, "The server cannot complete sign-ins.",
                        std::string(opened.status().message()));
    }
    secret = std::move(*opened);
  }
  oidc::LoginFlow flow;
  flow.code_verifier = cb->flow.code_verifier();
  std::string form = oidc::TokenRequestBody(code, cb->deps->redirect_uri, flow);
  std::string client_id = cb->settings.provider().client_id();
  cb->deps->context.providers->http().PostForm(
      cb->metadata.token_endpoint, std::move(form), std::move(client_id), std::move(secret),
      [cb](absl::StatusOr<oidc::HttpAnswer> answer) {
        if (!answer.ok()) {
          return cb->Refuse(http::status::bad_gateway, "The identity provider cannot be reached.",
                            std::string(answer.status().message()));
        }
        const auto body = nlohmann::json::parse(answer->body, nullptr, false);
        if (answer->status != 200 || !body.is_object() || !body.contains("id_token") ||
            !body["id_token"].is_string()) {
          // Only the status and the OAuth error code: the body may hold tokens.
          const std::string error =
              body.is_object() && body.contains("error") && body["error"].is_string()
                  ? ErrorCode(body["error"].get<std::string>())
                  : "";
          return cb->Refuse(http::status::unauthorized,
                            "The identity provider did not confirm the sign-in.",
                            absl::StrCat("the token endpoint answered HTTP ", answer->status,
                                         error.empty() ? "" : " error=", error));
        }
        FinishSignIn(cb, body["id_token"].get<std::string>());
      });
}

RouteHandler CallbackRoute(std::shared_ptr<Deps> deps) {
  return [deps](CallPtr call, Respond respond) {
    if (deps->redirect_uri.empty() || deps->context.providers == nullptr) {
      return respond(SignInPage(http::status::service_unavailable,
                                "Signing in is not set up on this server."));
    }
    if (auto refused = Throttled(*deps, *call)) return respond(std::move(*refused));
    const std::string state = QueryValue(*call, "state");
    const std::optional<std::string> started = CookieValue(call->request, kLoginCookie);
    // The flow must come back to the browser that started it (login CSRF).
    if (state.empty() || state.size() > 256 || !started || !ConstantTimeEquals(*started, state)) {
      LogRefusal(*call, "", "state missing or not this browser's");
      return respond(SignInPage(http::status::bad_request,
                                "This sign-in was not started in this browser; start again."));
    }
    apb::TakeLoginFlowRequest take;
    take.set_state(state);
    UnaryCall<apb::LoginFlow>(
        *call, std::move(take), SOCM_IDENTITY(deps, TakeLoginFlow),
        [deps, call, respond](absl::Status status, apb::LoginFlow& flow) {
          auto cb = std::make_shared<Callback>(Callback{deps, call, respond, flow, {}, {}, {}});
          if (!status.ok()) {
            return cb->Refuse(http::status::bad_request,
                              "This sign-in has expired or was already used; start again.",
                              std::string(status.message()));
          }
          if (const std::string error = QueryValue(*call, "error"); !error.empty()) {
            return cb->Refuse(http::status::unauthorized,
                              "The identity provider did not sign you in.",
                              "the provider answered error=" + ErrorCode(error));
          }
          const std::string code = QueryValue(*call, "code");
          if (code.empty() || code.size() > 2048) {
            return cb->Refuse(http::status::bad_request, "The sign-in came back incomplete.",
                              "no code");
          }
          apb::FindSignInRequest find;
          find.set_tenant_id(flow.tenant_id());
          UnaryCall<apb::SignInSettings>(
              *call, std::move(find), SOCM_IDENTITY(deps, FindSignIn),
              [cb, code](absl::Status found, apb::SignInSettings& settings) {
                if (!found.ok()) {
                  return cb->Refuse(http::status::forbidden,
                                    "This tenant no longer signs in through a provider.",
                                    std::string(found.message()));
                }
                cb->settings = settings;
                cb->deps->context.providers->Metadata(
                    settings.provider().issuer(),
                    [cb, code](absl::StatusOr<oidc::ProviderMetadata> meta) {
                      if (!meta.ok()) {
                        return cb->Refuse(http::status::bad_gateway,
                                          "The identity provider cannot be reached.",
                                          std::string(meta.status().message()));
                      }
                      cb->metadata = *meta;
                      ExchangeCode(cb, code);
                    });
              },
              /*as_gateway=*/true);
        },
        /*as_gateway=*/true);
  };
}

RouteHandler LogoutRoute(std::shared_ptr<Deps> deps) {
  return [deps](CallPtr call, Respond respond) {
    auto gone = [respond] {
      Response r{http::status::no_content, 11};
      r.set(http::field::cache_control, "no-store");
      SetSessionCookies(r, "", "", 0);
      respond(std::move(r));
    };
    const std::optional<std::string> session = CookieValue(call->request, kSessionCookie);
    if (!session) return gone();
    // Only the page that holds the session's CSRF token may end it.
    const std::optional<std::string> csrf = CookieValue(call->request, kCsrfCookie);
    const auto header = call->request.find(kCsrfHeader);
    if (!csrf || header == call->request.end() ||
        !ConstantTimeEquals(*csrf, std::string(header->value()))) {
      return respond(ErrorResponse(absl::PermissionDeniedError(
          "a signed-in write needs the X-CSRF-Token header (the __Host-socm_csrf cookie)")));
    }
    if (deps->context.auth.Forget(*session)) return gone();
    apb::EndSessionRequest end;
    end.set_session_token(*session);
    UnaryCall<apb::EndSessionResponse>(
        *call, std::move(end), SOCM_IDENTITY(deps, EndSession),
        [gone, respond](absl::Status status, apb::EndSessionResponse&) {
          if (!status.ok() && status.code() != absl::StatusCode::kNotFound) {
            return respond(ErrorResponse(status));
          }
          gone();
        },
        /*as_gateway=*/true);
  };
}

RouteHandler OperatorRoute(std::shared_ptr<Deps> deps) {
  return [deps](CallPtr call, Respond respond) {
    OperatorSessions* sessions = deps->context.auth.operator_sessions();
    if (sessions == nullptr) {
      return respond(ErrorResponse(absl::NotFoundError("operator access is not configured")));
    }
    const std::string address = ClientAddress(call->request, deps->context.trust_forwarded_for);
    if (auto wait = deps->context.limiter.Take("sign-in", address)) {
      Response r = ErrorResponse(absl::ResourceExhaustedError("too many sign-in attempts"));
      r.set(http::field::retry_after, std::to_string((wait->count() + 999) / 1000));
      return respond(std::move(r));
    }
    // JSON only: a form on another site cannot send it without the browser asking first.
    const auto type = call->request.find(http::field::content_type);
    if (type == call->request.end() ||
        !absl::StartsWithIgnoreCase(std::string(type->value()), "application/json")) {
      return respond(
          ErrorResponse(absl::InvalidArgumentError("the body must be application/json")));
    }
    const nlohmann::json body = nlohmann::json::parse(call->request.body(), nullptr, false);
    if (!body.is_object() || !body.contains("code") || !body["code"].is_string()) {
      return respond(ErrorResponse(absl::InvalidArgumentError("code: a string is required")));
    }
    auto started =
        sessions->Redeem(body["code"].get<std::string>(), OperatorSessions::Clock::now());
    if (!started) {
      Log(LogLevel::kWarn, "operator sign-in refused",
          {{"request_id", call->request_id}, {"client_address", address}});
      return respond(ErrorResponse(
          absl::UnauthenticatedError("the sign-in link is unknown, used or expired")));
    }
    Log(LogLevel::kInfo, "operator signed in",
        {{"request_id", call->request_id}, {"client_address", address}});
    const long max_age = static_cast<long>(started->lifetime.count());
    Response r{http::status::no_content, 11};
    r.set(http::field::cache_control, "no-store");
    SetSessionCookies(r, started->session_token, started->csrf_token, max_age);
    respond(std::move(r));
  };
}

}  // namespace

NamedHandlers SignInHandlers(const RouteContext& context) {
  auto deps = std::make_shared<Deps>(
      context, apb::IdentityService::NewStub(context.backends.assessment()),
      context.public_url.empty() ? "" : context.public_url + "/auth/callback");
  NamedHandlers out;
  out["auth_login"] = [deps](const RouteSpec&) { return LoginRoute(deps); };
  out["auth_callback"] = [deps](const RouteSpec&) { return CallbackRoute(deps); };
  out["auth_logout"] = [deps](const RouteSpec&) { return LogoutRoute(deps); };
  out["auth_operator"] = [deps](const RouteSpec&) { return OperatorRoute(deps); };
  return out;
}

}  // namespace socm::gateway
