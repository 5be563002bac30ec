#pragma once
// The people of a tenant who sign in through its identity provider: one record per
// (issuer, subject), made at the first sign-in and brought up to date at each one (email,
// name, last sign-in, and the role and organisation scope the provider's claims map to).
// An admin may set a person's role and scope instead; sign-ins then keep what the admin set.
// Every change is in the tenant's audit log, named by the person or the admin. Example:
//   SqlPeopleStore people(database);
//   auto person = people.RecordSignIn({tenant, issuer, sub, email, name, role, orgs}, now,
//                                     client_address);
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/caller.h"
#include "services/common/db/db.h"

namespace socm::assessment {

// A tenant's people at most (a sign-in past it is refused, not a record overwritten).
inline constexpr int64_t kMaxPeoplePerTenant = 100000;

// What one sign-in says about the person (the claims mapped by the tenant's mapping).
struct SignInClaims {
  std::string tenant;
  std::string issuer;
  std::string subject;
  std::string email;
  std::string display_name;
  Role role = Role::kNone;
  // Empty: every organisation of the tenant. Otherwise the only ones the person sees.
  std::vector<std::string> organizations;
};

// A person as stored: what their last sign-in said (or, for role and scope, an admin).
struct PersonRecord : SignInClaims {
  std::string id;
  // The role and scope were set by an admin, and sign-ins no longer change them.
  bool set_by_admin = false;
  int64_t create_micros = 0;
  int64_t last_sign_in_micros = 0;
};

class SqlPeopleStore {
 public:
  // `database` must outlive this.
  explicit SqlPeopleStore(db::Database& database) : db_(database) {}

  // The person after this sign-in (made on the first), and a "person.sign_in" audit entry.
  absl::StatusOr<PersonRecord> RecordSignIn(const SignInClaims& claims, int64_t now_micros,
                                            const std::string& client_address);
  // The tenant's people, by email then id.
  absl::StatusOr<std::vector<PersonRecord>> List(const std::string& tenant);
  // A refused sign-in of the tenant: a "person.sign_in_refused" entry naming the subject (when
  // known) and the reason, with the person's id when the subject is someone known.
  absl::Status RecordRefusal(const std::string& tenant, const std::string& subject,
                             const std::string& reason, int64_t now_micros,
                             const std::string& client_address);
  // NOT_FOUND for another tenant's person, as for none.
  absl::StatusOr<PersonRecord> Get(const std::string& tenant, const std::string& id);
  // An admin sets the person's role (viewer, assessor or admin) and scope: "person.update".
  absl::StatusOr<PersonRecord> SetAccess(const Caller& admin, const std::string& id, Role role,
                                         const std::vector<std::string>& organizations,
                                         int64_t now_micros);

 private:
  db::Database& db_;
};

}  // namespace socm::assessment
