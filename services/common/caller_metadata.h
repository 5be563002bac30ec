#pragma once
// A Caller on the wire between the suite's components: the gateway writes it
// into a call's metadata once the credential is verified, every service reads
// it back with CallerFromMetadata, and a service calling another passes it on
// with AddCallerMetadata. Example:
//   const Caller caller = CallerFromMetadata(*context);
//   grpc::ClientContext next;
//   AddCallerMetadata(caller, next);

#include <grpcpp/client_context.h>
#include <grpcpp/server_context.h>

#include "services/common/caller.h"

namespace socm {

Caller CallerFromMetadata(const grpc::CallbackServerContext& context);
void AddCallerMetadata(const Caller& caller, grpc::ClientContext& context);

}  // namespace socm
