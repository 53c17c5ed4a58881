#!/usr/bin/env bash
# Installs every external tool the end-to-end tests need, idempotently.
#
#   infra/scripts/ensure-tools.sh        # quiet when everything is already present
#   infra/scripts/ensure-tools.sh -v     # also print one line per tool (name + version)
#
# 1. Debian packages (installed only when missing; `apt-get update` only then):
#      docker.io podman skopeo docker-registry apache2-utils postgresql-15 (the "external database"
#      of tests) nginx-light (the load balancer of the scale-out tests) chromium (the browser of
#      the portal's browser tests, driven by playwright-core)
#    Package services are never started: a policy-rc.d that forbids starts is put in place for
#    the install, and the packaged docker-registry service (Distribution 2.8.2 listening on
#    all interfaces at :5000) is stopped/disabled afterwards. Tests start their own daemons
#    (infra/scripts/dockerd.sh, `docker-registry serve <own config>`).
# 2. Go-built tools, pinned, into $REPO/.cache/bin (git-ignored). Each binary has a version
#    stamp in .cache/bin/.stamps/<name>; a tool is rebuilt only when the binary or the stamp
#    is missing or the stamp differs from the pin below.
#      crane, oras, minio (S3 server), oci-conformance-legacy (go test -c), oci-conformance-main (go build)
#    Go uses its normal GOPATH/GOMODCACHE/GOCACHE (default ~/go, ~/.cache/go-build), so they
#    persist between runs; override them in the environment to relocate (e.g. for CI caching).
#
# Environment: WHARF_TOOLS_BIN overrides the binary folder (default $REPO/.cache/bin).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${WHARF_TOOLS_BIN:-$REPO/.cache/bin}"
STAMPS="$BIN/.stamps"

# ---- pins -----------------------------------------------------------------------------
CRANE_MOD="github.com/google/go-containerregistry/cmd/crane"
CRANE_VERSION="v0.22.1"
ORAS_MOD="oras.land/oras/cmd/oras"
ORAS_VERSION="v1.3.6"
# The S3 server of the storage tests (MinIO publishes no semver tags: a pinned pseudo-version).
MINIO_MOD="github.com/minio/minio"
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
CONFORMANCE_MOD="github.com/opencontainers/distribution-spec/conformance"
# v1.1.x-era suite (ginkgo, `go test -c`); what most registries cite as "OCI conformance".
CONFORMANCE_LEGACY_VERSION="v0.0.0-20231101194043-f2182352d4cc"
# Redesigned suite on main (package main, `go build`; needs Go >= 1.24).
CONFORMANCE_MAIN_VERSION="v0.0.0-20260831232431-97274622c111"
APT_PACKAGES=(docker.io podman skopeo docker-registry apache2-utils postgresql-15 nginx-light chromium)

VERBOSE=0
case "${1:-}" in
  -v | --verbose) VERBOSE=1 ;;
  "") ;;
  -h | --help)
    sed -n '2,20p' "$0"
    exit 0
    ;;
  *)
    echo "usage: $0 [-v]" >&2
    exit 2
    ;;
esac

log() { echo "ensure-tools: $*" >&2; }
die() {
  echo "ensure-tools: ERROR: $*" >&2
  exit 1
}

# ---- 1. Debian packages ---------------------------------------------------------------
pkg_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

ensure_apt() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    pkg_installed "$p" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get on this machine"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "missing packages (${missing[*]}): run as root or install sudo"
    sudo=(sudo)
  fi
  log "installing Debian packages: ${missing[*]}"
  # Forbid service starts during the install (docker.io and docker-registry ship services).
  # Respect an existing policy-rc.d (e.g. the one Docker images carry); only add/remove ours.
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# added by wharf ensure-tools.sh during apt-get install\nexit 101\n' |
      "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    own_policy=1
  fi
  local rc=0
  {
    # wait up to 10 minutes for a concurrent apt/dpkg instead of failing on the lock
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq update &&
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq \
        install -y "${missing[@]}"
  } >/tmp/wharf-ensure-tools-apt.log 2>&1 || rc=$?
  [ "$own_policy" = 1 ] && "${sudo[@]}" rm -f "$policy"
  [ "$rc" -eq 0 ] || die "apt-get install ${missing[*]} failed (rc=$rc), see /tmp/wharf-ensure-tools-apt.log"
  # Never leave the packaged reference registry running or enabled.
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
    "${sudo[@]}" systemctl disable --now docker-registry.service >/dev/null 2>&1 || true
  elif [ -x /etc/init.d/docker-registry ]; then
    "${sudo[@]}" /etc/init.d/docker-registry stop >/dev/null 2>&1 || true
    command -v update-rc.d >/dev/null && "${sudo[@]}" update-rc.d docker-registry disable >/dev/null 2>&1 || true
  fi
}

# ---- 2. Go-built tools ----------------------------------------------------------------
stamp_ok() { # name version
  [ -x "$BIN/$1" ] && [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]
}

write_stamp() { # name version
  mkdir -p "$STAMPS"
  printf '%s\n' "$2" >"$STAMPS/$1"
}

