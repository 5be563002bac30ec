#include "services/assessment/domain/audit_chain.h"

#include <gtest/gtest.h>

#include <vector>

#include "absl/strings/str_cat.h"

namespace socm::assessment {
namespace {

const std::string kKey(32, 'k');

struct Chain {
  std::vector<ChainedEntry> entries;
  std::vector<ChainSeal> seals;
};

// `n` entries sealed every `seal_every` entries and at the end, as the sealer would.
Chain Sealed(const std::string& tenant, int n, int seal_every, const AuditSigner& signer) {
  Chain chain;
  std::string previous;
  for (int i = 1; i <= n; ++i) {
    ChainedEntry e{i,
                   absl::StrCat("e", i),
                   "org_1",
                   1000 + i,
                   absl::StrCat(R"({"action":"assessment.answers.update","n":)", i, "}"),
                   ""};
    e.link = ChainLink(tenant, previous, e);
    previous = e.link;
    chain.entries.push_back(e);
    if (i % seal_every == 0 || i == n) {
      ChainSeal seal{i, e.link, 5000 + i, "", ""};
      signer.Sign(tenant, seal);
      chain.seals.push_back(seal);
    }
  }
  return chain;
}

struct Verdict {
  std::optional<ChainBreak> brk;
  int64_t entries = 0;
  int64_t seals = 0;
  const std::optional<ChainBreak>& first_break() const { return brk; }
  int64_t entries_checked() const { return entries; }
  int64_t seals_checked() const { return seals; }
};

Verdict Verify(const std::string& tenant, const Chain& chain, const AuditSigner& signer) {
  ChainVerifier verifier(tenant, signer);
  size_t s = 0;
  for (const ChainedEntry& e : chain.entries) {
    verifier.Entry(e);
    while (s < chain.seals.size() && chain.seals[s].sequence <= e.sequence) {
      verifier.Seal(chain.seals[s++]);
    }
  }
  while (s < chain.seals.size()) verifier.Seal(chain.seals[s++]);
  verifier.Finish();
  return {verifier.first_break(), verifier.entries_checked(), verifier.seals_checked()};
}

TEST(AuditChainTest, AnUntouchedChainVerifies) {
  const AuditSigner signer(kKey);
  const Chain chain = Sealed("tn_1", 25, 10, signer);
  const Verdict v = Verify("tn_1", chain, signer);
  EXPECT_FALSE(v.first_break().has_value()) << v.first_break()->reason;
  EXPECT_EQ(v.entries_checked(), 25);
  EXPECT_EQ(v.seals_checked(), 3);
}

TEST(AuditChainTest, AnEditedEntryIsNamed) {
  const AuditSigner signer(kKey);
  Chain chain = Sealed("tn_1", 25, 10, signer);
  chain.entries[12].doc = R"({"action":"assessment.answers.update","n":999})";
  const Verdict v = Verify("tn_1", chain, signer);
  ASSERT_TRUE(v.first_break().has_value());
  EXPECT_EQ(v.first_break()->sequence, 13);
  EXPECT_EQ(v.first_break()->entry_id, "e13");
  EXPECT_NE(v.first_break()->reason.find("not what was sealed"), std::string::npos);
}

TEST(AuditChainTest, EveryColumnTheLinkCoversIsChecked) {
  const AuditSigner signer(kKey);
  for (int field = 0; field < 4; ++field) {
    Chain chain = Sealed("tn_1", 5, 5, signer);
    ChainedEntry& e = chain.entries[2];
    if (field == 0) e.id = "e99";
    if (field == 1) e.organization_id = "org_2";
    if (field == 2) e.time_micros += 1;
    if (field == 3) e.link[0] = e.link[0] == 'a' ? 'b' : 'a';
    const Verdict v = Verify("tn_1", chain, signer);
    ASSERT_TRUE(v.first_break().has_value()) << field;
    EXPECT_EQ(v.first_break()->sequence, 3) << field;
  }
}

TEST(AuditChainTest, ARemovedOrReorderedEntryIsNamed) {
  const AuditSigner signer(kKey);
  Chain removed = Sealed("tn_1", 8, 4, signer);
  removed.entries.erase(removed.entries.begin() + 5);
  Verdict v = Verify("tn_1", removed, signer);
  ASSERT_TRUE(v.first_break().has_value());
  EXPECT_EQ(v.first_break()->sequence, 6);
  EXPECT_NE(v.first_break()->reason.find("missing"), std::string::npos);

  Chain swapped = Sealed("tn_1", 8, 4, signer);
  std::swap(swapped.entries[1].doc, swapped.entries[2].doc);
  v = Verify("tn_1", swapped, signer);
  ASSERT_TRUE(v.first_break().has_value());
  EXPECT_EQ(v.first_break()->sequence, 2);
}

TEST(AuditChainTest, RemovingTheNewestEntriesBreaksTheSealThatCoveredThem) {
  const AuditSigner signer(kKey);
  Chain chain = Sealed("tn_1", 8, 4, signer);
  chain.entries.resize(6);
  const Verdict v = Verify("tn_1", chain, signer);
  ASSERT_TRUE(v.first_break().has_value());
  EXPECT_EQ(v.first_break()->sequence, 7);
  EXPECT_NE(v.first_break()->reason.find("entries 7 to 8 are missing"), std::string::npos);
}

// Someone with the database alone edits an entry and recomputes every link after it: every
// link checks, and the next seal, which they cannot sign, does not.
TEST(AuditChainTest, RecomputedLinksAreCaughtByTheSignedSeal) {
  const AuditSigner signer(kKey);
  Chain chain = Sealed("tn_1", 25, 10, signer);
  chain.entries[12].doc = R"({"action":"assessment.answers.update","n":999})";
  std::string previous = chain.entries[11].link;
  for (size_t i = 12; i < chain.entries.size(); ++i) {
    chain.entries[i].link = ChainLink("tn_1", previous, chain.entries[i]);
    previous = chain.entries[i].link;
  }
  Verdict v = Verify("tn_1", chain, signer);
  ASSERT_TRUE(v.first_break().has_value());
  EXPECT_EQ(v.first_break()->sequence, 20);
  EXPECT_NE(v.first_break()->reason.find("some of entries 11 to 20 were changed"),
            std::string::npos);

  // They also rewrite the seals' links: the signatures no longer verify.
  chain.seals[1].link = chain.entries[19].link;
  chain.seals[2].link = chain.entries[24].link;
  v = Verify("tn_1", chain, signer);
  ASSERT_TRUE(v.first_break().has_value());
  EXPECT_EQ(v.first_break()->sequence, 20);
  EXPECT_NE(v.first_break()->reason.find("does not verify"), std::string::npos);

  // And sign them with a key of their own.
  const AuditSigner theirs(std::string(32, 'x'));
  theirs.Sign("tn_1", chain.seals[1]);
  v = Verify("tn_1", chain, signer);
  ASSERT_TRUE(v.first_break().has_value());
  EXPECT_NE(v.first_break()->reason.find("a key this service does not hold"), std::string::npos);
}

// Recomputed links with the seals that would catch them deleted: the entries past the last
// remaining seal are covered by none.
TEST(AuditChainTest, EntriesPastTheLastSealAreABreak) {
  const AuditSigner signer(kKey);
  Chain chain = Sealed("tn_1", 25, 10, signer);
  chain.entries[12].doc = R"({"action":"assessment.answers.update","n":999})";
  std::string previous = chain.entries[11].link;
  for (size_t i = 12; i < chain.entries.size(); ++i) {
    chain.entries[i].link = ChainLink("tn_1", previous, chain.entries[i]);
    previous = chain.entries[i].link;
  }
  chain.seals.resize(1);  // only the seal at 10 is left
  const Verdict v = Verify("tn_1", chain, signer);
  ASSERT_TRUE(v.first_break().has_value());
  EXPECT_EQ(v.first_break()->sequence, 11);
  EXPECT_NE(v.first_break()->reason.find("entries 11 to 25 are covered by no seal"),
            std::string::npos);
}

TEST(AuditChainTest, ChainsAreBoundToTheirTenant) {
  const AuditSigner signer(kKey);
  const Chain chain = Sealed("tn_1", 5, 5, signer);
  const Verdict v = Verify("tn_2", chain, signer);
  ASSERT_TRUE(v.first_break().has_value());
  EXPECT_EQ(v.first_break()->sequence, 1);
}

TEST(AuditChainTest, UnsignedSealsAreRefusedOnceAKeyIsConfigured) {
  const AuditSigner none;
  const Chain chain = Sealed("tn_1", 5, 5, none);
  EXPECT_FALSE(Verify("tn_1", chain, none).first_break().has_value());
  const Verdict v = Verify("tn_1", chain, AuditSigner(kKey));
  ASSERT_TRUE(v.first_break().has_value());
  EXPECT_NE(v.first_break()->reason.find("is not signed"), std::string::npos);
}

// Rotating the key: seals of the old key verify once it is held as retired, new seals use the
// new key, and a key nobody configured still does not verify.
TEST(AuditChainTest, SealsOfARetiredKeyStillVerifyAfterARotation) {
  const std::string old_key = kKey, new_key(32, 'n');
  Chain chain = Sealed("tn_1", 10, 5, AuditSigner(old_key));
  const AuditSigner rotated(new_key, {old_key});
  EXPECT_EQ(rotated.key_id(), AuditSigner(new_key).key_id());
  EXPECT_TRUE(rotated.Holds(AuditSigner(old_key).key_id()));
  EXPECT_TRUE(rotated.Valid("tn_1", chain.seals.back()));
  // The sealer goes on with the new key.
  ChainSeal next{10, chain.entries.back().link, 9000, "", ""};
  rotated.Sign("tn_1", next);
  EXPECT_EQ(next.key_id, rotated.key_id());
  chain.seals.push_back(next);
  Verdict v = Verify("tn_1", chain, rotated);
  EXPECT_FALSE(v.first_break().has_value()) << v.first_break()->reason;
  EXPECT_EQ(v.seals_checked(), 3);
  // Without the retired key the old seals are a break, named as such.
  v = Verify("tn_1", chain, AuditSigner(new_key));
  ASSERT_TRUE(v.first_break().has_value());
  EXPECT_EQ(v.first_break()->sequence, 5);
  EXPECT_NE(v.first_break()->reason.find("a key this service does not hold"), std::string::npos);
  // A retired key with a forged signature under its id still does not verify.
  chain.seals[0].signature[0] = chain.seals[0].signature[0] == 'a' ? 'b' : 'a';
  v = Verify("tn_1", chain, rotated);
  ASSERT_TRUE(v.first_break().has_value());
  EXPECT_NE(v.first_break()->reason.find("does not verify"), std::string::npos);
}

TEST(AuditChainTest, TheKeyIdNamesTheKeyWithoutRevealingIt) {
  const AuditSigner a(kKey), b(std::string(32, 'x'));
  EXPECT_EQ(a.key_id().size(), 16u);
  EXPECT_NE(a.key_id(), b.key_id());
  EXPECT_EQ(a.key_id(), AuditSigner(kKey).key_id());
  EXPECT_EQ(AuditSigner().key_id(), "");
}

}  // namespace
}  // namespace socm::assessment
