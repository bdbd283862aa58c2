#!/usr/bin/env bash
# bench/run.sh — HTTP benchmarks of zhengwu against nginx in the same run, on loopback.
#
#   bash bench/run.sh ZHENGWU_BINARY [options]
#
#   --quick              smoke run: 3 s loads, 1 s warm-up, one round, 5 start-up runs
#   --duration S         seconds of each measured wrk run          (BENCH_DURATION, 10)
#   --connections N      keep-alive connections of wrk             (BENCH_CONNECTIONS, 64)
#   --wrk-threads N      wrk threads                               (BENCH_WRK_THREADS, 2)
#   --warmup S           seconds of the warm-up run of each target (BENCH_WARMUP, 2)
#   --rounds N           measured rounds, order alternating         (BENCH_ROUNDS, 3)
#   --import-rows N      rows of the import benchmark's file         (BENCH_IMPORT_ROWS, 1000000)
#   --startup-runs N     timed start-ups on a fresh data dir        (BENCH_STARTUP_RUNS, 10)
#   --out FILE           report to write                            (BENCH_OUT, docs/benchmarks.md)
#
# BENCH_ZHENGWU_THREADS sets zhengwu's I/O threads (default: its own, one per core).
# A flag wins over --quick, which wins over the environment variables.
#
# Everything listens on and connects to 127.0.0.1 only; every load is a wrk run with a
# fixed duration under `timeout`. Processes and the temp dir are removed on exit, also
# after an error or Ctrl-C. Exit status: 0 all targets pass, 1 a target failed (the
# report is written anyway), 2 the benchmark could not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NGINX=/usr/sbin/nginx

log() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 2; }
# usage: the comment block at the top of this file.
usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "${BASH_SOURCE[0]}"; }

# ---- arguments ------------------------------------------------------------------------

[ $# -ge 1 ] || { usage >&2; exit 2; }
case "$1" in -h|--help) usage; exit 0 ;; esac
BIN=$1; shift
if [ ! -f "$BIN" ] || [ ! -x "$BIN" ]; then die "not an executable file: $BIN"; fi
BIN=$(realpath "$BIN")

