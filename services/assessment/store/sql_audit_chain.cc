#include "services/assessment/store/sql_audit_chain.h"

#include <algorithm>

#include "services/assessment/store/sql_rows.h"

namespace socm::assessment {
namespace {

using sqlrows::Time;

// Entries are read this many at a time: a deleted assessment's entry holds its whole document.
constexpr int kVerifyBatch = 200;
constexpr int kSealBatch = 500;
// A JSON Lines part stops growing past this (the next part goes on from its last line).
constexpr size_t kExportBytes = 4 << 20;
// Seals younger than this are all kept; older ones are thinned to the newest of each hour.
constexpr int64_t kSealsKeptWhole = 24LL * 3600 * 1000000;
// Verify seals at most this many batches before it answers (the rest count as unsealed).
constexpr int kVerifySealPasses = 100;

ChainedEntry EntryOfRow(const db::Row& row) {
  // chain_seq, id, organization_id, time, doc, chain_link
  return {row.Int(0), row.Text(1), row.Text(2), row.Int(3), row.Text(4), row.Text(5)};
}

ChainSeal SealOfRow(const db::Row& row) {
  // sequence, link, seal_time, key_id, signature
  return {row.Int(0), row.Text(1), row.Int(2), row.Text(3), row.Text(4)};
}

pb::AuditSeal SealMessage(const ChainSeal& seal) {
  pb::AuditSeal out;
  out.set_sequence(seal.sequence);
  out.set_link(seal.link);
  *out.mutable_time() = Time(seal.time_micros);
  out.set_key_id(seal.key_id);
  out.set_signature(seal.signature);
  return out;
}

}  // namespace

absl::StatusOr<int64_t> SqlAuditChain::SealTenant(const std::string& tenant, int64_t now_micros,
                                                  int batch) {
  int64_t sealed = 0;
  const absl::Status status = db_.Transaction([&](db::Connection& c) -> absl::Status {
    sealed = 0;
    // The head row is this tenant's sealer lock: a second replica's pass waits here, then
    // finds the entries already sealed.
    SOCM_STATUS_RETURN(c.Exec("INSERT INTO audit_chain_heads (tenant_id, sequence, link) VALUES "
                              "($1, 0, '') ON CONFLICT (tenant_id) DO NOTHING",
                              {tenant})
                           .status());
    SOCM_STATUS_RETURN(
        c.Exec("UPDATE audit_chain_heads SET sequence = sequence WHERE tenant_id=$1", {tenant})
            .status());
    auto head =
        c.Query("SELECT sequence, link FROM audit_chain_heads WHERE tenant_id=$1", {tenant});
    if (!head.ok()) return head.status();
    if (head->empty()) return absl::InternalError("the audit chain's head is missing");
    int64_t sequence = (*head)[0].Int(0);
    std::string link = (*head)[0].Text(1);
    // The chain goes on only from its last signed seal: a head moved in the database (links
    // recomputed after an edit, newer seals deleted) must not be signed by the next pass.
    auto last = c.Query(
        "SELECT sequence, link, seal_time, key_id, signature FROM audit_seals WHERE tenant_id=$1 "
        "ORDER BY sequence DESC LIMIT 1",
        {tenant});
    if (!last.ok()) return last.status();
    const bool matches = last->empty() ? sequence == 0 && link.empty() : [&] {
      const ChainSeal seal = SealOfRow((*last)[0]);
      return seal.sequence == sequence && seal.link == link && signer_.Valid(tenant, seal);
    }();
    if (!matches) {
      return absl::FailedPreconditionError(
          absl::StrCat("the audit chain of tenant '", tenant,
                       "' does not end in its last signed seal; sealing stops until "
                       "GET /v1/auditLog:verify has been read and the head restored"));
    }
    auto rows = c.Query(
        "SELECT 0, id, organization_id, time, doc, '' FROM audit_log WHERE tenant_id=$1 AND "
        "chain_seq IS NULL ORDER BY time, id LIMIT $2",
        {tenant, static_cast<int64_t>(batch)});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return absl::OkStatus();
    for (const db::Row& row : *rows) {
      ChainedEntry entry = EntryOfRow(row);
      entry.sequence = ++sequence;
      link = ChainLink(tenant, link, entry);
      SOCM_STATUS_RETURN(c.Exec("UPDATE audit_log SET chain_seq=$1, chain_link=$2 WHERE "
                                "tenant_id=$3 AND id=$4",
                                {sequence, link, tenant, entry.id})
                             .status());
      ++sealed;
    }
    SOCM_STATUS_RETURN(
        c.Exec("UPDATE audit_chain_heads SET sequence=$1, link=$2 WHERE tenant_id=$3",
               {sequence, link, tenant})
            .status());
    ChainSeal seal{sequence, link, now_micros, "", ""};
    signer_.Sign(tenant, seal);
    return c
        .Exec(
            "INSERT INTO audit_seals (tenant_id, sequence, link, seal_time, key_id, signature) "
            "VALUES ($1,$2,$3,$4,$5,$6)",
            {tenant, seal.sequence, seal.link, seal.time_micros, seal.key_id, seal.signature})
        .status();
  });
  if (!status.ok()) return status;
  return sealed;
}

absl::StatusOr<int64_t> SqlAuditChain::SealPending(int64_t now_micros, int batch) {
  std::vector<std::string> tenants;
  const absl::Status listed = db_.Run([&](db::Connection& c) -> absl::Status {
    auto rows = c.Query(
        "SELECT DISTINCT tenant_id FROM audit_log WHERE chain_seq IS NULL ORDER BY tenant_id");
    if (!rows.ok()) return rows.status();
    for (const db::Row& row : *rows) tenants.push_back(row.Text(0));
    return absl::OkStatus();
  });
  if (!listed.ok()) return listed;
  // One tenant whose chain cannot go on does not stop the others'; its error is returned
  // after every other tenant was sealed.
  int64_t total = 0;
  absl::Status first_error;
  for (const std::string& tenant : tenants) {
    auto sealed = SealTenant(tenant, now_micros, batch);
    if (sealed.ok()) {
      total += *sealed;
    } else if (first_error.ok()) {
      first_error = sealed.status();
    }
  }
  if (!first_error.ok()) return first_error;
  return total;
}

absl::StatusOr<pb::VerifyAuditLogResponse> SqlAuditChain::Verify(const Caller& caller,
                                                                 int64_t now_micros) {
  SOCM_STATUS_RETURN(sqlrows::TenantWide(caller));
  const std::string& tenant = caller.tenant.value();
  // Everything committed so far is sealed first, so the answer covers it. A head that does
  // not match its seal stops the sealing, not the check, which then says where it breaks.
  for (int pass = 0; pass < kVerifySealPasses; ++pass) {
    auto sealed = SealTenant(tenant, now_micros, kSealBatch);
    if (!sealed.ok() && sealed.status().code() != absl::StatusCode::kFailedPrecondition) {
      return sealed.status();
    }
    if (!sealed.ok() || *sealed == 0) break;
  }
  // The chain as far as its newest seal now: a sealer on another replica may go on while this
  // reads, and what it adds is left for the next check.
  int64_t through = 0;
  SOCM_STATUS_RETURN(db_.Run([&](db::Connection& c) -> absl::Status {
    auto rows = c.Query("SELECT MAX(sequence) FROM audit_seals WHERE tenant_id=$1", {tenant});
    if (!rows.ok()) return rows.status();
    through = rows->empty() || (*rows)[0].IsNull(0) ? 0 : (*rows)[0].Int(0);
    rows = c.Query("SELECT MAX(chain_seq) FROM audit_log WHERE tenant_id=$1", {tenant});
    if (!rows.ok()) return rows.status();
    // Entries past the newest seal (their seal removed) are checked too.
    if (!rows->empty() && !(*rows)[0].IsNull(0)) through = std::max(through, (*rows)[0].Int(0));
    return absl::OkStatus();
  }));
  ChainVerifier verifier(tenant, signer_);
  pb::VerifyAuditLogResponse out;
  ChainSeal head;
  // Entries and seals are read in batches by sequence, so memory stays bounded; each seal is
  // given to the verifier once the entry it covers has been.
  std::vector<ChainSeal> seals;
  size_t next_seal = 0;
  int64_t seals_after = 0;
  bool seals_done = false;
  auto more_seals = [&]() -> absl::Status {
    seals.clear();
    next_seal = 0;
    return db_.Run([&](db::Connection& c) -> absl::Status {
      auto rows = c.Query(
          "SELECT sequence, link, seal_time, key_id, signature FROM audit_seals WHERE "
          "tenant_id=$1 AND sequence > $2 AND sequence <= $3 ORDER BY sequence LIMIT $4",
          {tenant, seals_after, through, static_cast<int64_t>(kVerifyBatch)});
      if (!rows.ok()) return rows.status();
      for (const db::Row& row : *rows) seals.push_back(SealOfRow(row));
      seals_done = seals.empty();
      if (!seals.empty()) seals_after = seals.back().sequence;
      return absl::OkStatus();
    });
  };
  auto give_seals_through = [&](int64_t sequence) -> absl::Status {
    while (!seals_done) {
      if (next_seal == seals.size()) {
        SOCM_STATUS_RETURN(more_seals());
        continue;
      }
      if (seals[next_seal].sequence > sequence) break;
      head = seals[next_seal];
      verifier.Seal(seals[next_seal++]);
    }
    return absl::OkStatus();
  };
  int64_t after = 0;
  for (;;) {
    db::Rows rows;
    SOCM_STATUS_RETURN(db_.Run([&](db::Connection& c) -> absl::Status {
      auto got = c.Query(
          "SELECT chain_seq, id, organization_id, time, doc, chain_link FROM audit_log WHERE "
          "tenant_id=$1 AND chain_seq > $2 AND chain_seq <= $3 ORDER BY chain_seq LIMIT $4",
          {tenant, after, through, static_cast<int64_t>(kVerifyBatch)});
      if (!got.ok()) return got.status();
      rows = std::move(*got);
      return absl::OkStatus();
    }));
    for (const db::Row& row : rows) {
      const ChainedEntry entry = EntryOfRow(row);
      // A seal past a missing entry is checked before the entry after the gap.
      SOCM_STATUS_RETURN(give_seals_through(entry.sequence - 1));
      verifier.Entry(entry);
      SOCM_STATUS_RETURN(give_seals_through(entry.sequence));
      after = entry.sequence;
    }
    if (static_cast<int>(rows.size()) < kVerifyBatch || verifier.first_break()) break;
  }
  if (!verifier.first_break()) SOCM_STATUS_RETURN(give_seals_through(INT64_MAX));
  verifier.Finish();
  SOCM_STATUS_RETURN(db_.Run([&](db::Connection& c) -> absl::Status {
    auto rows = c.Query("SELECT COUNT(*) FROM audit_log WHERE tenant_id=$1 AND chain_seq IS NULL",
                        {tenant});
    if (!rows.ok()) return rows.status();
    out.set_unsealed(rows->empty() ? 0 : (*rows)[0].Int(0));
    return absl::OkStatus();
  }));
  out.set_intact(!verifier.first_break().has_value());
  out.set_entries_checked(verifier.entries_checked());
  out.set_seals_checked(verifier.seals_checked());
  if (head.sequence > 0) *out.mutable_head() = SealMessage(head);
  out.set_seals_signed(signer_.enabled());
  if (const auto& broken = verifier.first_break()) {
    out.mutable_first_break()->set_sequence(broken->sequence);
    out.mutable_first_break()->set_entry_id(broken->entry_id);
    out.mutable_first_break()->set_reason(broken->reason);
  }
  return out;
}

absl::StatusOr<AuditExport> SqlAuditChain::Export(const Caller& caller, int64_t after_sequence,
                                                  int limit, int64_t now_micros) {
  SOCM_STATUS_RETURN(sqlrows::TenantWide(caller));
  const std::string& tenant = caller.tenant.value();
  // What is committed is sealed first; a chain that cannot go on still exports what it has.
  auto sealed = SealTenant(tenant, now_micros, kSealBatch);
  if (!sealed.ok() && sealed.status().code() != absl::StatusCode::kFailedPrecondition) {
    return sealed.status();
  }
  AuditExport out;
  out.last_sequence = after_sequence;
  SOCM_STATUS_RETURN(db_.Run([&](db::Connection& c) -> absl::Status {
    auto rows = c.Query(
        "SELECT chain_seq, doc, chain_link FROM audit_log WHERE tenant_id=$1 AND chain_seq > $2 "
        "ORDER BY chain_seq LIMIT $3",
        {tenant, after_sequence, static_cast<int64_t>(limit) + 1});
    if (!rows.ok()) return rows.status();
    out.more = static_cast<int>(rows->size()) > limit;
    for (size_t i = 0; i < rows->size() && static_cast<int>(i) < limit; ++i) {
      if (out.jsonl.size() > kExportBytes) {
        out.more = true;
        break;
      }
      const db::Row& row = (*rows)[i];
      pb::AuditEntry entry;
      SOCM_STATUS_RETURN(sqlrows::FromJson(row.Text(1), &entry));
      entry.set_sequence(row.Int(0));
      entry.set_chain_link(row.Text(2));
      out.jsonl += sqlrows::ToJson(entry);
      out.jsonl += '\n';
      out.last_sequence = row.Int(0);
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int64_t> SqlAuditChain::ThinSeals(int64_t now_micros) {
  int64_t removed = 0;
  const absl::Status status = db_.Run([&](db::Connection& c) -> absl::Status {
    // Ranked newest first within each tenant's hour: the first of each hour stays, and with it
    // each tenant's newest seal, which the sealer goes on from.
    auto deleted = c.Exec(
        "DELETE FROM audit_seals WHERE (tenant_id, sequence) IN (SELECT tenant_id, sequence FROM "
        "(SELECT tenant_id, sequence, ROW_NUMBER() OVER (PARTITION BY tenant_id, seal_time / "
        "3600000000 ORDER BY sequence DESC) AS place FROM audit_seals WHERE seal_time < $1) "
        "AS ranked WHERE place > 1)",
        {now_micros - kSealsKeptWhole});
    if (!deleted.ok()) return deleted.status();
    removed = *deleted;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return removed;
}

absl::StatusOr<int64_t> SqlAuditChain::AdmitForeign(const std::vector<ForeignEntry>& entries) {
  int64_t added = 0;
  const absl::Status status = db_.Transaction([&](db::Connection& c) -> absl::Status {
    added = 0;
    for (const ForeignEntry& foreign : entries) {
      const int64_t micros =
          google::protobuf::util::TimeUtil::TimestampToMicroseconds(foreign.entry.time());
      auto inserted = c.Exec(
          "INSERT INTO audit_log (tenant_id, id, organization_id, time, doc) VALUES "
          "($1,$2,'',$3,$4) ON CONFLICT (tenant_id, id) DO NOTHING",
          {foreign.tenant, foreign.entry.id(), micros, sqlrows::ToJson(foreign.entry)});
      if (!inserted.ok()) return inserted.status();
      added += *inserted;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return added;
}

}  // namespace socm::assessment
