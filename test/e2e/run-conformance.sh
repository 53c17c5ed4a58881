#!/usr/bin/env bash
# Runs one OCI distribution-spec conformance suite against a running registry.
#
#   test/e2e/run-conformance.sh <legacy|main> <registry-base-url> <report-dir> [repo1] [repo2]
#   e.g. test/e2e/run-conformance.sh main http://127.0.0.1:5000 reports/conformance-main
#
# Binaries come from infra/scripts/ensure-tools.sh ($REPO/.cache/bin, or $WHARF_TOOLS_BIN):
#   legacy = distribution-spec/conformance v0.0.0-20231101194043-f2182352d4cc (v1.1.x-era, ginkgo)
#   main   = distribution-spec/conformance v0.0.0-20260831232431-97274622c111 (redesigned suite)
# OCI_USERNAME / OCI_PASSWORD are passed through from the environment when set. Every OCI_*
# setting below is only a default (a value already set in the environment wins), except the
# ones derived from the arguments (URL, TLS for http://, report dir, repo1/repo2 when given).
#
# Output: the suite's own output goes to <report-dir>/output.log, its reports (junit.xml,
# report.html, and for main results.yaml) to <report-dir>; names of failed tests go to stderr;
# the last line on stdout is exactly `conformance-<suite>: N passed, N failed, N skipped`
# (counted from junit.xml by test/e2e/junit-count.mjs: one per junit <testcase>; the main
# suite's own console summary counts individual checks instead, so its numbers are larger).
# Exit code: 0 = all passed; 1 = a test failed or the suite reported failure; 2 = usage error
# or the suite could not run (missing binary/node, no junit.xml...).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BIN="${WHARF_TOOLS_BIN:-$REPO/.cache/bin}"

die() { # message [exit code]
  echo "run-conformance: ERROR: $1" >&2
  exit "${2:-2}"
}

[ $# -ge 3 ] && [ $# -le 5 ] ||
  die "usage: $0 <legacy|main> <registry-base-url e.g. http://127.0.0.1:5000> <report-dir> [repo1] [repo2]"
SUITE=$1
BASE_URL=${2%/}
REPORT_DIR=$3

case "$SUITE" in
  legacy | main) ;;
  *) die "unknown suite '$SUITE' (expected legacy or main)" ;;
esac
case "$BASE_URL" in
  http://* | https://*) ;;
  *) die "registry base URL must start with http:// or https:// (got '$BASE_URL')" ;;
