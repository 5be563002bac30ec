#include "services/assessment/domain/audit_chain.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/crypto.h"

namespace socm::assessment {
namespace {

// Each part preceded by its length, so that no two different lists of parts give the same bytes.
void Part(std::string& out, std::string_view part) {
  const uint64_t n = part.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out.append(part);
}

}  // namespace

std::string ChainLink(std::string_view tenant, std::string_view previous,
                      const ChainedEntry& entry) {
  std::string message;
  message.reserve(128 + entry.doc.size());
  Part(message, "socm-audit-link-v1");
  Part(message, tenant);
  Part(message, previous);
  Part(message, absl::StrCat(entry.sequence));
  Part(message, entry.id);
  Part(message, entry.organization_id);
  Part(message, absl::StrCat(entry.time_micros));
  Part(message, entry.doc);
  return Sha256Hex(message);
}

namespace {

std::string KeyId(std::string_view key) {
  return Sha256Hex(std::string("socm-audit-key-id\n").append(key)).substr(0, 16);
}

std::string Mac(std::string_view key, std::string_view key_id, std::string_view tenant,
                const ChainSeal& seal) {
  std::string message;
  Part(message, "socm-audit-seal-v1");
  Part(message, tenant);
  Part(message, absl::StrCat(seal.sequence));
  Part(message, seal.link);
  Part(message, absl::StrCat(seal.time_micros));
  Part(message, key_id);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &out_len);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(out), static_cast<size_t>(out_len)));
}

}  // namespace

AuditSigner::AuditSigner(std::string key, std::vector<std::string> retired) : key_(std::move(key)) {
  if (key_.empty()) return;
  key_id_ = KeyId(key_);
  for (std::string& old : retired) {
    if (!old.empty()) keys_.emplace(KeyId(old), std::move(old));
  }
  keys_[key_id_] = key_;
}

bool AuditSigner::Holds(std::string_view key_id) const { return keys_.count(key_id) > 0; }

void AuditSigner::Sign(std::string_view tenant, ChainSeal& seal) const {
  seal.key_id = key_id_;
  seal.signature = enabled() ? Mac(key_, key_id_, tenant, seal) : "";
}

bool AuditSigner::Valid(std::string_view tenant, const ChainSeal& seal) const {
  if (!enabled()) return seal.key_id.empty() && seal.signature.empty();
  auto key = keys_.find(seal.key_id);
  return key != keys_.end() &&
         ConstantTimeEquals(seal.signature, Mac(key->second, key->first, tenant, seal));
}

void ChainVerifier::Break(int64_t sequence, std::string entry_id, std::string reason) {
  if (!break_) break_ = ChainBreak{sequence, std::move(entry_id), std::move(reason)};
}

void ChainVerifier::Entry(const ChainedEntry& entry) {
  if (break_) return;
  if (entry.sequence != next_) {
    return Break(
        next_, "",
        absl::StrCat("entry ", next_, " is missing: the chain goes on at ", entry.sequence));
  }
  // The next link follows from what was computed, not from what is stored, so one edited row
  // cannot hide behind a stored link that was edited with it.
  const std::string link = ChainLink(tenant_, previous_, entry);
  if (link != entry.link) {
    return Break(entry.sequence, entry.id,
                 absl::StrCat("entry ", entry.sequence,
                              " is not what was sealed: its content or its link was changed"));
  }
  previous_ = link;
  ++next_;
  ++entries_;
}

void ChainVerifier::Seal(const ChainSeal& seal) {
  if (break_) return;
  ++seals_;
  const std::string where = absl::StrCat(last_sealed_ + 1, " to ", seal.sequence);
  if (seal.sequence > last_sequence()) {
    return Break(last_sequence() + 1, "",
                 absl::StrCat("entries ", last_sequence() + 1, " to ", seal.sequence,
                              " are missing: a seal covers them"));
  }
  if (!signer_.enabled() && !seal.signature.empty()) {
    return Break(seal.sequence, "",
                 absl::StrCat("the seal at ", seal.sequence,
                              " is signed but no audit key is configured to check it"));
  }
  if (signer_.enabled() && !signer_.Holds(seal.key_id)) {
    return Break(
        seal.sequence, "",
        absl::StrCat("the seal at ", seal.sequence,
                     seal.key_id.empty() ? " is not signed"
                                         : " was signed with a key this service does not hold (" +
                                               seal.key_id + ")"));
  }
  if (seal.sequence == last_sequence() && seal.link != previous_) {
    return Break(
        seal.sequence, "",
        absl::StrCat("the seal at ", seal.sequence, " does not match the chain: some of entries ",
                     where, " were changed and their links recomputed"));
  }
  if (!signer_.Valid(tenant_, seal)) {
    return Break(seal.sequence, "",
                 absl::StrCat("the seal at ", seal.sequence,
                              " has a signature that does not verify: it was changed or forged"));
  }
  last_sealed_ = seal.sequence;
}

void ChainVerifier::Finish() {
  if (break_ || last_sealed_ >= last_sequence()) return;
  Break(last_sealed_ + 1, "",
        absl::StrCat("entries ", last_sealed_ + 1, " to ", last_sequence(),
                     " are covered by no seal: a seal was removed"));
}

}  // namespace socm::assessment
