#!/usr/bin/env python3
"""Data-quality alerts and `litehouse dq`, end to end through the program.

A batch with a schema break (every event of an unknown type) is held; its alert reaches a
webhook on a loopback HTTP server (which refuses the first POST: the retry must deliver it) and
an alert command; with the webhook down the alert stays undelivered with the error recorded and
the next run delivers it. `litehouse dq` exits 1 while a batch is held and 0 once the rule is
changed and the batch promoted.

usage: dq_alerts_test.py LITEHOUSE DATA_DIR
"""
import http.server
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading

LH, DATA = sys.argv[1], sys.argv[2]
RAW = os.path.join(DATA, "recentchange/yearfunla-wikiMedia_stream_monitor/recentchange_raw.json")


class Hook(http.server.BaseHTTPRequestHandler):
    received = []
    refuse_next = 1

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Hook.refuse_next > 0:
            Hook.refuse_next -= 1
            self.send_response(503)
            self.end_headers()
            self.wfile.write(b"busy")
            return
        Hook.received.append((self.headers["Content-Type"], json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def start_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d/hook" % server.server_address[1]


def lh(*args):
    return subprocess.run([LH, *args], capture_output=True, text=True, timeout=120)


def write_faulty(path, prefix, count=30):
    with open(RAW) as f:
        events = [json.loads(line) for line in f if line.strip()][:count]
    with open(path, "w") as out:
        for i, e in enumerate(events):
            e["meta"]["id"] = "%s-%d" % (prefix, i)
            e["type"] = "widget"
            out.write(json.dumps(e) + "\n")


def check(cond, message):
    if not cond:
        print("FAIL:", message)
        sys.exit(1)


with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "wiki.db")
    server, url = start_server()
    command_out = os.path.join(tmp, "alerts.jsonl")
    command = "cat >> '%s'" % command_out

    r = lh("ingest", db, RAW, "--alert-webhook", url, "--alert-command", command)
    check(r.returncode == 0, "clean ingest: " + r.stderr)
    check(Hook.received == [] and not os.path.exists(command_out), "no alert for clean data")
    check(lh("dq", db).returncode == 0, "litehouse dq passes on the recording")

    bad = os.path.join(tmp, "bad.jsonl")
    write_faulty(bad, "widget")
    r = lh("ingest", db, bad, "--alert-webhook", url, "--alert-command", command)
    check(r.returncode == 0, "alerts delivered after a retry: " + r.stderr)
    check("held: batch" in r.stderr and "bronze_type_allowed" in r.stderr, "the hold is printed: " + r.stderr)
    check(len(Hook.received) == 1, "one alert on the webhook, got %d" % len(Hook.received))
    ctype, alert = Hook.received[0]
    check(ctype == "application/json", "content type " + str(ctype))
    check(alert["rule"] == "bronze_type_allowed" and alert["status"] == "FAIL" and alert["severity"] == "block",
          "alert names the rule: %r" % alert)
    check(alert["evidence"]["failing_rows"] == 30, "evidence counts the bad rows: %r" % alert["evidence"])
    check(alert["evidence"]["samples"][0]["event_id"].startswith("widget-"), "evidence names the bad events")
    with open(command_out) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    check(len(lines) == 1 and lines[0]["rule"] == "bronze_type_allowed", "the command got the alert: %r" % lines)
    with sqlite3.connect(db) as c:
        row = c.execute("SELECT delivered_at IS NOT NULL, attempts, delivery_error FROM dq_alerts").fetchone()
    check(row == (1, 1, None), "alert marked delivered: %r" % (row,))

    r = lh("dq", db)
    check(r.returncode == 1 and "1 batches held" in r.stderr, "litehouse dq fails while a batch is held: " + r.stderr)

    # The webhook goes away: the alert waits, with the error.
    server.shutdown()
    server.server_close()
    write_faulty(bad, "gadget")
    r = lh("ingest", db, bad, "--alert-webhook", url)
    check(r.returncode == 1 and "not delivered" in r.stderr, "undelivered alert fails the run: " + r.stderr)
    with sqlite3.connect(db) as c:
        row = c.execute("SELECT delivered_at, attempts, delivery_error FROM dq_alerts ORDER BY alert_id DESC").fetchone()
    check(row[0] is None and row[1] == 1 and "webhook" in row[2], "delivery error recorded: %r" % (row,))

    # Back up: the next run delivers it.
    server, url = start_server()
    Hook.refuse_next = 0
    Hook.received.clear()
    r = lh("refresh", db, "--alert-webhook", url)
    check(r.returncode == 0 and len(Hook.received) == 1, "the waiting alert is delivered: " + r.stderr)

    # The fix: the rule changes; both held batches are promoted and dq passes again.
    with sqlite3.connect(db) as c:
        c.execute("UPDATE dq_rules SET threshold = 1000 WHERE rule_name = 'bronze_type_allowed'")
    r = lh("refresh", db)
    check(r.returncode == 0 and r.stderr.count("released: batch") == 2, "held batches released: " + r.stderr)
    with sqlite3.connect(db) as c:
        n = c.execute("SELECT count(*) FROM silver_rejects WHERE event_id LIKE 'widget-%' OR event_id LIKE 'gadget-%'")
        check(n.fetchone()[0] == 60, "every held event reached silver_rejects once")
    r = lh("dq", db)
    check(r.returncode == 0, "litehouse dq passes after the fix: " + r.stderr)
    check(lh("dq").returncode == 2, "usage error without a database")
    server.shutdown()
print("ok")
