#!/usr/bin/python3
"""Which tables and indexes a write dirtied: the distinct pages in a database's WAL, by owner.

    bench/wal_pages.py DB        (DB-wal must still hold the write: run it with autocheckpoint off
                                  and no checkpoint on close, as bench/refresh_cost_bench.sh DIRTY=1 does)

A refresh's cost after a long history is mostly pages: each page it dirties is read (cold),
written to the WAL and copied back by the checkpoint. A B-tree keyed at random (event ids, user
names) dirties about one page per new key once it has more leaves than the batch has keys, so
this count shows which key order makes a batch's cost grow with history.
"""
import collections
import signal
import sqlite3
import struct
import sys

WAL_HEADER = 32
FRAME_HEADER = 24


def wal_pages(path):
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < WAL_HEADER:
        return set()
    page_size = struct.unpack('>I', data[8:12])[0]
    pages, offset = set(), WAL_HEADER
    while offset + FRAME_HEADER + page_size <= len(data):
        pages.add(struct.unpack('>I', data[offset:offset + 4])[0])
        offset += FRAME_HEADER + page_size
    return pages


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the listing quietly
    db = sys.argv[1]
    pages = wal_pages(db + '-wal')  # read before connecting: a connection may checkpoint
    conn = sqlite3.connect(f'file:{db}?mode=ro', uri=True)
    owner = dict(conn.execute('SELECT pageno, name FROM dbstat'))
    counts = collections.Counter(owner.get(p, '(freed or new)') for p in pages)
    print(f'{len(pages)} distinct pages dirtied')
    for name, n in counts.most_common():
        print(f'{n:8d}  {name}')


if __name__ == '__main__':
    main()
