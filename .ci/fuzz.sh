#!/usr/bin/env bash
# Runs every fuzz target of the module for a bounded time (DESIGN.md
# principle 9: every parser of user text and of payloads is fuzzed).
#
# Targets are found, not listed: every `func FuzzX(f *testing.F)` in a
# _test.go file, so a new target runs here the day it is written. Each runs
# alone (go test -fuzz accepts one target per run) for FUZZTIME (default
# 5s: there are about twenty targets and the whole run should stay under
# ~4 minutes; the committed corpora under testdata/fuzz/ also run in every
# plain `go test`). Any failure fails the script; the failing input is left
# in testdata/fuzz/<Target>/ for `go test -run=<Target>/<file>` to replay.
#
#   FUZZTIME=30s .ci/fuzz.sh            # longer
#   .ci/fuzz.sh ./handlers/timezones    # one package
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime="${FUZZTIME:-5s}"
pkgs=("$@")
if [ ${#pkgs[@]} -eq 0 ]; then
  mapfile -t pkgs < <(go list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.Dir}}{{end}}' ./... | grep -v '^$')
fi

failed=()
count=0
for dir in "${pkgs[@]}"; do
  dir="$(cd "$dir" && pwd)"
  mapfile -t targets < <(grep -ho '^func Fuzz[A-Za-z0-9_]*(f \*testing\.F)' "$dir"/*_test.go 2>/dev/null |
    sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/' | sort -u)
  for t in "${targets[@]}"; do
    [ -n "$t" ] || continue
    count=$((count + 1))
    rel="./${dir#"$PWD"/}"
    echo "--- fuzz $rel $t ($fuzztime)"
    if ! go test "$rel" -run='^$' -fuzz="^${t}\$" -fuzztime="$fuzztime"; then
      failed+=("$rel $t")
    fi
  done
done

echo "fuzz: ran $count targets, ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