need_go() {
  command -v go >/dev/null || die "Go is required to build $1 (install Go >= 1.24 and make sure 'go' is in PATH)"
}

TMPDIRS=()
cleanup() {
  local d
  for d in "${TMPDIRS[@]+"${TMPDIRS[@]}"}"; do
    chmod -R u+w "$d" 2>/dev/null || true
    rm -rf "$d"
  done
}
trap cleanup EXIT

go_install() { # name module version
  local name=$1 mod=$2 ver=$3 tmp
  stamp_ok "$name" "$ver" && return 0
  need_go "$name"
  log "building $name $ver"
  tmp="$(mktemp -d)"
  TMPDIRS+=("$tmp")
  GOBIN="$tmp" go install "$mod@$ver" >"$tmp.log" 2>&1 || {
    cat "$tmp.log" >&2
    rm -f "$tmp.log"
    die "go install $mod@$ver failed"
  }
  rm -f "$tmp.log"
  mkdir -p "$BIN"
  mv -f "$tmp/$name" "$BIN/$name"
  write_stamp "$name" "$ver"
}

# Copy a module's source out of the (read-only) module cache into the writable folder $3.
# The module has its own go.mod/go.sum, so it builds there as the main module.
module_src() { # module version dest
  local json dir
  json="$(go mod download -json "$1@$2" 2>&1)" || die "go mod download $1@$2 failed: $json"
  dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -n "$dir" ] && [ -f "$dir/go.mod" ] || die "go mod download $1@$2 did not give a module folder: $json"
  cp -R "$dir/." "$3/"
  chmod -R u+w "$3"
}

build_conformance_legacy() {
  local name=oci-conformance-legacy ver=$CONFORMANCE_LEGACY_VERSION src
  stamp_ok "$name" "$ver" && return 0
  need_go "$name"
  log "building $name ($CONFORMANCE_MOD@$ver, go test -c)"
  src="$(mktemp -d)"
  TMPDIRS+=("$src")
  module_src "$CONFORMANCE_MOD" "$ver" "$src"
  (cd "$src" && go test -c -o "$src/$name" . >"$src/build.log" 2>&1) || {
    cat "$src/build.log" >&2
    die "go test -c of $CONFORMANCE_MOD@$ver failed"
  }
  mkdir -p "$BIN"
  mv -f "$src/$name" "$BIN/$name"
  write_stamp "$name" "$ver"
}

build_conformance_main() {
  local name=oci-conformance-main ver=$CONFORMANCE_MAIN_VERSION src
  stamp_ok "$name" "$ver" && return 0
  need_go "$name"
  log "building $name ($CONFORMANCE_MOD@$ver, go build)"
  src="$(mktemp -d)"
  TMPDIRS+=("$src")
  module_src "$CONFORMANCE_MOD" "$ver" "$src"
  # The suite reports its commit from VCS build info, absent in a module copy: inject it
  # (main.Version is the Makefile's fallback) so report.html / results.yaml name the commit.
  (cd "$src" && go build -ldflags "-X main.Version=${ver##*-}" -o "$src/$name" . >"$src/build.log" 2>&1) || {
    cat "$src/build.log" >&2
    die "go build of $CONFORMANCE_MOD@$ver failed"
  }
  mkdir -p "$BIN"
  mv -f "$src/$name" "$BIN/$name"
  write_stamp "$name" "$ver"
}

# Serialize concurrent runs (e.g. parallel CI/nx targets) on a lock file in the bin folder.
mkdir -p "$BIN"
if command -v flock >/dev/null; then
  exec 9>"$BIN/.lock"
  flock 9
fi

ensure_apt
go_install crane "$CRANE_MOD" "$CRANE_VERSION"
go_install oras "$ORAS_MOD" "$ORAS_VERSION"
go_install minio "$MINIO_MOD" "$MINIO_VERSION"
build_conformance_legacy
build_conformance_main

# ---- report ---------------------------------------------------------------------------
if [ "$VERBOSE" = 1 ]; then
  first_line() { "$@" 2>&1 | head -n1 || true; }
  printf '%-24s %s\n' \
    docker "$(first_line docker --version)" \
    dockerd "$(first_line dockerd --version)" \
    podman "$(first_line podman --version)" \
    skopeo "$(first_line skopeo --version)" \
    docker-registry "$(first_line docker-registry --version)" \
    htpasswd "apache2-utils $(dpkg-query -W -f='${Version}' apache2-utils)" \
    chromium "$(first_line chromium --version)" \
    crane "$(cat "$STAMPS/crane") ($("$BIN/crane" version 2>&1 | head -n1))" \
    oras "$(cat "$STAMPS/oras") ($("$BIN/oras" version 2>&1 | head -n1))" \
    minio "$MINIO_MOD@$(cat "$STAMPS/minio")" \
    oci-conformance-legacy "$CONFORMANCE_MOD@$(cat "$STAMPS/oci-conformance-legacy")" \
    oci-conformance-main "$CONFORMANCE_MOD@$(cat "$STAMPS/oci-conformance-main")"
fi
