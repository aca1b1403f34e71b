// The pipeline over a SQLite connection: schema, ingestion into Bronze, refresh of Silver and Gold.
//
// Each function works on a connection the caller owns (the library's Database, the shell's, or
// the one a SQL function runs in), so every face of litehouse runs the same code.
// Thread-safety: as SQLite's connection: one thread at a time per connection; other processes and
// connections may read the same file concurrently (WAL mode).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "litehouse/status.h"

struct sqlite3;

namespace litehouse {

// Creates (or upgrades) every litehouse table, view and index, and sets WAL mode. Idempotent.
// Needs litehouse's SQL on the connection (RegisterSql), as the rest of the pipeline does.
Status EnsureSchema(sqlite3* db);

struct IngestProgress {
  uint64_t bytes_read = 0;     // decompressed bytes consumed so far
  uint64_t bytes_total = 0;    // file size on disk (compressed size for .zst/.gz), 0 if unknown
  uint64_t compressed_read = 0;  // bytes of the file on disk consumed so far
  uint64_t events = 0;         // documents read so far
  double seconds = 0;
};

struct IngestOptions {
  // Documents per batch: what the reader parses and compresses while the writer stores the one
  // before. A batch also ends past 16 MiB of events (compressed, or raw until a dictionary is
  // trained), so large events cannot make one batch hold batch_events of them in memory.
  uint64_t batch_events = 20000;
  // A transaction holds whole batches until they cover this many bytes of the file (decompressed;
  // at least one batch); the source position is committed with them. Large transactions are what
  // make a backfill fast: every new event_id (a random UUID) lands on its own leaf of Bronze's
  // event_id index, and a commit writes each leaf it dirtied once however many ids it took (2M
  // events' Bronze phase: 52 s with one batch a transaction, 30 s with 256 MiB; bench/README.md).
  // The cost: the WAL grows to about one transaction's pages, and a crash re-reads up to this
  // much of the file.
  uint64_t commit_bytes = 256u << 20;
  // A document larger than this is rejected (with its position) and skipped.
  uint64_t max_document_bytes = 4u << 20;
  // The name recorded as the source; empty means the file's absolute path.
  std::string source_name;
  // Called after every batch written (it is committed with its transaction) and at the end.
  std::function<void(const IngestProgress&)> progress;
};

struct IngestStats {
  uint64_t documents = 0;   // JSON documents found
  uint64_t inserted = 0;    // new Bronze rows
  uint64_t duplicates = 0;  // documents whose event_id was already in Bronze
  uint64_t rejects = 0;     // rows written to bronze_rejects
  uint64_t bytes = 0;       // decompressed bytes read in this call
  uint64_t resumed_from = 0;  // byte offset the ingest started from (0 unless resuming)
  bool already_complete = false;  // the same file was fully ingested before; nothing was read
  double seconds = 0;
  std::string ToJson() const;
};

// Reads events from a file (NDJSON, JSON array, concatenated objects, the {"streams":[...]}
// wrapper; plain, .zst or .gz) into bronze_events. Exactly once: duplicates by event_id add no
// row, and re-ingesting a file resumes from the committed position. `stats` may be null.
// A compressed file that is cut short or damaged: its events before the damage are committed,
// the file stays incomplete (a later run resumes there) and the error names the file and the
// damage; `stats` then counts what was committed.
Status IngestFile(sqlite3* db, const std::string& path, const IngestOptions& options, IngestStats* stats);

struct RefreshStats {
  uint64_t bronze_rows = 0;   // new Bronze rows processed
  uint64_t silver_rows = 0;   // rows added to silver_events
  uint64_t silver_rejects = 0;
  uint64_t touched_hours = 0;  // Gold (date, hour, domain) groups the new rows changed
  // Data quality (docs/data-quality.md): rules checked, FAIL or ERROR, WARN; batches a blocking
  // rule held in Bronze by this refresh, and held batches it promoted.
  uint64_t dq_checks = 0, dq_failed = 0, dq_warned = 0;
  uint64_t held_batches = 0, released_batches = 0;
  std::vector<std::string> dq_lines;  // one line per FAIL, ERROR, WARN, hold and release
  double seconds = 0;
  std::string ToJson() const;
};

// Moves Bronze rows not yet seen into Silver (or silver_rejects) and merges them into Gold as
// deltas (sql/refresh_3*.sql), in one transaction: the cost follows the new rows, not history.
// The new rows are one batch, checked by the data-quality rules before they are published; a
// blocking failure holds the batch in Bronze (dq_held_batches) and a later refresh promotes it
// once the rules or Bronze changed and it passes. `stats` may be null.
Status Refresh(sqlite3* db, RefreshStats* stats);

// Recomputes every Gold table from Silver by its definition (sql/recompute_*.sql) and compares;
// `differences` gets the number of rows that differ (0 when maintained Gold equals the definition).
Status CheckGoldAgainstRecompute(sqlite3* db, uint64_t* differences);

// A JSON object with per-layer row counts and the state of the pipeline.
Status PipelineStats(sqlite3* db, std::string* json);

}  // namespace litehouse
