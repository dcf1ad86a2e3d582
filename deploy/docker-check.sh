#!/usr/bin/env bash
# Where a Docker engine runs: loads the relay and the gateway image tarballs and runs each as Kubernetes would
# (read-only root, a tmpfs /tmp, the image's non-root user), with host networking, against the local PostgreSQL
# (a fresh schema each) and RabbitMQ:
#   - each image, given no database URL, refuses to start and names the variable to set;
#   - the relay answers NIP-11 on GET / with Accept: application/nostr+json;
#   - the gateway logs its "gateway ready:" line and answers GET /api/relays with 200.
# Cleans up the containers and the schemas. Without a Docker engine it says so and exits 0 (nothing checked).
#
#   deploy/docker-check.sh [RELAY.tar [GATEWAY.tar]]
#       defaults: nostr-relay/target/jib-image.tar, nostr-gateway/target/jib-image.tar
#
# Environment: CHECK_PORT (relay, default 17447), CHECK_GATEWAY_PORT (gateway HTTP, default 18080),
# CHECK_GATEWAY_RELAY_PORT (gateway's NIP-01 port, default 17448): ports free on this machine;
# PGHOST/PGPORT/PGDATABASE/PGUSER (default 127.0.0.1, 5432, test, postgres; trust auth);
# RABBITMQ_HOST/RABBITMQ_PORT/RABBITMQ_USER/RABBITMQ_PASSWORD (default 127.0.0.1, 5672, guest, guest).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RELAY_TARBALL="${1:-$ROOT/nostr-relay/target/jib-image.tar}"
GATEWAY_TARBALL="${2:-$ROOT/nostr-gateway/target/jib-image.tar}"
PORT="${CHECK_PORT:-17447}"
GATEWAY_PORT="${CHECK_GATEWAY_PORT:-18080}"
GATEWAY_RELAY_PORT="${CHECK_GATEWAY_RELAY_PORT:-17448}"
PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGDATABASE="${PGDATABASE:-test}" PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGDATABASE PGUSER
RABBITMQ_HOST="${RABBITMQ_HOST:-127.0.0.1}" RABBITMQ_PORT="${RABBITMQ_PORT:-5672}"
RABBITMQ_USER="${RABBITMQ_USER:-guest}" RABBITMQ_PASSWORD="${RABBITMQ_PASSWORD:-guest}"
# The user and password go into a URL: keep them URL-safe (hex, as deploy/README.md generates them).
RABBITMQ_URL="amqp://$RABBITMQ_USER:$RABBITMQ_PASSWORD@$RABBITMQ_HOST:$RABBITMQ_PORT/%2F"
STARTUP_SECONDS=120

log() { printf '[docker-check] %s\n' "$*" >&2; }
die() {
  printf 'docker-check: %s\n' "$*" >&2
  exit 1
}

if ! command -v docker >/dev/null; then
  log "skipped: no docker command (deploy/README.md says how to run a Docker engine)"
  exit 0
fi
if ! docker info >/dev/null 2>&1; then
  log "skipped: no Docker engine answers (deploy/README.md says how to start one)"
  exit 0
fi
[[ -f "$RELAY_TARBALL" ]] || die "no relay image tarball at $RELAY_TARBALL (build it: see deploy/README.md)"
[[ -f "$GATEWAY_TARBALL" ]] || die "no gateway image tarball at $GATEWAY_TARBALL (build it: see deploy/README.md)"
command -v psql >/dev/null || die "psql is needed to make fresh schemas"
command -v curl >/dev/null || die "curl is needed"

load() { # tarball -> image name
  local image
  image="$(docker load -i "$1" | sed -n 's/^Loaded image: //p' | tail -n 1)"
  [[ -n "$image" ]] || die "docker load $1 did not name an image"
  log "loaded $image"
  printf '%s\n' "$image"
}
relay_image="$(load "$RELAY_TARBALL")"
gateway_image="$(load "$GATEWAY_TARBALL")"

relay_schema="docker_check_relay_$$"
gateway_schema="docker_check_gateway_$$"
relay="nostrgate-docker-check-relay-$$"
gateway="nostrgate-docker-check-gateway-$$"
cleanup() {
  docker rm -f "$relay" "$gateway" >/dev/null 2>&1 || true
  psql -qtAc "DROP SCHEMA IF EXISTS $relay_schema CASCADE; DROP SCHEMA IF EXISTS $gateway_schema CASCADE" \
    >/dev/null 2>&1 || true
}
trap cleanup EXIT
psql -qtAc "CREATE SCHEMA $relay_schema; CREATE SCHEMA $gateway_schema" >/dev/null