esac
SCHEME=${BASE_URL%%://*}
HOSTPORT=${BASE_URL#*://}
case "$HOSTPORT" in
  "" | */*) die "registry base URL must be <scheme>://<host>[:<port>] without a path (got '$BASE_URL')" ;;
esac

SUITE_BIN="$BIN/oci-conformance-$SUITE"
[ -x "$SUITE_BIN" ] || die "missing conformance binary $SUITE_BIN: run infra/scripts/ensure-tools.sh"
command -v node >/dev/null || die "node is required to count the results (test/e2e/junit-count.mjs)"
[ -f "$HERE/junit-count.mjs" ] || die "missing $HERE/junit-count.mjs"

# Fail fast (exit 2) when nothing listens at the registry address: otherwise every test
# "fails" and the counts would look like a conformance result.
node -e '
  const net = require("node:net");
  const u = new URL(process.argv[1]);
  const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const s = net.connect({ host, port, timeout: 5000 }, () => { s.end(); process.exit(0); });
  const fail = (e) => { console.error(`registry not reachable at ${host}:${port}: ${e}`); process.exit(1); };
  s.on("timeout", () => fail("timeout")); s.on("error", (e) => fail(e.code || e.message));
' "$BASE_URL" || die "no registry listening at $BASE_URL; start it first"

mkdir -p "$REPORT_DIR"
REPORT_DIR="$(cd "$REPORT_DIR" && pwd)"
rm -f "$REPORT_DIR/junit.xml" "$REPORT_DIR/report.html" "$REPORT_DIR/results.yaml" "$REPORT_DIR/output.log"
LOG="$REPORT_DIR/output.log"

[ -n "${OCI_USERNAME:-}" ] && export OCI_USERNAME
[ -n "${OCI_PASSWORD:-}" ] && export OCI_PASSWORD

if [ "$SUITE" = legacy ]; then
  # -- legacy suite (ginkgo test binary). Reads only the v1.1.x variables. --------------------
  export OCI_ROOT_URL="$BASE_URL"
  export OCI_NAMESPACE="${4:-${OCI_NAMESPACE:-conformance/legacy}}"
  export OCI_CROSSMOUNT_NAMESPACE="${5:-${OCI_CROSSMOUNT_NAMESPACE:-conformance/legacy-mount}}"
  export OCI_TEST_PULL="${OCI_TEST_PULL:-1}"
  export OCI_TEST_PUSH="${OCI_TEST_PUSH:-1}"
  export OCI_TEST_CONTENT_DISCOVERY="${OCI_TEST_CONTENT_DISCOVERY:-1}"
  export OCI_TEST_CONTENT_MANAGEMENT="${OCI_TEST_CONTENT_MANAGEMENT:-1}"
  # Mount without `from`: the spec lets a registry either mount any blob the caller can read
  # (201, "automatic content discovery") or ignore the mount and open an upload session (202).
  # protocol.md §2.7 chooses the latter for Wharf (no `from`, missing blob or no right on
  # `from` -> normal session, 202; never 404), which is spec-exact. So we set 0: the suite then
  # runs "Cross-mounting without from, and automatic content discovery disabled should return
  # a 202" and checks exactly that behaviour (unset would skip both variants; 1 would demand 201).
  # OCI_AUTOMATIC_CROSSMOUNT=skip skips both variants.
  export OCI_AUTOMATIC_CROSSMOUNT="${OCI_AUTOMATIC_CROSSMOUNT-0}"
  [ "$OCI_AUTOMATIC_CROSSMOUNT" = skip ] && unset OCI_AUTOMATIC_CROSSMOUNT
  # OCI_DELETE_MANIFEST_BEFORE_BLOBS is left to the suite's default (true: teardown deletes
  # manifests, then blobs) unless the caller sets it.
  export OCI_REPORT_DIR="$REPORT_DIR"
  args=(-test.timeout=30m)
  [ -t 1 ] || args+=(-ginkgo.no-color)
else
  # -- main suite. Clear the legacy variables (it maps them, with warnings, onto its own). ---
  unset OCI_ROOT_URL OCI_NAMESPACE OCI_CROSSMOUNT_NAMESPACE OCI_TEST_PULL OCI_TEST_PUSH \
    OCI_TEST_CONTENT_DISCOVERY OCI_TEST_CONTENT_MANAGEMENT OCI_DEBUG OCI_TAG_NAME \
    OCI_MANIFEST_DIGEST OCI_BLOB_DIGEST OCI_AUTOMATIC_CROSSMOUNT OCI_REPORT_DIR
  export OCI_REGISTRY="$HOSTPORT"
  if [ "$SCHEME" = http ]; then
    export OCI_TLS=disabled
  else
    export OCI_TLS="${OCI_TLS:-enabled}" # set OCI_TLS=insecure for a self-signed certificate
  fi
  export OCI_REPO1="${4:-${OCI_REPO1:-conformance/main-a}}"
  export OCI_REPO2="${5:-${OCI_REPO2:-conformance/main-b}}"
  export OCI_VERSION="${OCI_VERSION:-1.1}"
  export OCI_RESULTS_DIR="$REPORT_DIR"
  # Every API test on. With OCI_VERSION=1.1 the suite leaves the post-1.1.1 ("dev") checks
  # off by default; we turn them on: upload cancel (DELETE of a session), required
  # Docker-Content-Digest on blob and manifest responses, and `?tag=` on a manifest PUT by digest.
  # Optional features a registry may lack (anonymous mount answered 202, tag params without
  # OCI-Tag, POST-with-body answered 202) are reported by the suite as "skipped", not failed.
  for v in PING PULL PUSH REFERRER \
    BLOBS_ATOMIC BLOBS_DELETE BLOBS_DIGEST_HEADER BLOBS_MOUNT_ANONYMOUS BLOBS_UPLOAD_CANCEL \
    MANIFESTS_ATOMIC MANIFESTS_DELETE MANIFESTS_DIGEST_HEADER MANIFESTS_TAG_PARAM \
    TAGS_ATOMIC TAGS_DELETE TAGS_LIST; do
    var="OCI_API_$v"
    export "$var=${!var:-true}"
  done
  # Every data type on except SPARSE: a sparse manifest references blobs / child manifests
  # that were never pushed. A registry that validates references (Wharf by default, like
  # Distribution: missing config/layers -> 400 MANIFEST_BLOB_UNKNOWN, index children must
  # exist; protocol.md §3) must reject it, so the test would fail by design. The spec allows
  # either behaviour; set OCI_DATA_SPARSE=true when testing a registry configured to accept
  # sparse copies. (NONDISTRIBUTABLE stays on: those layers carry `urls` and are skipped.)
  for v in IMAGE INDEX INDEX_LIST ARTIFACT SUBJECT SUBJECT_MISSING ARTIFACT_LIST SUBJECT_LIST \
    DATA_FIELD NONDISTRIBUTABLE CUSTOM_FIELDS NO_LAYERS EMPTY_BLOB SHA512; do
    var="OCI_DATA_$v"
    export "$var=${!var:-true}"
  done
  export OCI_DATA_SPARSE="${OCI_DATA_SPARSE:-false}"
  # The suite would also load ./oci-conformance.yaml from its working directory: run it in
  # the report dir, and only use a config file when the caller sets OCI_CONFIGURATION.
  [ -f "$REPORT_DIR/oci-conformance.yaml" ] && [ -z "${OCI_CONFIGURATION:-}" ] &&
    echo "run-conformance: note: $REPORT_DIR/oci-conformance.yaml will be loaded" >&2
  args=()
fi

env | grep -E '^OCI_' | grep -v -E '^OCI_(USERNAME|PASSWORD)=' | sort >"$REPORT_DIR/env.txt"
rc=0
(cd "$REPORT_DIR" && timeout "${WHARF_CONFORMANCE_TIMEOUT:-1800}" "$SUITE_BIN" "${args[@]+"${args[@]}"}") \
  >"$LOG" 2>&1 || rc=$?

if [ ! -s "$REPORT_DIR/junit.xml" ]; then
  echo "---- last lines of $LOG ----" >&2
  tail -n 20 "$LOG" >&2 || true
  [ "$rc" = 124 ] && die "suite $SUITE timed out (WHARF_CONFORMANCE_TIMEOUT=${WHARF_CONFORMANCE_TIMEOUT:-1800}s)"
  die "suite $SUITE wrote no junit.xml (exit code $rc; is the registry at $BASE_URL up?); see $LOG"
fi

count_rc=0
summary="$(node "$HERE/junit-count.mjs" "$REPORT_DIR/junit.xml" --label "conformance-$SUITE" \
  --list-failed --max-list "${WHARF_CONFORMANCE_LIST_FAILED:-40}")" ||
  count_rc=$?
[ "$count_rc" -ge 2 ] && die "could not count results in $REPORT_DIR/junit.xml; see $LOG"
if [ "$rc" -ne 0 ] && [ "$count_rc" -eq 0 ]; then
  echo "run-conformance: suite $SUITE exited with code $rc although junit.xml has no failed test; see $LOG" >&2
fi
echo "run-conformance: reports in $REPORT_DIR (report.html, junit.xml, output.log)" >&2
echo "$summary"
if [ "$count_rc" -ne 0 ] || [ "$rc" -ne 0 ]; then
  exit 1
fi
exit 0
