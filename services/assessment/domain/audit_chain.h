#pragma once
// The audit log's chain. Writers append entries as they commit, without ordering among
// themselves; a sealer then takes each tenant's committed, unsealed entries and links them in
// the order it takes them (sequence 1, 2, …): an entry's link is the SHA-256 of the previous
// link and the entry's stored bytes. Every sealing pass ends in a seal: the head it reached,
// signed (HMAC-SHA256) with a key the database does not hold. Editing, removing or reordering
// a sealed entry breaks its link; recomputing the links after an edit breaks the next seal,
// which someone with only the database cannot sign again.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace socm::assessment {

// One sealed entry as stored: the columns its link covers and the link stored beside it.
struct ChainedEntry {
  int64_t sequence = 0;
  std::string id;
  std::string organization_id;
  int64_t time_micros = 0;
  std::string doc;
  std::string link;
};

// The head of the chain after a sealing pass: the last sequence it covers and that entry's link.
struct ChainSeal {
  int64_t sequence = 0;
  std::string link;
  int64_t time_micros = 0;
  std::string key_id;     // "" when no key was configured
  std::string signature;  // hex HMAC-SHA256; "" when unsigned
};

// The link of `entry` in `tenant`'s chain after `previous` ("" before the first entry).
std::string ChainLink(std::string_view tenant, std::string_view previous,
                      const ChainedEntry& entry);

// Signs and checks seals with the audit key. Without a key, seals are unsigned and only
// accidental damage shows. Keys the current one replaced ("retired") still check the seals they
// made, so the key can be rotated without breaking the chain: new seals use the current key,
// and the sealer goes on from a seal a retired key made.
class AuditSigner {
 public:
  explicit AuditSigner(std::string key = "", std::vector<std::string> retired = {});
  bool enabled() const { return !key_.empty(); }
  // A short public name of the key (the start of its SHA-256), so a seal says which key made it.
  const std::string& key_id() const { return key_id_; }
  // Whether the current key or a retired one has this id.
  bool Holds(std::string_view key_id) const;
  // Fills key_id and signature.
  void Sign(std::string_view tenant, ChainSeal& seal) const;
  bool Valid(std::string_view tenant, const ChainSeal& seal) const;

 private:
  std::string key_;
  std::string key_id_;
  // Every key held, current and retired, by id.
  std::map<std::string, std::string, std::less<>> keys_;
};

struct ChainBreak {
  int64_t sequence = 0;
  std::string entry_id;  // "" when the break is a missing entry or a seal
  std::string reason;
};

// Checks one tenant's chain. Feed the sealed entries in sequence order and each seal right
// after the entry it covers (or when no entry with its sequence came); the first break is kept
// and later input ignored.
class ChainVerifier {
 public:
  ChainVerifier(std::string tenant, const AuditSigner& signer)
      : tenant_(std::move(tenant)), signer_(signer) {}
  void Entry(const ChainedEntry& entry);
  void Seal(const ChainSeal& seal);
  // After the last entry and seal: entries past the last seal are a break, since a seal
  // removed with the entries it covered, or recomputed links with their seals deleted, would
  // otherwise pass.
  void Finish();
  // The last sequence given a link; seals beyond it cover entries that are gone.
  int64_t last_sequence() const { return next_ - 1; }
  int64_t entries_checked() const { return entries_; }
  int64_t seals_checked() const { return seals_; }
  const std::optional<ChainBreak>& first_break() const { return break_; }

 private:
  void Break(int64_t sequence, std::string entry_id, std::string reason);
  std::string tenant_;
  const AuditSigner& signer_;
  int64_t next_ = 1;
  std::string previous_;
  int64_t last_sealed_ = 0;
  int64_t entries_ = 0;
  int64_t seals_ = 0;
  std::optional<ChainBreak> break_;
};

}  // namespace socm::assessment
