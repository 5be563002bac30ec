#pragma once
// The revision board: each assessment's committed revision, kept in Redis by the assessment
// service, so that a reader holding a copy of something derived from an assessment (the
// gateway's score JSON, scoring's score) can tell it is still current without asking the
// assessment service. It is only ever a shortcut: whenever the board cannot vouch for a
// revision (no entry, a write in progress, Redis unreachable, an entry that does not open
// with the suite's cache key), the reader takes the full path.
//
// Per assessment, two keys in one hash slot:
//   {t:TENANT:assessment:ID}:rev   "REVISION:ORGANIZATION", signed (signed_value.h), or "gone"
//   {t:TENANT:assessment:ID}:hold  the number of writes in progress (expires on its own)
//   {t:TENANT:assessment:ID}:floor the highest revision ever published (offers go no lower)
// A writer Holds before its transaction opens (which also removes the entry), and after the
// commit Publishes the new revision (raised only, never lowered) and lets go of its hold,
// before it answers its caller. A reader trusts an entry only while no hold exists. So a
// read that starts after a write was answered sees that write's revision or no entry, on any
// replica; a writer that dies between commit and publish leaves a hold that expires, and the
// entry it removed stays removed. The race analysis is in BENCHMARKS.md (issue 12).
//   board.Hold(tenant, id) -> write -> board.Publish(tenant, org, id, revision)
//   if (auto e = board.Current(tenant, id); e && e->revision == mine && e->org == org) ...

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "services/common/redis_cache.h"

namespace socm {

class RevisionBoard {
 public:
  // `redis` disabled (no address) makes a board that vouches for nothing and holds nothing.
  explicit RevisionBoard(RedisCache& redis) : redis_(redis) {}

  bool enabled() const { return redis_.enabled(); }

  // Before a write's transaction: UNAVAILABLE when the board cannot be told (the write must
  // then not happen, or a reader elsewhere could keep serving the revision before it).
  absl::Status Hold(const std::string& tenant, const std::string& assessment);
  // After the commit: the new revision, raised only; the hold let go.
  void Publish(const std::string& tenant, const std::string& org, const std::string& assessment,
               int64_t revision);
  // After a write that did not commit: the hold let go (its entry stays removed).
  void Release(const std::string& tenant, const std::string& assessment);
  // After the assessment was deleted: an entry that no publish or offer replaces. `held`: the
  // deleter held it (and lets go now).
  void Bury(const std::string& tenant, const std::string& assessment, bool held = true);
  // A reader that has just read `revision` from the system of record: recorded only when no
  // write is in progress, there is no entry yet, and no later revision was ever published.
  void Offer(const std::string& tenant, const std::string& org, const std::string& assessment,
             int64_t revision);

  struct Entry {
    std::string org;
    int64_t revision = 0;
  };
  // The committed revision while no write is in progress; nothing otherwise.
  std::optional<Entry> Current(const std::string& tenant, const std::string& assessment);
  // The same without blocking the caller: `done` runs on the Redis pipeline's thread (or at
  // once when Redis is off or known down), so it must only hand work on.
  void CurrentAsync(const std::string& tenant, const std::string& assessment,
                    std::function<void(std::optional<Entry>)> done);

  // A hold lasts at most this long (a writer that dies holding it), and so does an entry
  // published while another write still holds.
  static constexpr std::chrono::milliseconds kHoldTtl{60000};
  // An entry lasts this long after its last publish or offer.
  static constexpr std::chrono::seconds kEntryTtl{24 * 3600};
  // The highest revision published lasts this long after its last publish.
  static constexpr std::chrono::seconds kFloorTtl{2 * kEntryTtl};

 private:
  // The entry an MGET of (entry, hold) vouches for.
  std::optional<Entry> Vouched(const std::string& entry_key,
                               const RedisCache::MultiGetResult& both);

  RedisCache& redis_;
};

}  // namespace socm
