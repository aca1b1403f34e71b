#!/usr/bin/env bash
# Installs everything litehouse needs to build, test and benchmark, from Debian 12's archive.
set -euo pipefail
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential cmake ninja-build pkg-config git ca-certificates \
  libsqlite3-dev sqlite3 curl ca-certificates libcurl4-openssl-dev libsimdjson-dev libzstd-dev zstd \
  zlib1g-dev libedit-dev \
  googletest libgtest-dev libbenchmark-dev \
  python3 clang libclang-rt-14-dev time tmux bc >/dev/null
