#!/usr/bin/env bash
# Two relays on one database, joined by the local RabbitMQ: publishes into the first with the load generator and
# reports the rate, what the second received over the bus (and missed), and the broker's CPU per event.
# Usage: benchmarks/replicas.sh [--events N] [--in-flight W]    (defaults 50000, 32; a 10,000-event warm-up first)
# Needs the local PostgreSQL (database replica_bench is made anew) and RabbitMQ; ports 7450 and 7451.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EVENTS=50000
IN_FLIGHT=32
while (($#)); do
  case "$1" in
    --events) EVENTS="$2"; shift 2 ;;
    --in-flight) IN_FLIGHT="$2"; shift 2 ;;
    *) echo "replicas.sh: unknown option $1 (--events N, --in-flight W)" >&2; exit 2 ;;
  esac
done

DB=replica_bench
EXCHANGE="nostr.relay.bench.$$"
LOGS="$(mktemp -d)"
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" 2>/dev/null
export NOSTR_RELAY_DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB" NOSTR_RELAY_RABBITMQ_URL=amqp://guest:guest@127.0.0.1:5672 \
  NOSTR_RELAY_RABBITMQ_EXCHANGE="$EXCHANGE" NOSTR_RELAY_EVENTS_PER_SECOND=1000000 NOSTR_RELAY_EVENT_BURST=1000000
"$ROOT/nostr" load --help >/dev/null # builds both jars before anything is timed
NOSTR_RELAY_PORT=7450 "$ROOT/nostr" relay >"$LOGS/first.log" 2>&1 &
FIRST=$!
NOSTR_RELAY_PORT=7451 "$ROOT/nostr" relay >"$LOGS/second.log" 2>&1 &
SECOND=$!
trap 'kill $FIRST $SECOND 2>/dev/null; wait 2>/dev/null; echo "relay logs: $LOGS"' EXIT
for _ in $(seq 60); do
  grep -q 'relay ready' "$LOGS/first.log" && grep -q 'relay ready' "$LOGS/second.log" && break
  sleep 1
done
grep -q 'relay ready' "$LOGS/second.log" || { echo "replicas.sh: the relays did not start (logs: $LOGS)" >&2; exit 1; }

metric() { curl -s http://127.0.0.1:7451/metrics | awk -v name="$1" '$1 == name { print $2 }'; }
broker_ticks() { awk '{ print $14 + $15 }' "/proc/$(pgrep -f beam.smp | head -n 1)/stat"; }
echo "replicas.sh: warming up with 10,000 events"
"$ROOT/nostr" load ingest --url ws://127.0.0.1:7450 --in-flight "$IN_FLIGHT" --events 10000 --warmup 0 >/dev/null
received0="$(metric nostr_relay_replica_received_total)"
ticks0="$(broker_ticks)"
"$ROOT/nostr" load ingest --url ws://127.0.0.1:7450 --in-flight "$IN_FLIGHT" --events "$EVENTS" --warmup 0 \
  | grep -E 'accepted|ok \('
ticks1="$(broker_ticks)"
sleep 2 # the last batches on their way to the second relay
received="$(metric nostr_relay_replica_received_total)"
awk -v e="$EVENTS" -v r0="$received0" -v r1="$received" -v t0="$ticks0" -v t1="$ticks1" \
  -v hz="$(getconf CLK_TCK)" -v missed="$(metric nostr_relay_replica_missed_messages_total)" 'BEGIN {
  printf "second relay received %d of %d over the bus, %d messages missed; broker CPU %.1f us per event\n",
    r1 - r0, e, missed, (t1 - t0) * 1e6 / hz / e }'
