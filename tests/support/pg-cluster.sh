#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests.
#
#   tests/support/pg-cluster.sh start DIR   create a cluster in DIR, start it, print its URL
#   tests/support/pg-cluster.sh stop DIR    stop it (immediate) and remove DIR
#
# The cluster trusts every local connection, listens on 127.0.0.1 only, on a free port,
# with its Unix socket inside the cluster directory, and runs with fsync off: it is for
# tests, never for data anyone wants to keep. `start` prints only the URL on stdout,
# `postgresql://postgres@127.0.0.1:PORT/postgres`, so that callers can write
#   export ZHENGWU_TEST_PG_URL=$(tests/support/pg-cluster.sh start "$dir")
# Progress and errors go to stderr.
#
# initdb and postgres refuse to run as root; run as root, the script hands the cluster
# to the `postgres` user (created by Debian's postgresql-15 package) and runs them through
# runuser. When that user cannot reach DIR (e.g. DIR under /root) or DIR is too deep for
# a Unix socket path, the cluster lives in a directory under /tmp instead and DIR records
# where; `stop DIR` removes both. Binaries: /usr/lib/postgresql/15/bin, or
# $ZHENGWU_PG_BIN.
set -euo pipefail

PG_BIN=${ZHENGWU_PG_BIN:-/usr/lib/postgresql/15/bin}
MARKER=.zhengwu-pg-cluster

die() {
  echo "pg-cluster: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start DIR | stop DIR" >&2
  exit 2
}

as_root() { [[ $(id -u) -eq 0 ]]; }

# Runs a command as the cluster's owner.
as_owner() {
  if as_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    [[ -n $(ss -Hltn "sport = :$port" 2>/dev/null) ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# The directory that holds data/, socket/ and the log: DIR itself, or the place recorded
# in DIR/home.
cluster_home() {
  local dir=$1
  if [[ -f $dir/home ]]; then cat "$dir/home"; else echo "$dir"; fi
}

start() {
  local dir=$1
  [[ -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl ]] ||
    die "PostgreSQL 15 binaries not found in $PG_BIN (apt-get install postgresql-15)"
  if as_root; then
    getent passwd postgres >/dev/null || die "no 'postgres' user to run the cluster as (apt-get install postgresql-15)"
  fi
  if [[ -e $dir ]] && [[ -n $(ls -A "$dir") ]]; then
    die "$dir exists and is not empty"
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd -P)
  touch "$dir/$MARKER"

  local home=$dir
  if as_root; then
    chown postgres: "$dir"
    runuser -u postgres -- test -w "$dir" 2>/dev/null || home=""
  fi
  # A Unix socket path holds at most 107 bytes: "$home/socket/.s.PGSQL.NNNNN" must fit.
  if [[ -z $home || ${#home} -gt 80 ]]; then
    home=$(mktemp -d "${TMPDIR:-/tmp}/zhengwu-pg.XXXXXX")
    touch "$home/$MARKER"
    echo "$home" >"$dir/home"
    as_root && chown postgres: "$home"
  fi
  as_owner mkdir -p "$home/socket"

  echo "pg-cluster: initdb in $home/data" >&2
  if ! as_owner "$PG_BIN/initdb" -D "$home/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  fi

  local port="" attempt
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    local candidate=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    port_in_use "$candidate" && continue
    # pg_ctl hands -o to a shell, hence the inner quotes around the socket path.
    if as_owner "$PG_BIN/pg_ctl" -D "$home/data" -l "$home/postgres.log" -w -t 60 -o \
      "-p $candidate -c listen_addresses=127.0.0.1 -c unix_socket_directories='$home/socket' \
       -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null 2>&1; then
      port=$candidate
      break
    fi
    # Someone took the port between the check and the bind: try another one.
    if ! grep -qE "could not bind|Address already in use|could not create any TCP/IP sockets" \
      "$home/postgres.log" 2>/dev/null; then
      cat "$home/postgres.log" >&2 2>/dev/null || true
      die "postgres did not start (attempt $attempt)"
    fi
  done
  [[ -n $port ]] || die "found no free port to listen on"
  echo "$port" >"$dir/port"

  local tries
  for tries in $(seq 1 60); do
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port"; then
      echo "pg-cluster: ready on 127.0.0.1:$port" >&2
      echo "postgresql://postgres@127.0.0.1:$port/postgres"
      return 0
    fi
    sleep 0.5
  done
  die "postgres on port $port did not become ready; see $home/postgres.log"
}

stop() {
  local dir=$1
  [[ -d $dir ]] || return 0
  [[ -f $dir/$MARKER ]] || die "$dir was not made by '$0 start'; not removing it"
  local home
  home=$(cluster_home "$dir")
  if [[ -f $home/data/postmaster.pid ]]; then
    as_owner "$PG_BIN/pg_ctl" -D "$home/data" -m immediate -w stop >/dev/null 2>&1 ||
      echo "pg-cluster: pg_ctl stop failed; removing the directory anyway" >&2
  fi
  if [[ $home != "$dir" && -f $home/$MARKER ]]; then rm -rf "$home"; fi
  rm -rf "$dir"
}

[[ $# -eq 2 && -n $2 ]] || usage
case $1 in
  start) start "$2" ;;
  stop) stop "$2" ;;
  *) usage ;;
esac