QUICK=0
declare -A FLAG=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --duration|--connections|--wrk-threads|--warmup|--rounds|--startup-runs|--import-rows|--out)
      [ $# -ge 2 ] || die "$1 needs a value"
      FLAG[${1#--}]=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
  shift
done

# setting NAME ENV_VALUE NORMAL QUICK: a flag, else the environment, else the default of
# the mode.
setting() {
  local name=$1 env_value=$2 normal=$3 quick=$4
  if [ -n "${FLAG[$name]:-}" ]; then echo "${FLAG[$name]}"
  elif [ "$QUICK" -eq 1 ]; then echo "$quick"
  elif [ -n "$env_value" ]; then echo "$env_value"
  else echo "$normal"; fi
}
DURATION=$(setting duration "${BENCH_DURATION:-}" 10 3)
CONNECTIONS=$(setting connections "${BENCH_CONNECTIONS:-}" 64 64)
WRK_THREADS=$(setting wrk-threads "${BENCH_WRK_THREADS:-}" 2 2)
WARMUP=$(setting warmup "${BENCH_WARMUP:-}" 2 1)
ROUNDS=$(setting rounds "${BENCH_ROUNDS:-}" 3 1)
STARTUP_RUNS=$(setting startup-runs "${BENCH_STARTUP_RUNS:-}" 10 5)
OUT=$(setting out "${BENCH_OUT:-}" "$ROOT/docs/benchmarks.md" "$ROOT/docs/benchmarks.md")
ZW_THREADS=${BENCH_ZHENGWU_THREADS:-}

for pair in "duration:$DURATION" "connections:$CONNECTIONS" "wrk-threads:$WRK_THREADS" \
            "rounds:$ROUNDS" "startup-runs:$STARTUP_RUNS"; do
  [[ ${pair#*:} =~ ^[1-9][0-9]*$ ]] || die "--${pair%%:*} must be a positive integer, not '${pair#*:}'"
done
[[ $WARMUP =~ ^[0-9]+$ ]] || die "--warmup must be a whole number of seconds, not '$WARMUP'"
[ -z "$ZW_THREADS" ] || [[ $ZW_THREADS =~ ^[1-9][0-9]*$ ]] || die "BENCH_ZHENGWU_THREADS must be a positive integer"
[ "$CONNECTIONS" -ge "$WRK_THREADS" ] || die "wrk needs at least one connection per thread"
OUT=$(realpath -m "$OUT")

for tool in wrk curl pgrep timeout realpath getconf; do
  command -v "$tool" >/dev/null || die "$tool is missing (./zw deps bench installs it)"
done
[ -x "$NGINX" ] || die "$NGINX is missing (apt-get install nginx-light)"

# The servers under test must see only what this script sets: an inherited ZHENGWU_DB_URL
# or ZHENGWU_CONFIG would silently measure another database or configuration.
for var in $(compgen -e); do
  if [[ $var == ZHENGWU_* ]]; then unset "$var"; fi
done

# ---- processes and clean-up -----------------------------------------------------------

# Other work on the machine skews every number: the report states the load average seen
# before anything started.
LOADAVG_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOADAVG_AT_START%% *}" 'BEGIN { exit !(l >= 1) }'; then
  log "load average $LOADAVG_AT_START: other work is running, the numbers will be noisy"
fi

TMP=$(mktemp -d /tmp/zhengwu-bench.XXXXXX)
PIDS=()  # every process started and not yet stopped, stopped again on exit

track() { PIDS+=("$1"); }
untrack() {
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

# alive PID: running and not yet a zombie (kill -0 succeeds on an unreaped child).
alive() {
  local stat
  { read -r stat < "/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  [ "${stat:0:1}" != Z ]
}

# stop PID: SIGTERM, up to 10 s to exit, then SIGKILL. Its children (nginx workers) are
# listed first so that none outlives a master that had to be killed.
stop() {
  local pid=$1 kids i
  if alive "$pid"; then
    kids=$(pgrep -P "$pid" || true)
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do alive "$pid" || break; sleep 0.1; done
    # shellcheck disable=SC2086  # $kids is a list of pids
    alive "$pid" && kill -KILL "$pid" $kids 2>/dev/null
  fi
  wait "$pid" 2>/dev/null || true
  untrack "$pid"
}

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  local p
  for p in "${PIDS[@]}"; do stop "$p"; done
  [ -n "${TICK_FD:-}" ] && exec {TICK_FD}>&-
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# tick: sleep one millisecond without forking (a read on a FIFO nobody writes to times
# out), so the start-up polling loops neither fork nor spin a core.
mkfifo "$TMP/tick"
exec {TICK_FD}<>"$TMP/tick"
tick() { read -r -t 0.001 -u "$TICK_FD" _ || true; }

now_ns() { date +%s%N; }

# ---- zhengwu ---------------------------------------------------------------------------

# Configuration files: the access log off for the headline numbers, on for the extra run.
printf '[http]\naccess_log = false\n' > "$TMP/quiet.toml"
printf '[http]\naccess_log = true\n' > "$TMP/logged.toml"

# spawn_zhengwu DIR CONFIG [THREADS]: `zhengwu serve` on a fresh data dir under DIR and a
# port the kernel picks; stdout (the "listening" line) and stderr (logs) go to files in
# DIR. THREADS, else BENCH_ZHENGWU_THREADS, else zhengwu's default. Sets SPAWNED to its pid.
spawn_zhengwu() {
  local dir=$1 config=$2 threads=${3:-$ZW_THREADS}
  mkdir -p "$dir/data"
  local env=(ZHENGWU_DATA_DIR="$dir/data" ZHENGWU_LISTEN=127.0.0.1:0 ZHENGWU_CONFIG="$config")
  [ -z "$threads" ] || env+=(ZHENGWU_THREADS="$threads")
  env "${env[@]}" "$BIN" serve >"$dir/stdout" 2>"$dir/stderr" &
  SPAWNED=$!
  track "$SPAWNED"
}

# listening_port DIR: sets PORT from the "listening" line once it is complete, else
# fails. Builtins only (no fork, no subshell), so it can be polled every millisecond.
listening_port() {
  local line
  { IFS= read -r line < "$1/stdout"; } 2>/dev/null || return 1
  [[ $line =~ ^zhengwu\ listening\ on\ http://127\.0\.0\.1:([0-9]+)$ ]] || return 1
  PORT=${BASH_REMATCH[1]}
}

# wait_listening DIR PID: polls for the "listening" line, up to 30 s; sets PORT.
wait_listening() {
  local dir=$1 pid=$2 deadline=$((SECONDS + 30))
  until listening_port "$dir"; do
    alive "$pid" || die "zhengwu exited before listening: $(tail -5 "$dir/stderr")"
    [ "$SECONDS" -lt "$deadline" ] || die "zhengwu did not print its listening line within 30 s"
    tick
  done
}

# ready PORT: GET /readyz over bash's /dev/tcp (no fork) answers 200.
ready() {
  local fd status=""
  { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  { printf 'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&"$fd"; } 2>/dev/null || true
  IFS= read -r -t 5 status <&"$fd" || true
  exec {fd}>&-
  [[ $status == "HTTP/1.1 200"* ]]
}

wait_ready() {
  local port=$1 pid=$2 deadline=$((SECONDS + 30))
  until ready "$port"; do
    alive "$pid" || die "zhengwu exited before /readyz answered"
    [ "$SECONDS" -lt "$deadline" ] || die "/readyz did not answer 200 within 30 s"
    tick
  done
}

# start_zhengwu NAME CONFIG [THREADS]: a server for the load runs; sets ZW_PID and ZW_PORT.
start_zhengwu() {
  spawn_zhengwu "$TMP/$1" "$2" "${3:-}"
  ZW_PID=$SPAWNED
  wait_listening "$TMP/$1" "$ZW_PID"
  ZW_PORT=$PORT
  wait_ready "$ZW_PORT" "$ZW_PID"
}

# status_field PID FIELD: the value of a /proc/PID/status line (VmRSS in KiB, Threads).
status_field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

# cpu_ticks PID...: user + system CPU time of the processes (all threads), in clock ticks.
cpu_ticks() {
  local total=0 pid stat rest
  local -a f
  for pid in "$@"; do
    stat=$(<"/proc/$pid/stat")
    rest=${stat##*) }
    read -r -a f <<<"$rest"
    # After "pid (comm) ", field 1 is the state; utime and stime are fields 12 and 13.
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}
CLK_TCK=$(getconf CLK_TCK)

# ---- nginx -----------------------------------------------------------------------------

NGINX_DIR="$TMP/nginx"
NGINX_PID=""
NGINX_PORT=""

# A port nothing listens on, below Linux's ephemeral range (32768+) so that wrk's own
# client sockets cannot be holding it.
pick_port() {
  local p fd i
  for ((i = 0; i < 100; i++)); do
    p=$((20000 + RANDOM % 12000))
    if { exec {fd}<>"/dev/tcp/127.0.0.1/$p"; } 2>/dev/null; then exec {fd}>&-; continue; fi
    echo "$p"; return 0
  done
  return 1
}

# start_nginx: the files in $NGINX_DIR/html must exist. Retries on another port if the
# one picked was taken in the meantime.
start_nginx() {
  local attempt port user="" deadline
  # Run as root, nginx's workers would drop to "nobody", who cannot read the mktemp dir.
  if [ "$(id -u)" -eq 0 ]; then user="user root;"; fi
  mkdir -p "$NGINX_DIR/tmp"
  for ((attempt = 1; attempt <= 5; attempt++)); do
    port=$(pick_port) || die "found no free port for nginx"
    : > "$NGINX_DIR/error.log"  # so that the check below sees this attempt's errors only
    sed -e "s|@USER@|$user|" -e "s|@WORKERS@|$(nproc)|" -e "s|@PORT@|$port|" \
      "$ROOT/bench/nginx.conf.in" > "$NGINX_DIR/nginx.conf"
    "$NGINX" -t -q -p "$NGINX_DIR/" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log" \
      || die "nginx refused its configuration: $(tail -3 "$NGINX_DIR/error.log")"
    "$NGINX" -p "$NGINX_DIR/" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log" -g 'daemon off;' \
      >"$NGINX_DIR/stdout" 2>&1 &
    NGINX_PID=$!
    track "$NGINX_PID"
    deadline=$((SECONDS + 10))
    while alive "$NGINX_PID" && [ "$SECONDS" -lt "$deadline" ]; do
      if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ]; then
        NGINX_PORT=$port
        return 0
      fi
      sleep 0.05
    done
    stop "$NGINX_PID"
    grep -q "Address already in use" "$NGINX_DIR/error.log" || break
    log "port $port was taken, trying another"
  done
  die "nginx did not start: $(tail -3 "$NGINX_DIR/error.log")"
}

nginx_workers() { pgrep -P "$NGINX_PID" | tr '\n' ' '; }

# ---- wrk -------------------------------------------------------------------------------

mkdir -p "$TMP/wrk"

# run_wrk OUTFILE URL SECONDS: one keep-alive wrk run; runs in the background so that a
# signal reaches the traps at once, and under `timeout` in case wrk hangs.
run_wrk() {
  local out=$1 url=$2 secs=$3 pid rc=0
  timeout -k 5 $((secs + 30)) wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${secs}s" --latency "$url" >"$out" 2>&1 &
  pid=$!
  track "$pid"
  wait "$pid" || rc=$?
  untrack "$pid"
  [ "$rc" -eq 0 ] || die "wrk failed on $url (exit $rc): $(tail -3 "$out")"
}

# parse_wrk FILE: "req/s p50_ms p99_ms errors requests" from wrk's --latency output.
# Errors are socket errors plus non-2xx/3xx answers.
parse_wrk() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return v / 1000
      if (v ~ /ms$/) return v + 0
      if (v ~ /m$/) return v * 60000
      if (v ~ /s$/) return v * 1000
      return v + 0
    }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    $1 == "Requests/sec:" { rps = $2 }
    / requests in / { requests = $1 }
    /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { errors += $5 }
    END {
      if (rps == "" || p50 == "" || p99 == "") exit 1
      printf "%.1f %.3f %.3f %d %d\n", rps, p50, p99, errors, requests
    }' "$1"
}

# median X...: the middle value (mean of the two middle ones for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---- 1. start to ready on SQLite --------------------------------------------------------
#
# Timed from just before the spawn until /readyz answers 200. The port is chosen by the
# kernel, so the loop first waits for the "listening" line on stdout, then asks /readyz;
# both polls are builtins every millisecond. The `date` forks add about a millisecond to
# each sample, so the numbers err on the slow side. Measured before any load, on a quiet
# machine; one untimed start first puts the binary and its libraries in the page cache.

log "start to ready on SQLite: $STARTUP_RUNS runs (+1 untimed)"
LISTEN_MS=()
READY_MS=()
for ((run = 0; run <= STARTUP_RUNS; run++)); do
  dir="$TMP/startup-$run"
  t0=$(now_ns)
  spawn_zhengwu "$dir" "$TMP/quiet.toml"
  pid=$SPAWNED
  wait_listening "$dir" "$pid"
  t1=$(now_ns)
  wait_ready "$PORT" "$pid"
  t2=$(now_ns)
  stop "$pid"
  rm -rf "$dir"
  [ "$run" -eq 0 ] && continue
  LISTEN_MS+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')")
  READY_MS+=("$(awk -v a="$t0" -v b="$t2" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')")
done
LISTEN_MEDIAN=$(printf '%.1f' "$(median "${LISTEN_MS[@]}")")
READY_MEDIAN=$(printf '%.1f' "$(median "${READY_MS[@]}")")
READY_MIN=$(printf '%s\n' "${READY_MS[@]}" | sort -g | head -1)
READY_MAX=$(printf '%s\n' "${READY_MS[@]}" | sort -g | tail -1)
log "  ready: median ${READY_MEDIAN} ms (min $READY_MIN, max $READY_MAX); listening line: median ${LISTEN_MEDIAN} ms"

# ---- 2. the servers, idle RSS, the answers ------------------------------------------------

log "starting zhengwu (access log off)"
start_zhengwu main "$TMP/quiet.toml"
# Idle RSS: one second after ready, before any request other than the readiness check.
sleep 1
IDLE_RSS_KIB=$(status_field "$ZW_PID" VmRSS)
ZW_THREADS_SEEN=$(status_field "$ZW_PID" Threads)
log "  idle RSS $IDLE_RSS_KIB KiB, $ZW_THREADS_SEEN threads"

HEALTH_PATH=/healthz
CAL_PATH="/api/calendar/add-working-days?from=2025-09-30&days=1"

# nginx serves zhengwu's own answers, byte for byte, at the same paths.
mkdir -p "$NGINX_DIR/html/api/calendar"
fetch() {  # fetch URL FILE: body to FILE, headers to FILE.headers; must be 200
  local code
  code=$(curl -sS -o "$2" -D "$2.headers" -w '%{http_code}' "$1") || die "could not GET $1"
  [ "$code" = 200 ] || die "GET $1 answered $code"
}
fetch "http://127.0.0.1:$ZW_PORT$HEALTH_PATH" "$TMP/zw-health"
fetch "http://127.0.0.1:$ZW_PORT$CAL_PATH" "$TMP/zw-cal"
[ "$(cat "$TMP/zw-health")" = '{"status":"ok"}' ] || die "unexpected /healthz body: $(cat "$TMP/zw-health")"
cp "$TMP/zw-health" "$NGINX_DIR/html/healthz"
cp "$TMP/zw-cal" "$NGINX_DIR/html/api/calendar/add-working-days"

log "starting nginx ($(nproc) workers)"
start_nginx
fetch "http://127.0.0.1:$NGINX_PORT$HEALTH_PATH" "$TMP/ng-health"
fetch "http://127.0.0.1:$NGINX_PORT$CAL_PATH" "$TMP/ng-cal"
cmp -s "$TMP/zw-health" "$TMP/ng-health" || die "nginx does not serve the /healthz bytes"
cmp -s "$TMP/zw-cal" "$TMP/ng-cal" || die "nginx does not serve the calendar bytes"
grep -qi '^content-type: application/json' "$TMP/ng-health.headers" || die "nginx does not answer application/json"

# keep_alive URL: two requests in one curl call travel over a single connection.
keep_alive() {
  local connects
  connects=$(curl -sv -o /dev/null -o /dev/null "$1" "$1" 2>&1 | grep -c '^\* Connected to' || true)
  [ "$connects" = 1 ] || die "$1 does not keep the connection open ($connects connections for 2 requests)"
}
keep_alive "http://127.0.0.1:$ZW_PORT$HEALTH_PATH"
keep_alive "http://127.0.0.1:$NGINX_PORT$HEALTH_PATH"
NGINX_RSS_KIB=0
for p in "$NGINX_PID" $(nginx_workers); do NGINX_RSS_KIB=$((NGINX_RSS_KIB + $(status_field "$p" VmRSS))); done

# ---- 3. throughput -----------------------------------------------------------------------

TARGETS=(zw_health ng_health zw_cal ng_cal)
declare -A URL=(
  [zw_health]="http://127.0.0.1:$ZW_PORT$HEALTH_PATH"
  [ng_health]="http://127.0.0.1:$NGINX_PORT$HEALTH_PATH"
  [zw_cal]="http://127.0.0.1:$ZW_PORT$CAL_PATH"
  [ng_cal]="http://127.0.0.1:$NGINX_PORT$CAL_PATH"
  [zw_logged]=""
  [zw_1thread]=""
)
declare -A NAME=([zw_health]="zhengwu /healthz" [ng_health]="nginx, 15-byte file"
  [zw_cal]="zhengwu calendar" [ng_cal]="nginx, calendar-size file" [zw_logged]="zhengwu /healthz, access log on"
  [zw_1thread]="zhengwu /healthz, 1 I/O thread")
declare -A BODY_FILE=([zw_health]=zw-health [ng_health]=ng-health [zw_cal]=zw-cal [ng_cal]=ng-cal [zw_logged]=zw-health [zw_1thread]=zw-health)
declare -A RPS=() P50=() P99=() ERRORS=() CPU_US=()  # space-separated values, one per round

# server_pids TARGET: the processes whose CPU time a run of TARGET is charged to.
server_pids() {
  case "$1" in
    zw_*) echo "$ZW_PID" ;;
    ng_*) nginx_workers ;;
  esac
}

# measure TARGET ROUND: one measured run; appends its numbers to the per-target lists.
measure() {
  local t=$1 round=$2 out="$TMP/wrk/$1-$2.txt" before after
  # shellcheck disable=SC2046  # server_pids prints a list of pids
  before=$(cpu_ticks $(server_pids "$t"))
  run_wrk "$out" "${URL[$t]}" "$DURATION"
  # shellcheck disable=SC2046
  after=$(cpu_ticks $(server_pids "$t"))
  local rps p50 p99 errors requests
  read -r rps p50 p99 errors requests <<<"$(parse_wrk "$out")" || die "could not read wrk's output: $out"
  [ "$requests" -gt 0 ] || die "wrk made no request to ${URL[$t]}"
  RPS[$t]+="$rps "; P50[$t]+="$p50 "; P99[$t]+="$p99 "; ERRORS[$t]+="$errors "
  CPU_US[$t]+="$(awk -v d=$((after - before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.2f", d / hz * 1e6 / n }') "
  log "  round $round $t: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $errors"
}

log "warm-up: ${WARMUP} s per target"
if [ "$WARMUP" -gt 0 ]; then
  for t in "${TARGETS[@]}"; do run_wrk "$TMP/wrk/$t-warmup.txt" "${URL[$t]}" "$WARMUP"; done
fi

# Odd rounds run the targets in order, even rounds in reverse, so that neither server
# always runs first or right after the other one heated the machine.
log "measuring: $ROUNDS round(s) of ${DURATION} s per target, wrk -t$WRK_THREADS -c$CONNECTIONS"
for ((round = 1; round <= ROUNDS; round++)); do
  order=("${TARGETS[@]}")
  if [ $((round % 2)) -eq 0 ]; then
    order=(); for ((i = ${#TARGETS[@]} - 1; i >= 0; i--)); do order+=("${TARGETS[$i]}"); done
  fi
  for t in "${order[@]}"; do measure "$t" "$round"; done
done

LOADED_RSS_KIB=$(status_field "$ZW_PID" VmRSS)
stop "$ZW_PID"

# extra_run TARGET CONFIG [THREADS]: /healthz on a zhengwu of its own, set up differently
# from the headline one; for information, not for a target. Sets EXTRA_LOG_BYTES and
# EXTRA_REQUESTS (bytes zhengwu logged, requests made during the measured rounds).
extra_run() {
  local t=$1 round
  start_zhengwu "$t" "$2" "${3:-}"
  URL[$t]="http://127.0.0.1:$ZW_PORT$HEALTH_PATH"
  if [ "$WARMUP" -gt 0 ]; then run_wrk "$TMP/wrk/$t-warmup.txt" "${URL[$t]}" "$WARMUP"; fi
  local log_before
  log_before=$(stat -c %s "$TMP/$t/stderr")
  EXTRA_REQUESTS=0
  for ((round = 1; round <= ROUNDS; round++)); do
    measure "$t" "$round"
    EXTRA_REQUESTS=$((EXTRA_REQUESTS + $(awk '/ requests in / { print $1 }' "$TMP/wrk/$t-$round.txt")))
  done
  EXTRA_LOG_BYTES=$(( $(stat -c %s "$TMP/$t/stderr") - log_before ))
  stop "$ZW_PID"
}

# The same /healthz load with zhengwu's access log on, written to a file as in production.
log "zhengwu with its access log on"
extra_run zw_logged "$TMP/logged.toml"
LOG_BYTES_PER_REQUEST=$(awk -v b="$EXTRA_LOG_BYTES" -v n="$EXTRA_REQUESTS" 'BEGIN { printf "%.0f", b / n }')

# And with a single I/O thread: on a machine whose cores wrk also needs, this shows what
# handing work between zhengwu's threads costs.
log "zhengwu with one I/O thread"
extra_run zw_1thread "$TMP/quiet.toml" 1
stop "$NGINX_PID"

# ---- 4. targets ---------------------------------------------------------------------------

# med TARGET LIST: the median of a per-target list.
med() { local -n list=$2; # shellcheck disable=SC2086
  median ${list[$1]}; }
sum_errors() { local s=0 e; for e in ${ERRORS[$1]}; do s=$((s + e)); done; echo "$s"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
fmt_int() { printf '%.0f' "$1"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

declare -A R=()  # median req/s per target
EXTRAS=(zw_logged zw_1thread)
for t in "${TARGETS[@]}" "${EXTRAS[@]}"; do R[$t]=$(med "$t" RPS); done
HEALTH_RATIO=$(ratio "${R[zw_health]}" "${R[ng_health]}")
CAL_RATIO=$(ratio "${R[zw_cal]}" "${R[ng_cal]}")
LOGGED_RATIO=$(ratio "${R[zw_logged]}" "${R[ng_health]}")
LOGGED_VS_QUIET=$(ratio "${R[zw_logged]}" "${R[zw_health]}")
ONE_THREAD_RATIO=$(ratio "${R[zw_1thread]}" "${R[ng_health]}")

verdict() { if [ "$1" -eq 1 ]; then echo PASS; else echo FAIL; fi; }
T_THROUGHPUT=$(awk -v a="${R[zw_health]}" -v b="${R[ng_health]}" 'BEGIN { print (a >= 0.5 * b) ? 1 : 0 }')
T_RSS=$(( IDLE_RSS_KIB < 30 * 1024 ? 1 : 0 ))
T_READY=$(awk -v m="$READY_MEDIAN" 'BEGIN { print (m < 300) ? 1 : 0 }')
# Errors in any run make its numbers meaningless: count them as a failure.
TOTAL_ERRORS=0
for t in "${TARGETS[@]}" "${EXTRAS[@]}"; do TOTAL_ERRORS=$((TOTAL_ERRORS + $(sum_errors "$t"))); done
T_ERRORS=$(( TOTAL_ERRORS == 0 ? 1 : 0 ))

# ---- 4b. function benchmarks (Google Benchmark) ----------------------------------------------

# zhengwu_bench is built beside the server binary: request signatures, audit append with
# group commit against one-record-per-transaction, argon2id login cost.
FN_BIN="$(dirname "$BIN")/zhengwu_bench"
FN_MD="$TMP/functions.md"
T_FUNCTIONS=0
if [ -x "$FN_BIN" ]; then
  log "function benchmarks ($FN_BIN)"
  reps=3; [ "$QUICK" -eq 1 ] && reps=1
  if (cd "$TMP" && timeout 900 "$FN_BIN" --benchmark_out="$TMP/functions.json" --benchmark_out_format=json \
        --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true >"$TMP/functions.log" 2>&1); then
    node "$ROOT/bench/functions.mjs" "$TMP/functions.json" > "$FN_MD" && T_FUNCTIONS=1
  else
    { echo "### Function benchmarks"; echo; echo "zhengwu_bench failed:"; echo; tail -20 "$TMP/functions.log" | sed 's/^/    /'; } > "$FN_MD"
  fi
else
  { echo "### Function benchmarks"; echo; echo "zhengwu_bench was not built (Debian's libbenchmark-dev is missing)."; } > "$FN_MD"
fi

# ---- 4c. import of a population file ----------------------------------------------------------

# One population CSV (bench/people.mjs) imported by `zhengwu import` into the demo's
# 户籍人口基本信息 on SQLite — decoding, CSV, standardisation and every check, the typed
# table with provenance, a transaction per 5,000 rows — against sqlite3's own `.import`
# of the same file into a bare table, in the same run. Best of ROUNDS for each.
IMPORT_ROWS=$(setting import-rows "${BENCH_IMPORT_ROWS:-}" 1000000 200000)
log "import: $IMPORT_ROWS rows, zhengwu import against sqlite3 .import"
node "$ROOT/bench/people.mjs" "$IMPORT_ROWS" > "$TMP/people.csv"
IMPORT_BEST=""; SQLITE_BEST=""; IMPORT_OK=1
now_s() { date +%s.%N; }
for round in $(seq 1 "$ROUNDS"); do
  dir="$TMP/import-$round"
  mkdir -p "$dir"
  ZHENGWU_DATA_DIR="$dir" ZHENGWU_ARGON2_MEMORY_KIB=1024 "$BIN" demo --seed-only >/dev/null 2>&1 || die "demo seed for the import failed"
  t0=$(now_s)
  ZHENGWU_DATA_DIR="$dir" "$BIN" import gaj.population "$TMP/people.csv" >"$dir/out" 2>"$dir/err" || IMPORT_OK=0
  t1=$(now_s)
  accepted=$(tail -1 "$dir/out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).accepted)}catch{console.log(-1)}})')
  [ "$accepted" = "$IMPORT_ROWS" ] || { IMPORT_OK=0; log "  import round $round accepted $accepted of $IMPORT_ROWS"; }
  rm -f "$TMP/ref.db"
  t2=$(now_s)
  sqlite3 "$TMP/ref.db" ".mode csv" ".import $TMP/people.csv people" || IMPORT_OK=0
  t3=$(now_s)
  zw_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  sq_s=$(awk -v a="$t2" -v b="$t3" 'BEGIN { print b - a }')
  log "  round $round: zhengwu import ${zw_s}s, sqlite3 .import ${sq_s}s"
  IMPORT_BEST=$(awk -v a="${IMPORT_BEST:-1e9}" -v b="$zw_s" 'BEGIN { print (b < a) ? b : a }')
  SQLITE_BEST=$(awk -v a="${SQLITE_BEST:-1e9}" -v b="$sq_s" 'BEGIN { print (b < a) ? b : a }')
  rm -rf "$dir" "$TMP/ref.db"
done
IMPORT_RATE=$(awk -v n="$IMPORT_ROWS" -v s="$IMPORT_BEST" 'BEGIN { printf "%.0f", n / s }')
SQLITE_RATE=$(awk -v n="$IMPORT_ROWS" -v s="$SQLITE_BEST" 'BEGIN { printf "%.0f", n / s }')
IMPORT_RATIO=$(awk -v a="$IMPORT_RATE" -v b="$SQLITE_RATE" 'BEGIN { printf "%.2f", a / b }')
T_IMPORT_RATE=$(awk -v r="$IMPORT_RATE" -v ok="$IMPORT_OK" 'BEGIN { print (ok && r >= 150000) ? 1 : 0 }')
T_IMPORT_RATIO=$(awk -v r="$IMPORT_RATIO" -v ok="$IMPORT_OK" 'BEGIN { print (ok && r >= 0.5) ? 1 : 0 }')

# ---- 4d. the exchange: get by key under a grant ------------------------------------------------
#
# A department's system (a signed client of 人社) reads single records of the population
# register through GET /api/exchange/resources/gaj.population/records/{key}: signature
# and nonce check, the grant for its purpose, projection and masking, provenance, and the
# durable audit record of the read (group commit: the reply waits for its commit). The
# register holds the demo's records and the IMPORT_ROWS rows of the import benchmark
# (1,000,000 by default). wrk cannot sign, so bench/exchange_requests.mjs signs every
# request beforehand, each with its own nonce, just before the run that sends them
# (bench/exchange.lua); the keys are drawn at random from the whole file. The reference is
# nginx serving the same answer bytes as a static file, in the same run.
EXCHANGE_DIR="$TMP/exchange"
log "exchange: seeding a ${IMPORT_ROWS}-row register"
mkdir -p "$EXCHANGE_DIR/data"
ZHENGWU_DATA_DIR="$EXCHANGE_DIR/data" ZHENGWU_ARGON2_MEMORY_KIB=1024 "$BIN" demo --seed-only >/dev/null 2>&1 \
  || die "demo seed for the exchange failed"
ZHENGWU_DATA_DIR="$EXCHANGE_DIR/data" "$BIN" import gaj.population "$TMP/people.csv" >/dev/null 2>"$EXCHANGE_DIR/import.err" \
  || die "the exchange's import failed: $(tail -3 "$EXCHANGE_DIR/import.err")"
tail -n +2 "$TMP/people.csv" | cut -d, -f1 > "$EXCHANGE_DIR/keys.txt"
ZHENGWU_DATA_DIR="$EXCHANGE_DIR/data" "$BIN" client add --org 330100-RSJ --name 社保经办系统 > "$EXCHANGE_DIR/client.json" \
  || die "could not register the exchange's client"
EX_CLIENT=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).client_id)' "$EXCHANGE_DIR/client.json")
EX_SECRET=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).secret)' "$EXCHANGE_DIR/client.json")
EX_PURPOSE=$(node -e 'console.log(encodeURIComponent("社会保险参保登记身份核验"))')
rm -f "$TMP/people.csv"
start_zhengwu exchange "$TMP/quiet.toml"
EX_TAG=0
# sign_requests SECONDS: fresh signed requests for one run of that length, enough for
# 60,000 req/s; a thread that ran out would replay nonces and be refused (errors).
sign_requests() {
  EX_TAG=$((EX_TAG + 1))
  local per=$(( (60000 * $1 / WRK_THREADS) + 1000 ))
  node "$ROOT/bench/exchange_requests.mjs" "$EXCHANGE_DIR/keys.txt" "$EX_CLIENT" "$EX_SECRET" "$per" "$WRK_THREADS" \
    "$EXCHANGE_DIR/req" "$EX_TAG" || die "could not sign the exchange's requests"
}
# One request by hand: it must answer 200 with the masked record, and nginx serves its bytes.
sign_requests 0
read -r EX_PATH EX_TS EX_NONCE EX_SIG < <(head -1 "$EXCHANGE_DIR/req-1.txt" | tr '\t' ' ')
EX_CODE=$(curl -sS -o "$TMP/zw-exchange" -D "$TMP/zw-exchange.headers" -w '%{http_code}' \
  -H "X-Zw-Client: $EX_CLIENT" -H "X-Zw-Timestamp: $EX_TS" -H "X-Zw-Nonce: $EX_NONCE" -H "X-Zw-Signature: $EX_SIG" \
  -H "X-Zw-Purpose: $EX_PURPOSE" "http://127.0.0.1:$ZW_PORT$EX_PATH") || die "could not read a record"
[ "$EX_CODE" = 200 ] || die "the exchange answered $EX_CODE: $(cat "$TMP/zw-exchange")"
grep -q '"birth_date":"[0-9]\{4\}-\*\*-\*\*"' "$TMP/zw-exchange" || die "the answer is not masked: $(cat "$TMP/zw-exchange")"
mkdir -p "$NGINX_DIR/html/exchange"
cp "$TMP/zw-exchange" "$NGINX_DIR/html/exchange/record"
log "starting nginx again for the exchange's reference"
start_nginx
fetch "http://127.0.0.1:$NGINX_PORT/exchange/record" "$TMP/ng-exchange"
cmp -s "$TMP/zw-exchange" "$TMP/ng-exchange" || die "nginx does not serve the exchange's bytes"
AUDIT_BEFORE=$(sqlite3 "$EXCHANGE_DIR/data/zhengwu.db" "SELECT count(*) FROM audit_records WHERE action = 'exchange.read'")

URL[zw_exchange]="http://127.0.0.1:$ZW_PORT"
URL[ng_exchange]="http://127.0.0.1:$NGINX_PORT/exchange/record"
NAME[zw_exchange]="zhengwu exchange get by key"; NAME[ng_exchange]="nginx, exchange-answer-size file"
BODY_FILE[zw_exchange]=zw-exchange; BODY_FILE[ng_exchange]=ng-exchange
# run_exchange_wrk OUTFILE SECONDS: like run_wrk, with the signed requests of exchange.lua.
run_exchange_wrk() {
  local out=$1 secs=$2 pid rc=0
  sign_requests "$secs"
  timeout -k 5 $((secs + 60)) wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${secs}s" --latency -s "$ROOT/bench/exchange.lua" \
    "${URL[zw_exchange]}" -- "$EXCHANGE_DIR/req" "$EX_CLIENT" "$EX_PURPOSE" >"$out" 2>&1 &
  pid=$!
  track "$pid"
  wait "$pid" || rc=$?
  untrack "$pid"
  [ "$rc" -eq 0 ] || die "wrk failed on the exchange (exit $rc): $(tail -3 "$out")"
}
measure_exchange() {
  local t=$1 round=$2 out="$TMP/wrk/$1-$2.txt" before after
  # shellcheck disable=SC2046
  before=$(cpu_ticks $(server_pids "$t"))
  if [ "$t" = zw_exchange ]; then run_exchange_wrk "$out" "$DURATION"; else run_wrk "$out" "${URL[$t]}" "$DURATION"; fi
  # shellcheck disable=SC2046
  after=$(cpu_ticks $(server_pids "$t"))
  local rps p50 p99 errors requests
  read -r rps p50 p99 errors requests <<<"$(parse_wrk "$out")" || die "could not read wrk's output: $out"
  [ "$requests" -gt 0 ] || die "wrk made no request in $t"
  RPS[$t]+="$rps "; P50[$t]+="$p50 "; P99[$t]+="$p99 "; ERRORS[$t]+="$errors "
  CPU_US[$t]+="$(awk -v d=$((after - before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.2f", d / hz * 1e6 / n }') "
  log "  round $round $t: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $errors"
}
if [ "$WARMUP" -gt 0 ]; then
  run_exchange_wrk "$TMP/wrk/zw_exchange-warmup.txt" "$WARMUP"
  run_wrk "$TMP/wrk/ng_exchange-warmup.txt" "${URL[ng_exchange]}" "$WARMUP"
fi
log "measuring the exchange: $ROUNDS round(s) of ${DURATION} s, wrk -t$WRK_THREADS -c$CONNECTIONS"
for ((round = 1; round <= ROUNDS; round++)); do
  if [ $((round % 2)) -eq 1 ]; then order=(zw_exchange ng_exchange); else order=(ng_exchange zw_exchange); fi
  for t in "${order[@]}"; do measure_exchange "$t" "$round"; done
done
EX_REQUESTS=0
for f in "$TMP"/wrk/zw_exchange-*.txt; do EX_REQUESTS=$((EX_REQUESTS + $(awk '/ requests in / { print $1 }' "$f"))); done
stop "$ZW_PID"
stop "$NGINX_PID"
# Every answered read left its audit record (the server was stopped cleanly: all flushed).
AUDIT_AFTER=$(sqlite3 "$EXCHANGE_DIR/data/zhengwu.db" "SELECT count(*) FROM audit_records WHERE action = 'exchange.read'")
EX_AUDITED=$((AUDIT_AFTER - AUDIT_BEFORE))
EX_AUDIT_OK=$(( EX_AUDITED >= EX_REQUESTS ? 1 : 0 ))
EX_VERIFY=PASS
ZHENGWU_DATA_DIR="$EXCHANGE_DIR/data" "$BIN" audit verify >/dev/null 2>&1 || EX_VERIFY=FAIL
R[zw_exchange]=$(med zw_exchange RPS); R[ng_exchange]=$(med ng_exchange RPS)
EXCHANGE_RATIO=$(ratio "${R[zw_exchange]}" "${R[ng_exchange]}")
EX_P99=$(med zw_exchange P99)
T_EXCHANGE_RATE=$(awk -v r="${R[zw_exchange]}" 'BEGIN { print (r >= 15000) ? 1 : 0 }')
T_EXCHANGE_P99=$(awk -v p="$EX_P99" 'BEGIN { print (p <= 20) ? 1 : 0 }')
EX_ERRORS=$(( $(sum_errors zw_exchange) + $(sum_errors ng_exchange) ))
T_EXCHANGE_CLEAN=$(( EX_ERRORS == 0 && EX_AUDIT_OK == 1 ? 1 : 0 ))
[ "$EX_VERIFY" = PASS ] || T_EXCHANGE_CLEAN=0
rm -rf "$EXCHANGE_DIR"

# ---- 5. the report ----------------------------------------------------------------------------

ZW_VERSION=$("$BIN" version 2>&1 | head -3 | paste -sd ' ' -) || ZW_VERSION="(zhengwu version failed)"
NGINX_VERSION=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')
WRK_VERSION=$(wrk -v 2>&1 | head -1 | sed 's/ Copyright.*//' || true)
CPU_MODEL=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
MEM_GIB=$(free -g | awk '/^Mem:/ { print $2 }')
DEBIAN=$(cat /etc/debian_version 2>/dev/null || echo "not Debian")

size_of() { stat -c %s "$TMP/$1"; }
wire_of() { echo $(( $(stat -c %s "$TMP/$1.headers") + $(stat -c %s "$TMP/$1") )); }

# row TARGET LABEL COMPARED_TO RATIO
row() {
  local t=$1 file=${BODY_FILE[$1]}
  printf '| %s | %s B (%s B with headers) | %s | %.2f ms | %.2f ms | %s | %.1f µs | %s |\n' \
    "$2" "$(size_of "$file")" "$(wire_of "$file")" "$(fmt_int "$(med "$t" RPS)")" \
    "$(med "$t" P50)" "$(med "$t" P99)" "$3" "$(med "$t" CPU_US)" "$(sum_errors "$t")"
}

mkdir -p "$(dirname "$OUT")"
REPORT="$TMP/report.md"
{
  cat "$ROOT/bench/report-header.md"
  echo
  echo "## Last run"
  echo
  [ "$QUICK" -eq 1 ] && { echo "**Quick mode (smoke run): short loads, one round — do not quote these numbers.**"; echo; }
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: $(nproc) cores ($CPU_MODEL), ${MEM_GIB} GiB RAM (\`free -g\`), Linux $(uname -r), Debian $DEBIAN"
  echo "- zhengwu: \`$ZW_VERSION\`, $ZW_THREADS_SEEN threads at idle${ZW_THREADS:+ (ZHENGWU_THREADS=$ZW_THREADS)}, SQLite on a fresh data dir"
  echo "- nginx: $NGINX_VERSION (\`worker_processes $(nproc)\`, \`access_log off\`, static files) — wrk: $WRK_VERSION"
  echo "- Load: \`wrk -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s --latency\`, keep-alive, ${WARMUP} s warm-up per target, $ROUNDS measured round(s) alternating the order, median shown"
  echo "- Load average when the run started: $LOADAVG_AT_START"
  if awk -v l="${LOADAVG_AT_START%% *}" 'BEGIN { exit !(l >= 1) }'; then
    echo "  — other work was running on the machine, so these numbers are noisier than on an idle one; compare the rounds below."
  fi
  echo "- wrk, nginx and zhengwu all ran on these same $(nproc) cores at once (loopback): the load generator competes with the server for CPU."
  echo
  echo "### Throughput and latency"
  echo
  echo "| target | answer | req/s | p50 | p99 | ratio to nginx | server CPU per request | errors |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  row zw_health "zhengwu \`GET /healthz\`" "**$HEALTH_RATIO**"
  row ng_health "nginx static file, same 15 bytes" "1"
  row zw_cal "zhengwu \`GET $CAL_PATH\`" "**$CAL_RATIO**"
  row ng_cal "nginx static file, same $(size_of zw-cal) bytes" "1"
  row zw_logged "zhengwu \`GET /healthz\`, access log **on**" "$LOGGED_RATIO"
  row zw_1thread "zhengwu \`GET /healthz\`, \`ZHENGWU_THREADS=1\`" "$ONE_THREAD_RATIO"
  echo
  echo "The last two lines are for information and count for no target. With its access log on, zhengwu answers ${LOGGED_VS_QUIET}× the requests per second it answers with the log off ($LOG_BYTES_PER_REQUEST bytes of log per request, written to a file). With \`ZHENGWU_THREADS=1\` it runs one I/O thread instead of one per core, while nginx keeps $(nproc) workers."
  echo "\"Server CPU per request\" is the CPU time of the server's processes during the run (zhengwu: the whole process; nginx: its workers) divided by the requests wrk counted."
  echo
  echo "Requests per second of every measured round:"
  echo
  echo "| target | rounds |"
  echo "|---|---|"
  for t in "${TARGETS[@]}" "${EXTRAS[@]}"; do
    printf '| %s | %s |\n' "${NAME[$t]}" "$(for v in ${RPS[$t]}; do fmt_int "$v"; printf ' '; done | sed 's/ $//; s/ /, /g')"
  done
  echo
  echo "### Memory"
  echo
  echo "- zhengwu idle RSS (VmRSS, 1 s after ready, before any load): **$(mib "$IDLE_RSS_KIB") MiB** ($IDLE_RSS_KIB KiB)"
  echo "- zhengwu RSS after the load runs: $(mib "$LOADED_RSS_KIB") MiB ($LOADED_RSS_KIB KiB)"
  echo "- nginx idle RSS, master and $(nproc) workers together, for comparison: $(mib "$NGINX_RSS_KIB") MiB"
  echo
  echo "### Start to ready on SQLite"
  echo
  echo "Spawn of \`zhengwu serve\` on a fresh data dir (migrations included) until \`GET /readyz\` answers 200; the poll waits for the \"listening\" line on stdout (the kernel picks the port), then sends \`/readyz\` over bash's \`/dev/tcp\`, both every millisecond; timed with \`date +%s%N\`. $STARTUP_RUNS runs after one untimed run."
  echo
  echo "- **median $READY_MEDIAN ms** to ready (min $READY_MIN, max $READY_MAX); median $LISTEN_MEDIAN ms to the \"listening\" line"
  echo "- every run, ms to ready: $(printf '%s, ' "${READY_MS[@]}" | sed 's/, $//')"
  echo
  echo "### Targets"
  echo
  echo "| target | measured | result |"
  echo "|---|---|---|"
  echo "| \`/healthz\` throughput ≥ 0.5 × nginx static file | $HEALTH_RATIO × | $(verdict "$T_THROUGHPUT") |"
  echo "| idle RSS < 30 MiB | $(mib "$IDLE_RSS_KIB") MiB | $(verdict "$T_RSS") |"
  echo "| start to ready < 300 ms on SQLite | $READY_MEDIAN ms | $(verdict "$T_READY") |"
  echo "| no socket errors or non-2xx answers in any run | $TOTAL_ERRORS | $(verdict "$T_ERRORS") |"
  echo
  echo "### Import (归集)"
  echo
  echo "$IMPORT_ROWS population rows (\`bench/people.mjs\`), best of $ROUNDS: \`zhengwu import\` into the demo's"
  echo "户籍人口基本信息 on SQLite with full decoding, standardisation and checks, the typed table with"
  echo "provenance and a transaction per 5,000 rows, against \`sqlite3 .import\` of the same file into a"
  echo "bare table."
  echo
  echo "| | seconds | rows/s |"
  echo "|---|---:|---:|"
  echo "| \`zhengwu import\` | $IMPORT_BEST | $IMPORT_RATE |"
  echo "| \`sqlite3 .import\` (reference) | $SQLITE_BEST | $SQLITE_RATE |"
  echo
  echo "| target | measured | result |"
  echo "|---|---|---|"
  echo "| import ≥ 150,000 rows/s on SQLite | $IMPORT_RATE rows/s | $(verdict "$T_IMPORT_RATE") |"
  echo "| import ≥ 0.5 × \`sqlite3 .import\` | $IMPORT_RATIO × | $(verdict "$T_IMPORT_RATIO") |"
  echo
  echo "### Exchange: get by key under a grant"
  echo
  echo "A signed client of 人社 reads single records of the demo's 户籍人口基本信息 holding $IMPORT_ROWS more rows"
  echo "(the import benchmark's file): \`GET /api/exchange/resources/gaj.population/records/{key}\` with a random key,"
  echo "signature and nonce checked, the grant for its purpose, projection to the granted fields and masking,"
  echo "provenance, and the durable audit record of the read before the reply. Requests are signed beforehand"
  echo "(\`bench/exchange_requests.mjs\`), each with its own nonce; nginx serves the same answer bytes."
  echo
  echo "| target | answer | req/s | p50 | p99 | ratio to nginx | server CPU per request | errors |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  row zw_exchange "zhengwu exchange get by key" "**$EXCHANGE_RATIO**"
  row ng_exchange "nginx static file, same $(size_of zw-exchange) bytes" "1"
  echo
  echo "Requests per second of every round: zhengwu $(for v in ${RPS[zw_exchange]}; do fmt_int "$v"; printf ' '; done | sed 's/ $//; s/ /, /g'); nginx $(for v in ${RPS[ng_exchange]}; do fmt_int "$v"; printf ' '; done | sed 's/ $//; s/ /, /g')."
  echo "Audit records of exchange reads written during the runs: $EX_AUDITED for $EX_REQUESTS requests wrk counted (it does not count requests still in flight when a run ends); \`zhengwu audit verify\` afterwards: $EX_VERIFY."
  echo
  echo "| target | measured | result |"
  echo "|---|---|---|"
  echo "| exchange get by key ≥ 15,000 req/s (wrk 2 threads, 64 connections) | $(fmt_int "${R[zw_exchange]}") req/s | $(verdict "$T_EXCHANGE_RATE") |"
  echo "| exchange p99 ≤ 20 ms | $EX_P99 ms | $(verdict "$T_EXCHANGE_P99") |"
  echo "| every read answered 200 and audited, chain verifies | $EX_ERRORS errors, $EX_AUDITED audited | $(verdict "$T_EXCHANGE_CLEAN") |"
  echo
  cat "$FN_MD"
} > "$REPORT"
mv "$REPORT" "$OUT"

# ---- summary on stdout -----------------------------------------------------------------------

printf '%-44s %12s %9s %9s %7s\n' "target" "req/s" "p50 ms" "p99 ms" "ratio"
printf '%-44s %12s %9.2f %9.2f %7s\n' \
  "zhengwu /healthz" "$(fmt_int "${R[zw_health]}")" "$(med zw_health P50)" "$(med zw_health P99)" "$HEALTH_RATIO" \
  "nginx 15-byte file" "$(fmt_int "${R[ng_health]}")" "$(med ng_health P50)" "$(med ng_health P99)" "1" \
  "zhengwu calendar" "$(fmt_int "${R[zw_cal]}")" "$(med zw_cal P50)" "$(med zw_cal P99)" "$CAL_RATIO" \
  "nginx $(size_of zw-cal)-byte file" "$(fmt_int "${R[ng_cal]}")" "$(med ng_cal P50)" "$(med ng_cal P99)" "1" \
  "zhengwu /healthz, access log on" "$(fmt_int "${R[zw_logged]}")" "$(med zw_logged P50)" "$(med zw_logged P99)" "$LOGGED_RATIO" \
  "zhengwu /healthz, 1 I/O thread" "$(fmt_int "${R[zw_1thread]}")" "$(med zw_1thread P50)" "$(med zw_1thread P99)" "$ONE_THREAD_RATIO"
echo "idle RSS $(mib "$IDLE_RSS_KIB") MiB, after load $(mib "$LOADED_RSS_KIB") MiB; start to ready median $READY_MEDIAN ms"
echo "$(verdict "$T_THROUGHPUT")  /healthz throughput >= 0.5 x nginx ($HEALTH_RATIO)"
echo "$(verdict "$T_RSS")  idle RSS < 30 MiB ($(mib "$IDLE_RSS_KIB") MiB)"
echo "$(verdict "$T_READY")  start to ready < 300 ms ($READY_MEDIAN ms)"
echo "$(verdict "$T_ERRORS")  no errors in the load runs ($TOTAL_ERRORS)"
echo "$(verdict "$T_FUNCTIONS")  function benchmark targets (signatures, audit append, argon2id cost)"
echo "$(verdict "$T_IMPORT_RATE")  import >= 150,000 rows/s ($IMPORT_RATE rows/s)"
echo "$(verdict "$T_IMPORT_RATIO")  import >= 0.5 x sqlite3 .import ($IMPORT_RATIO)"
echo "$(verdict "$T_EXCHANGE_RATE")  exchange get by key >= 15,000 req/s ($(fmt_int "${R[zw_exchange]}") req/s, $EXCHANGE_RATIO x nginx)"
echo "$(verdict "$T_EXCHANGE_P99")  exchange p99 <= 20 ms ($EX_P99 ms)"
echo "$(verdict "$T_EXCHANGE_CLEAN")  exchange reads all 200 and audited ($EX_ERRORS errors, $EX_AUDITED audited, verify $EX_VERIFY)"
echo "report: $OUT"
[ "$T_THROUGHPUT" -eq 1 ] && [ "$T_RSS" -eq 1 ] && [ "$T_READY" -eq 1 ] && [ "$T_ERRORS" -eq 1 ] &&
  [ "$T_FUNCTIONS" -eq 1 ] && [ "$T_IMPORT_RATE" -eq 1 ] && [ "$T_IMPORT_RATIO" -eq 1 ] &&
  [ "$T_EXCHANGE_RATE" -eq 1 ] && [ "$T_EXCHANGE_P99" -eq 1 ] && [ "$T_EXCHANGE_CLEAN" -eq 1 ] || exit 1
