#pragma once
// What the assessment process's RPC handlers share: the write options of a request (time,
// idempotency key and request hash), the scope check of an organisation and list paging.
// Their bodies run on the process's WorkQueue (work_queue.h) and return the call's status.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/assessment/store/assessment_store.h"
#include "services/common/crypto.h"
#include "services/common/status.h"

namespace socm::assessment::handlers {

inline constexpr char kIdempotencyMetadata[] = "idempotency-key";

inline std::string IdempotencyKey(grpc::CallbackServerContext* context) {
  const auto& md = context->client_metadata();
  auto it = md.find(kIdempotencyMetadata);
  return it == md.end() ? "" : std::string(it->second.data(), it->second.size());
}

inline int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline WriteOptions Write(grpc::CallbackServerContext* context,
                          const google::protobuf::Message& request, const char* method) {
  WriteOptions ctx;
  ctx.now_micros = NowMicros();
  ctx.idempotency_key = IdempotencyKey(context);
  if (!ctx.idempotency_key.empty()) {
    std::string bytes;
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
    coded.Trim();
    ctx.request_hash = Sha256Hex(absl::StrCat(method, "\n", bytes));
  }
  return ctx;
}

inline absl::Status NeedTenant(const Caller& caller) {
  if (caller.tenant.empty())
    return absl::UnauthenticatedError("this call needs a tenant's API key");
  return absl::OkStatus();
}

// An org-pinned key sees its organisation only; any other is NOT_FOUND.
inline absl::Status CheckOrg(const Caller& caller, const std::string& org) {
  SOCM_STATUS_RETURN(NeedTenant(caller));
  if (org.empty()) return InvalidFields({Violation("organizationId", "required")});
  if (!caller.MaySee(org)) {
    return absl::NotFoundError(absl::StrCat("organization ", org, " not found"));
  }
  return absl::OkStatus();
}

inline absl::StatusOr<Page> PageOfRequest(int page_size, const std::string& token) {
  Page page;
  std::vector<FieldViolation> v;
  if (page_size < 0 || page_size > 500) v.push_back(Violation("pageSize", "must be 0..500"));
  page.limit = page_size == 0 ? 50 : page_size;
  if (!token.empty() && (!absl::SimpleAtoi(token, &page.offset) || page.offset < 0)) {
    v.push_back(Violation("pageToken", "not a token from this list"));
  }
  if (!v.empty()) return InvalidFields(v);
  return page;
}

inline std::string NextToken(const Page& page, bool more) {
  return more ? absl::StrCat(page.offset + page.limit) : "";
}

}  // namespace socm::assessment::handlers