passed=0
# As in Kubernetes: read-only root, a tmpfs /tmp (libsecp256k1's JNI library is extracted there), non-root user.
run_as_in_kubernetes=(docker run --network host --read-only --tmpfs /tmp)

# An image run without a database URL must stop, naming the variable, rather than start an embedded database.
refuses_without_url() { # image variable
  local output status=0
  output="$(timeout "$STARTUP_SECONDS" "${run_as_in_kubernetes[@]}" --rm "$1" 2>&1)" || status=$?
  ((status != 0 && status != 124)) || die "$1 without $2: exit status $status, expected a refusal; its log: $output"
  grep -q "set $2" <<<"$output" || die "$1 without $2 stopped (status $status) without naming $2: $output"
  log "$1 without $2 refuses to start (status $status)"
  passed=$((passed + 1))
}
refuses_without_url "$relay_image" NOSTR_RELAY_DB_URL
refuses_without_url "$gateway_image" GATEWAY_DATABASE_URL

# Fails with the container's log unless it is still running, or when the deadline has passed.
still_starting() { # container what deadline
  if [[ "$(docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" != true ]]; then
    docker logs "$1" >&2 || true
    die "the $2 container stopped (its log is above)"
  fi
  if ((SECONDS >= $3)); then
    docker logs "$1" >&2 || true
    die "the $2 was not ready within $STARTUP_SECONDS s (its log is above)"
  fi
  sleep 1
}

"${run_as_in_kubernetes[@]}" -d --name "$relay" --tmpfs /var/lib/nostr-relay \
  -e NOSTR_RELAY_PORT="$PORT" -e NOSTR_RELAY_BIND=127.0.0.1 \
  -e NOSTR_RELAY_DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE?currentSchema=$relay_schema" \
  -e NOSTR_RELAY_DB_USER="$PGUSER" -e NOSTR_RELAY_RABBITMQ_URL="$RABBITMQ_URL" \
  "$relay_image" >/dev/null
log "started $relay on 127.0.0.1:$PORT"

"${run_as_in_kubernetes[@]}" -d --name "$gateway" \
  -e SERVER_PORT="$GATEWAY_PORT" -e GATEWAY_RELAYPORT="$GATEWAY_RELAY_PORT" -e GATEWAY_RELAYBIND=127.0.0.1 \
  -e GATEWAY_DATABASE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE?currentSchema=$gateway_schema" \
  -e GATEWAY_DATABASE_USER="$PGUSER" \
  -e SPRING_RABBITMQ_HOST="$RABBITMQ_HOST" -e SPRING_RABBITMQ_PORT="$RABBITMQ_PORT" \
  -e SPRING_RABBITMQ_USERNAME="$RABBITMQ_USER" -e SPRING_RABBITMQ_PASSWORD="$RABBITMQ_PASSWORD" \
  "$gateway_image" >/dev/null
log "started $gateway on 127.0.0.1:$GATEWAY_PORT (NIP-01 on $GATEWAY_RELAY_PORT)"

deadline=$((SECONDS + STARTUP_SECONDS))
until document="$(curl -fsS -H 'Accept: application/nostr+json' "http://127.0.0.1:$PORT/" 2>/dev/null)"; do
  still_starting "$relay" relay "$deadline"
done
grep -q '"supported_nips"' <<<"$document" || die "the relay's GET / answered, but not with a NIP-11 document: $document"
log "relay NIP-11: $document"
passed=$((passed + 1))

deadline=$((SECONDS + STARTUP_SECONDS))
until docker logs "$gateway" 2>&1 | grep -q 'gateway ready:'; do
  still_starting "$gateway" gateway "$deadline"
done
log "$(docker logs "$gateway" 2>&1 | grep 'gateway ready:' | tail -n 1)"
status="$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GATEWAY_PORT/api/relays")" || status="none"
[[ "$status" == 200 ]] || die "the gateway's GET /api/relays answered $status, expected 200"
log "gateway GET /api/relays: 200"
passed=$((passed + 1))

echo "$passed passed, 0 failed"
