#pragma once
// The IdentityService RPCs: a tenant's identity provider and people (a tenant admin's), and
// the sign-in steps the gateway takes as the relying party (login flows, people's sign-ins,
// sessions), translated between the wire and the stores. The tenant comes from the caller's
// metadata, or for the gateway's steps from the flow or session the gateway presents; those
// steps answer the gateway alone, never a person's credential.
#include <atomic>

#include "services/assessment/store/sql_identity_providers.h"
#include "services/assessment/store/sql_people.h"
#include "services/assessment/store/sql_sign_in.h"
#include "services/common/work_queue.h"
#include "soc/maturity/assessment/v1/identity.grpc.pb.h"

namespace socm::assessment {

class IdentityServiceImpl final : public pb::IdentityService::CallbackService {
 public:
  // Every argument must outlive the service.
  IdentityServiceImpl(WorkQueue& work, SqlIdentityProviderStore& providers, SqlPeopleStore& people,
                      SqlSignInStore& sign_in, SessionLimits limits = {})
      : work_(work), providers_(providers), people_(people), sign_in_(sign_in), limits_(limits) {}

#define SOCM_RPC(Method, Request, Response)                              \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const pb::Request* request, pb::Response* response) override;
  SOCM_RPC(GetIdentityProvider, GetIdentityProviderRequest, IdentityProvider)
  SOCM_RPC(UpdateIdentityProvider, UpdateIdentityProviderRequest, IdentityProvider)
  SOCM_RPC(DeleteIdentityProvider, DeleteIdentityProviderRequest, DeleteIdentityProviderResponse)
  SOCM_RPC(ListPeople, ListPeopleRequest, ListPeopleResponse)
  SOCM_RPC(UpdatePerson, UpdatePersonRequest, Person)
  SOCM_RPC(FindSignIn, FindSignInRequest, SignInSettings)
  SOCM_RPC(SaveLoginFlow, SaveLoginFlowRequest, SaveLoginFlowResponse)
  SOCM_RPC(TakeLoginFlow, TakeLoginFlowRequest, LoginFlow)
  SOCM_RPC(CompleteSignIn, CompleteSignInRequest, SignedIn)
  SOCM_RPC(TouchSession, TouchSessionRequest, Session)
  SOCM_RPC(EndSession, EndSessionRequest, EndSessionResponse)
  SOCM_RPC(RecordSignInRefusal, RecordSignInRefusalRequest, RecordSignInRefusalResponse)
#undef SOCM_RPC

 private:
  // Expired flows and sessions are purged as flows begin, at most this often.
  static constexpr int64_t kPurgeEveryMicros = 60LL * 1000000;
  std::atomic<int64_t> last_purge_micros_{0};
  WorkQueue& work_;
  SqlIdentityProviderStore& providers_;
  SqlPeopleStore& people_;
  SqlSignInStore& sign_in_;
  SessionLimits limits_;
};

// A stored person on the wire.
pb::Person PersonMessage(const PersonRecord& person);

}  // namespace socm::assessment
