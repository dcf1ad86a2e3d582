#!/usr/bin/env bash
# Measures the relay as users meet it: a fresh relay (./nostr relay, embedded PostgreSQL, empty data folder) per
# measurement, loaded by ./nostr load, cold (no warm-up) and warm, several runs, with the CPU of the relay, its
# database and the generator; prints the medians. Several --root checkouts are measured in turn, run by run, so a
# before/after comparison shares the machine's noise. benchmarks/README.md ("Relay benchmark") explains the output.
#
# usage: benchmarks/relay-bench.sh [--root DIR]... [--runs N] [--scenario query|ingest] [--phases cold,warm]
#                                  [--seed-events N] [--out DIR] [-- extra ./nostr load options]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
roots=()
runs=3
scenario=query
phases=cold,warm
seed_events=100000
out="$HERE/benchmarks/target/relay-bench"
port=7480
extra=()

while (($#)); do
  case "$1" in
    --root) roots+=("$(cd "$2" && pwd)"); shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --scenario) scenario="$2"; shift 2 ;;
    --phases) phases="$2"; shift 2 ;;
    --seed-events) seed_events="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "relay-bench: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done
((${#roots[@]})) || roots=("$HERE")
[[ "$scenario" == query || "$scenario" == ingest ]] || { echo "relay-bench: --scenario query or ingest" >&2; exit 2; }
mkdir -p "$out"

relay_pid=""
data=""
stop_relay() {
  if [[ -n "$relay_pid" ]]; then
    kill "$relay_pid" 2>/dev/null || true
    # the relay stops its embedded PostgreSQL on the way out; wait for both, so the next run has the cores
    for _ in $(seq 1 100); do kill -0 "$relay_pid" 2>/dev/null || break; sleep 0.1; done
    relay_pid=""
  fi
  [[ -z "$data" ]] || rm -rf "$data"
}
trap stop_relay EXIT

# Starts a relay from checkout $1 on an empty folder; sets relay_pid and data.
start_relay() {
  data="$(mktemp -d /tmp/relay-bench.XXXXXX)"
  # rate limits raised: the generator is one address sending as fast as the relay answers
  (cd "$1" && NOSTR_RELAY_PORT=$port NOSTR_RELAY_DATA_DIR="$data/db" NOSTR_RELAY_EVENTS_PER_SECOND=1000000 \
    NOSTR_RELAY_EVENT_BURST=1000000 exec ./nostr relay >"$data.log" 2>&1) &
  relay_pid=$!
  for _ in $(seq 1 600); do
    grep -q 'relay ready' "$data.log" 2>/dev/null && return
    kill -0 "$relay_pid" 2>/dev/null || { cat "$data.log" >&2; echo "relay-bench: the relay did not start" >&2; exit 1; }
    sleep 0.2
  done
  echo "relay-bench: no 'relay ready' within 120 s (log: $data.log)" >&2
  exit 1
}

for run in $(seq 1 "$runs"); do
  for root in "${roots[@]}"; do
    for phase in ${phases//,/ }; do
      warmup=0
      [[ "$phase" == warm ]] && warmup=20000
      label="$(basename "$root")"
      json="$out/$scenario-$label-$phase-$run.json"
      start_relay "$root"
      echo "relay-bench: run $run/$runs, $label, $phase ($scenario), relay pid $relay_pid, data $data" >&2
      if [[ "$scenario" == query ]]; then
        args=(query --seed-events "$seed_events" --in-flight 8 --queries 20000)
      else
        args=(ingest --in-flight 1 --events 20000)
      fi
      "$HERE/nostr" load "${args[@]}" --url "ws://127.0.0.1:$port" --warmup "$warmup" --pid "$relay_pid" \
        --db-pid "$data/db" --json "$json" ${extra[@]+"${extra[@]}"} >"$json.log" 2>&1 \
        || { tail -20 "$json.log" >&2; exit 1; }
      stop_relay
      data=""
    done
  done
done

python3 - "$out" "$scenario" <<'PY'
import glob, json, os, statistics, sys
out, scenario = sys.argv[1], sys.argv[2]
unit = "req" if scenario == "query" else "events"
rate = "reqs_per_s" if scenario == "query" else "accepted_per_s"
latency = "eose (all)" if scenario == "query" else "ok (send -> OK)"
rows = {}
for path in sorted(glob.glob(os.path.join(out, f"{scenario}-*-*-*.json"))):
    label, phase = os.path.basename(path)[len(scenario) + 1:-5].rsplit("-", 2)[:2]
    report = json.load(open(path))
    results, lat = report["results"], report["latency_ms"][latency]
    row = rows.setdefault((label, phase), {k: [] for k in ("rate", "p50", "p99", "relay", "db", "system", "gen")})
    row["rate"].append(results[rate]); row["p50"].append(lat["p50"]); row["p99"].append(lat["p99"])
    for key, name in (("relay", "relay"), ("db", "database"), ("system", "system")):
        value = results.get(f"cpu_ms_per_1000_{unit}_{name}")
        if value is not None:
            row[key].append(value)
    if results.get(f"cpu_window_{unit}") and "cpu_s_generator" in results:
        row["gen"].append(results["cpu_s_generator"] * 1e6 / results[f"cpu_window_{unit}"])
med = lambda values: statistics.median(values) if values else float("nan")
print(f"\nmedians of {scenario} runs in {out} (CPU: ms per 1,000 {unit})")
print(f"{'checkout':<16}{'phase':<6}{'runs':>5}{'per s':>9}{'p50 ms':>8}{'p99 ms':>8}"
      f"{'relay':>8}{'db':>8}{'system':>8}{'gen':>8}")
for (label, phase), row in rows.items():
    print(f"{label:<16}{phase:<6}{len(row['rate']):>5}{med(row['rate']):>9,.0f}{med(row['p50']):>8.2f}"
          f"{med(row['p99']):>8.2f}{med(row['relay']):>8.0f}{med(row['db']):>8.0f}{med(row['system']):>8.0f}"
          f"{med(row['gen']):>8.0f}")
PY
