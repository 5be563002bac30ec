#include "services/common/revision_board.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace socm {
namespace {

// Both keys of an assessment share the braces' hash tag, so one script may touch both on a
// Redis cluster; the tenant leads, as in every signed cache name.
std::string Tag(const std::string& tenant, const std::string& assessment) {
  return absl::StrCat("{t:", tenant, ":assessment:", assessment, "}");
}
std::string EntryKey(const std::string& tag) { return tag + ":rev"; }
std::string HoldKey(const std::string& tag) { return tag + ":hold"; }
std::string FloorKey(const std::string& tag) { return tag + ":floor"; }
std::string EntryValue(const std::string& org, int64_t revision) {
  return absl::StrCat(revision, ":", org);
}

constexpr char kGone[] = "gone";

// Lets go of one hold: the count goes down, and the key goes at zero.
#define SOCM_LET_GO                                              \
  "local n = tonumber(redis.call('GET', KEYS[2]) or '0') or 0\n" \
  "if n > 1 then redis.call('DECR', KEYS[2]) else redis.call('DEL', KEYS[2]) end\n"

// KEYS: entry, hold. ARGV: hold ttl ms.
constexpr char kHold[] =
    "local n = redis.call('INCR', KEYS[2])\n"
    "redis.call('PEXPIRE', KEYS[2], ARGV[1])\n"
    "if redis.call('GET', KEYS[1]) ~= 'gone' then redis.call('DEL', KEYS[1]) end\n"
    "return n\n";

// KEYS: entry, hold, floor. ARGV: the signed entry, its revision, entry ttl s, floor ttl s.
// The revision sits after the signature's 34 bytes ("s1" and the MAC), before the colon. The
// floor (the highest revision ever published) outlives holds and entries: no offer goes below.
constexpr char kPublish[] =
    "local floor = tonumber(redis.call('GET', KEYS[3]) or '0') or 0\n"
    "if tonumber(ARGV[2]) > floor then floor = tonumber(ARGV[2]) end\n"
    "redis.call('SET', KEYS[3], floor, 'EX', ARGV[4])\n"
    "local cur = redis.call('GET', KEYS[1])\n" SOCM_LET_GO
    "if cur == 'gone' then return 0 end\n"
    "local have = cur and tonumber(string.match(string.sub(cur, 35), '^(%d+):') or '0') or 0\n"
    "if not cur or have < tonumber(ARGV[2]) then\n"
    "  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])\n"
    "end\n"
    // Another write still in progress: this entry must not outlive its hold.
    "local left = redis.call('PTTL', KEYS[2])\n"
    "if left > 0 then redis.call('PEXPIRE', KEYS[1], left) end\n"
    "return 1\n";

// KEYS: entry, hold.
constexpr char kRelease[] = SOCM_LET_GO "return 1\n";

// KEYS: entry, hold. ARGV: entry ttl s, "1" when the burier holds (it lets go then).
constexpr char kBury[] = "if ARGV[2] == '1' then\n" SOCM_LET_GO
                         "end\n"
                         "redis.call('SET', KEYS[1], 'gone', 'EX', ARGV[1])\n"
                         "return 1\n";

// KEYS: entry, hold, floor. ARGV: the signed entry, entry ttl s, its revision. A revision
// below the floor was read before a write that has since been published: refused, even when
// a later write that failed has left the board empty.
constexpr char kOffer[] =
    "if redis.call('EXISTS', KEYS[2]) == 1 or redis.call('EXISTS', KEYS[1]) == 1 then\n"
    "  return 0\n"
    "end\n"
    "if tonumber(ARGV[3]) < (tonumber(redis.call('GET', KEYS[3]) or '0') or 0) then\n"
    "  return 0\n"
    "end\n"
    "redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])\n"
    "return 1\n";

#undef SOCM_LET_GO

}  // namespace

