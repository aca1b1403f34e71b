#!/usr/bin/env bash
# cmake --install, then a consumer built with find_package(litehouse) and one with pkg-config.
# usage: install_test.sh BUILD_DIR SOURCE_DIR DATA_DIR
set -euo pipefail
BUILD="$1"; SRC="$2"; DATA="$3"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cmake --install "$BUILD" --prefix "$T/prefix" >/dev/null
for f in include/litehouse/litehouse.h lib/liblitehouse.a lib/liblitehouse.so lib/litehouse/litehouse.so bin/litehouse \
         lib/cmake/litehouse/litehouseConfig.cmake lib/pkgconfig/litehouse.pc; do
  [ -e "$T/prefix/$f" ] || { echo "missing $f"; echo "0 passed, 1 failed"; exit 1; }
done
cmake -S "$SRC/tests/install/consumer" -B "$T/consumer" -DCMAKE_PREFIX_PATH="$T/prefix" >/dev/null
cmake --build "$T/consumer" >/dev/null
out=$(LD_LIBRARY_PATH="$T/prefix/lib" "$T/consumer/consumer" "$T/c.db" "$DATA/recentchange/electricsql-rag/output.json")
[ "$out" == "0.1.0 $(sqlite3 "$T/c.db" "SELECT count(*) FROM silver_events WHERE project='wikipedia'")" ] || { echo "consumer said: $out"; exit 1; }
[ "${out#0.1.0 }" -gt 0 ]
PKG_CONFIG_PATH="$T/prefix/lib/pkgconfig" g++ -std=c++20 "$SRC/tests/install/consumer/main.cc" -o "$T/pc_consumer" \
  $(PKG_CONFIG_PATH="$T/prefix/lib/pkgconfig" pkg-config --cflags --libs litehouse)
out2=$(LD_LIBRARY_PATH="$T/prefix/lib" "$T/pc_consumer" "$T/d.db" "$DATA/recentchange/electricsql-rag/output.json")
[ "$out2" == "$out" ] || { echo "pkg-config consumer said: $out2"; exit 1; }
echo "2 passed, 0 failed"
