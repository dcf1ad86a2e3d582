#!/usr/bin/env bash
# Where a Docker engine runs: loads the relay image tarball, runs it with host networking against the local
# PostgreSQL (a fresh schema) and RabbitMQ, and checks that it answers NIP-11 on GET / with
# Accept: application/nostr+json. Cleans up the container and the schema.
#
#   deploy/docker-check.sh [IMAGE.tar]         default: nostr-relay/target/jib-image.tar
#
# Environment: CHECK_PORT (default 17447, a port free on this machine), PGHOST/PGPORT/PGDATABASE/PGUSER
# (default 127.0.0.1, 5432, test, postgres; trust auth), RABBITMQ_URL (default amqp://guest:guest@127.0.0.1:5672/%2F).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARBALL="${1:-$ROOT/nostr-relay/target/jib-image.tar}"
PORT="${CHECK_PORT:-17447}"
PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGDATABASE="${PGDATABASE:-test}" PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGDATABASE PGUSER
RABBITMQ_URL="${RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:5672/%2F}"

log() { printf '[docker-check] %s\n' "$*" >&2; }
die() {
  printf 'docker-check: %s\n' "$*" >&2
  exit 1
}

[[ -f "$TARBALL" ]] || die "no image tarball at $TARBALL (build it: see deploy/README.md)"
command -v docker >/dev/null || die "no docker command"
docker info >/dev/null 2>&1 || die "no Docker engine answers (start one: see deploy/README.md)"
command -v psql >/dev/null || die "psql is needed to make a fresh schema"
command -v curl >/dev/null || die "curl is needed"

image="$(docker load -i "$TARBALL" | sed -n 's/^Loaded image: //p' | tail -n 1)"
[[ -n "$image" ]] || die "docker load did not name an image"
log "loaded $image"

schema="docker_check_$$"
name="nostrgate-docker-check-$$"
cleanup() {
  docker rm -f "$name" >/dev/null 2>&1 || true
  psql -qtAc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
}
trap cleanup EXIT
psql -qtAc "CREATE SCHEMA $schema" >/dev/null

# As in Kubernetes: read-only root, a tmpfs /tmp for the JNI library, the image's own non-root user.
docker run -d --name "$name" --network host --read-only --tmpfs /tmp --tmpfs /var/lib/nostr-relay \
  -e NOSTR_RELAY_PORT="$PORT" -e NOSTR_RELAY_BIND=127.0.0.1 \
  -e NOSTR_RELAY_DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE?currentSchema=$schema" \
  -e NOSTR_RELAY_DB_USER="$PGUSER" -e NOSTR_RELAY_RABBITMQ_URL="$RABBITMQ_URL" \
  "$image" >/dev/null
log "started $name on 127.0.0.1:$PORT"

deadline=$((SECONDS + 90))
until document="$(curl -fsS -H 'Accept: application/nostr+json' "http://127.0.0.1:$PORT/" 2>/dev/null)"; do
  if [[ "$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" != true ]]; then
    docker logs "$name" >&2 || true
    die "the relay container stopped (its log is above)"
  fi
  if ((SECONDS >= deadline)); then
    docker logs "$name" >&2 || true
    die "no NIP-11 answer on port $PORT within 90 s (the relay's log is above)"
  fi
  sleep 1
done
grep -q '"supported_nips"' <<<"$document" || die "GET / answered, but not with a NIP-11 document: $document"
log "NIP-11: $document"
echo "1 passed, 0 failed"