absl::Status RevisionBoard::Hold(const std::string& tenant, const std::string& assessment) {
  if (!enabled()) return absl::OkStatus();
  const std::string tag = Tag(tenant, assessment);
  if (!redis_.EvalInt(kHold, {EntryKey(tag), HoldKey(tag)}, {std::to_string(kHoldTtl.count())})) {
    return absl::UnavailableError(
        "the shared revision board (Redis) cannot be reached, so the write was not made; "
        "nothing changed, retry");
  }
  return absl::OkStatus();
}

void RevisionBoard::Publish(const std::string& tenant, const std::string& org,
                            const std::string& assessment, int64_t revision) {
  if (!enabled()) return;
  const std::string tag = Tag(tenant, assessment);
  const std::string entry = EntryKey(tag);
  redis_.EvalInt(kPublish, {entry, HoldKey(tag), FloorKey(tag)},
                 {redis_.Sign(entry, EntryValue(org, revision)), std::to_string(revision),
                  std::to_string(kEntryTtl.count()), std::to_string(kFloorTtl.count())});
}

void RevisionBoard::Release(const std::string& tenant, const std::string& assessment) {
  if (!enabled()) return;
  const std::string tag = Tag(tenant, assessment);
  redis_.EvalInt(kRelease, {EntryKey(tag), HoldKey(tag)}, {});
}

void RevisionBoard::Bury(const std::string& tenant, const std::string& assessment, bool held) {
  if (!enabled()) return;
  const std::string tag = Tag(tenant, assessment);
  redis_.EvalInt(kBury, {EntryKey(tag), HoldKey(tag)},
                 {std::to_string(kEntryTtl.count()), held ? "1" : "0"});
}

void RevisionBoard::Offer(const std::string& tenant, const std::string& org,
                          const std::string& assessment, int64_t revision) {
  if (!enabled()) return;
  const std::string tag = Tag(tenant, assessment);
  const std::string entry = EntryKey(tag);
  redis_.EvalInt(kOffer, {entry, HoldKey(tag), FloorKey(tag)},
                 {redis_.Sign(entry, EntryValue(org, revision)), std::to_string(kEntryTtl.count()),
                  std::to_string(revision)});
}

std::optional<RevisionBoard::Entry> RevisionBoard::Current(const std::string& tenant,
                                                           const std::string& assessment) {
  if (!enabled()) return std::nullopt;
  const std::string tag = Tag(tenant, assessment);
  const std::string entry_key = EntryKey(tag);
  return Vouched(entry_key, redis_.MultiGetRaw({entry_key, HoldKey(tag)}));
}

void RevisionBoard::CurrentAsync(const std::string& tenant, const std::string& assessment,
                                 std::function<void(std::optional<Entry>)> done) {
  if (!enabled()) return done(std::nullopt);
  const std::string tag = Tag(tenant, assessment);
  std::string entry_key = EntryKey(tag);
  std::vector<std::string> keys = {entry_key, HoldKey(tag)};
  redis_.MultiGetRawAsync(std::move(keys),
                          [this, entry_key = std::move(entry_key), done = std::move(done)](
                              RedisCache::MultiGetResult both) { done(Vouched(entry_key, both)); });
}

std::optional<RevisionBoard::Entry> RevisionBoard::Vouched(const std::string& entry_key,
                                                           const RedisCache::MultiGetResult& both) {
  if (!both || (*both)[1].has_value() || !(*both)[0].has_value() || *(*both)[0] == kGone) {
    return std::nullopt;
  }
  std::optional<std::string> value = redis_.Open(entry_key, *(*both)[0]);
  if (!value) return std::nullopt;
  const size_t colon = value->find(':');
  Entry out;
  if (colon == std::string::npos || !absl::SimpleAtoi(value->substr(0, colon), &out.revision)) {
    return std::nullopt;
  }
  out.org = value->substr(colon + 1);
  return out;
}

}  // namespace socm
