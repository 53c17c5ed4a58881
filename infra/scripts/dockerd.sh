#!/usr/bin/env bash
# A private Docker daemon for the end-to-end tests (never the system one).
#
#   infra/scripts/dockerd.sh start    # start (no-op when already running), wait for `docker info`
#   infra/scripts/dockerd.sh stop     # stop it and wait until it is gone (no-op when not running)
#   infra/scripts/dockerd.sh status   # exit 0 when running
#   infra/scripts/dockerd.sh env      # print exports: eval "$(infra/scripts/dockerd.sh env)"
#
# Everything (socket, data-root, exec-root, pid file, log) lives in one git-ignored folder:
# $WHARF_DOCKERD_DIR, default $REPO/.cache/dockerd. Keep the path short: the unix socket path
# must stay under 108 bytes. Must run as root (dockerd does).
#
# The daemon runs without networking changes: --iptables=false --ip6tables=false --bridge=none,
# and with the vfs storage driver (works in any container/VM, no overlayfs needed). It can
# build (`FROM scratch` + COPY), import, tag, push and pull; it cannot run containers that need
# a network, which the tests do not need. No image can be pulled from Docker Hub here.
#
# Plain-HTTP registries: dockerd always treats 127.0.0.0/8 as an insecure registry (it is in
# its built-in insecure CIDR list, `docker info` shows "Insecure Registries: 127.0.0.0/8"), and
# `localhost:<port>` resolves into that range, so both `localhost:<port>/x` and
# `127.0.0.1:<port>/x` work over plain HTTP. We still pass `--insecure-registry 127.0.0.0/8`
# explicitly so that this does not depend on the default.
#
# Credentials: `docker login` writes to $DOCKER_CONFIG/config.json (default ~/.docker). Tests
# must set DOCKER_CONFIG to a private folder (one per test run/suite) so logins never touch
# ~/.docker and no credential helper (credsStore) from the user's config is used; credentials
# are then stored base64-encoded in that private config.json. `env` prints a default
# DOCKER_CONFIG under the daemon folder unless DOCKER_CONFIG is already set.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
D="${WHARF_DOCKERD_DIR:-$REPO/.cache/dockerd}"
SOCK="$D/docker.sock"
PIDFILE="$D/docker.pid"
LOG="$D/dockerd.log"
START_TIMEOUT="${WHARF_DOCKERD_TIMEOUT:-60}"

die() {
  echo "dockerd.sh: ERROR: $*" >&2
  exit 1
}

pid_running() {
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    # guard against a stale pid file whose pid now belongs to another program
    [ "$(cat "/proc/$pid/comm" 2>/dev/null || echo dockerd)" = dockerd ]
}

docker_ok() {
  DOCKER_HOST="unix://$SOCK" timeout 10 docker info >/dev/null 2>&1
}

start() {
  if pid_running; then
    docker_ok && return 0
    # running but not answering yet (e.g. a concurrent start): wait below
  else
    command -v dockerd >/dev/null || die "dockerd not found: run infra/scripts/ensure-tools.sh"
    command -v docker >/dev/null || die "docker CLI not found: run infra/scripts/ensure-tools.sh"
    [ "$(id -u)" -eq 0 ] || die "dockerd must run as root"
    [ ${#SOCK} -lt 100 ] || die "socket path too long (${#SOCK} bytes): $SOCK; set WHARF_DOCKERD_DIR to a shorter folder"
    mkdir -p "$D/data" "$D/exec"
    # Our own (empty) daemon.json, so /etc/docker/daemon.json on the machine cannot clash with
    # the flags below ("directives specified both as a flag and in the configuration file").
    [ -f "$D/daemon.json" ] || echo '{}' >"$D/daemon.json"
    rm -f "$SOCK" "$PIDFILE"
    # setsid: own session, so the daemon survives the calling shell and is not hit by its signals
    setsid dockerd \
      --config-file="$D/daemon.json" \
      --host="unix://$SOCK" \
      --data-root="$D/data" \
      --exec-root="$D/exec" \
      --pidfile="$PIDFILE" \
      --iptables=false --ip6tables=false --bridge=none \
      --storage-driver=vfs \
      --insecure-registry=127.0.0.0/8 \
      </dev/null >"$LOG" 2>&1 &
    local launched=$!
    echo "$launched" >"$D/launcher.pid"
  fi
  local deadline=$((SECONDS + START_TIMEOUT))
  until docker_ok; do
    if [ -f "$D/launcher.pid" ] && ! kill -0 "$(cat "$D/launcher.pid")" 2>/dev/null && ! pid_running; then
      echo "---- last lines of $LOG ----" >&2
      tail -n 20 "$LOG" >&2 || true
      die "dockerd exited during startup (log: $LOG)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "---- last lines of $LOG ----" >&2
      tail -n 20 "$LOG" >&2 || true
      die "dockerd did not answer 'docker info' on unix://$SOCK within ${START_TIMEOUT}s (log: $LOG)"
    fi
    sleep 1
  done
}

stop() {
  local pid=""
  if [ -f "$PIDFILE" ]; then
    pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  elif [ -f "$D/launcher.pid" ]; then
    pid="$(cat "$D/launcher.pid" 2>/dev/null || true)"
  fi
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    [ "$(cat "/proc/$pid/comm" 2>/dev/null || echo dockerd)" = dockerd ]; then
    kill -TERM "$pid"
    local i=0
    while kill -0 "$pid" 2>/dev/null; do
      if [ "$i" -ge 30 ]; then
        echo "dockerd.sh: dockerd ($pid) ignored SIGTERM for 30s, sending SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
        sleep 1
        break
      fi
      sleep 1
      i=$((i + 1))
    done
  fi
  rm -f "$PIDFILE" "$D/launcher.pid" "$SOCK"
  unmount_leftovers
}

# dockerd bind-mounts its data-root onto itself (and may leave other mounts below $D) and does
# not undo it on exit; unmount them (deepest first) so that `rm -rf .cache` works afterwards.
unmount_leftovers() {
  local m
  awk -v d="$D" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo 2>/dev/null |
    sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "dockerd.sh: could not unmount $m" >&2
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) pid_running && docker_ok ;;
  env)
    echo "export DOCKER_HOST=unix://$SOCK"
    echo "export DOCKER_CONFIG=${DOCKER_CONFIG:-$D/client-config}"
    ;;
  *)
    echo "usage: $0 start|stop|status|env" >&2
    exit 2
    ;;
esac
