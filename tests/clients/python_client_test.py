"""The loadable extension in Python's sqlite3 module: ingest, query Gold, read while writing."""
import json
import os
import sqlite3
import sys
import tempfile
import threading

ext, data = sys.argv[1], sys.argv[2]
raw = os.path.join(data, "recentchange/yearfunla-wikiMedia_stream_monitor/recentchange_raw.json")
failures = []


def check(name, expected, got):
    if expected != got:
        failures.append(f"{name}: expected {expected!r}, got {got!r}")


with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "py.db")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.enable_load_extension(True)
    conn.load_extension(ext)
    stats = json.loads(conn.execute("SELECT lh_ingest(?)", (raw,)).fetchone()[0])
    check("inserted", 2387, stats["ingest"]["inserted"])
    check("silver rows", 2386, stats["refresh"]["silver_rows"])
    top = conn.execute("SELECT domain FROM gold_hourly_stats GROUP BY domain ORDER BY sum(total_events) DESC LIMIT 1").fetchone()
    check("top domain", ("commons.wikimedia.org",), top)
    check("bound parameters", (1,), conn.execute("SELECT is_ip(?)", ("2001:db8::1",)).fetchone())
    try:
        conn.execute("SELECT lh_json_extract('{', '$.a')").fetchone()
        failures.append("malformed JSON did not raise")
    except sqlite3.OperationalError as e:
        check("error message", True, "malformed JSON" in str(e))

    # A second connection reads while the first ingests more: never an error, always whole layers.
    errors, reads = [], [0]
    done = threading.Event()

    def reader():
        r = sqlite3.connect(path, isolation_level=None, timeout=10)
        while not done.is_set():
            try:
                r.execute("BEGIN")
                s, c = r.execute("SELECT (SELECT count(*) FROM silver_events), (SELECT row_count FROM lh_layer_state WHERE layer='silver')").fetchone()
                r.execute("COMMIT")
                if s != c:
                    errors.append(f"silver {s} != counter {c}")
                reads[0] += 1
            except sqlite3.Error as e:
                errors.append(str(e))
        r.close()

    t = threading.Thread(target=reader)
    t.start()
    for f in ["electricsql-rag/output.json", "wikidata-editgroups/one_qs_batch.json", "wikidata-editgroups/qs_batch_with_reverts.json"]:
        conn.execute("SELECT lh_ingest(?)", (os.path.join(data, "recentchange", f),)).fetchone()
    done.set()
    t.join()
    check("reader errors", [], errors)
    check("reader ran", True, reads[0] > 0)
    conn.close()

for f in failures:
    print("FAIL", f)
print(f"{1 if not failures else 0} passed, {1 if failures else 0} failed")
sys.exit(1 if failures else 0)
