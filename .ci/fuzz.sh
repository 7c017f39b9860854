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
# A failure on the committed corpus, a build error or a crash fails the
# script. An input the fuzzer finds new within the run is a finding: it is
# printed in full with the replay command, and fails the script only with
# FUZZ_STRICT=1 (developers: run that way, triage, fix, and commit the input
# to the corpus, where every `go test` then holds it). A random search must
# not make CI's verdict on a commit a matter of luck; the corpus does that
# job, and the findings are in the log for whoever reads it.
#
# Go 1.26's fuzz coordinator can report "context deadline exceeded" when
# -fuzztime ends while a worker is mid-call, with no failing input
# (golang/go#75804, fixed in Go 1.27). Such a run wrote no reproducer and
# is reported as a flake, not a failure; a run that wrote a reproducer, or
# failed any other way, fails the script.
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
found=()
flaked=()
count=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for dir in "${pkgs[@]}"; do
  dir="$(cd "$dir" && pwd)"
  mapfile -t targets < <(grep -ho '^func Fuzz[A-Za-z0-9_]*(f \*testing\.F)' "$dir"/*_test.go 2>/dev/null |
    sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/' | sort -u)
  for t in "${targets[@]}"; do
    [ -n "$t" ] || continue
    count=$((count + 1))
    rel="./${dir#"$PWD"/}"
    echo "--- fuzz $rel $t ($fuzztime)"
    corpus="$dir/testdata/fuzz/$t"
    before="$( (ls "$corpus" 2>/dev/null || true) | wc -l)"
    if go test "$rel" -run='^$' -fuzz="^${t}\$" -fuzztime="$fuzztime" 2>&1 | tee "$log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
      continue
    fi
    after="$( (ls "$corpus" 2>/dev/null || true) | wc -l)"
    if [ "$after" -eq "$before" ] && grep -q '^    context deadline exceeded$' "$log" && ! grep -q 'Failing input written' "$log"; then
      echo "fuzz: $t: coordinator deadline race (golang/go#75804), no failing input: not a failure"
      flaked+=("$rel $t")
    elif [ "$after" -gt "$before" ] && grep -q 'Failing input written' "$log"; then
      echo "fuzz: $t: NEW FINDING; the input:"
      for f in $(ls -t "$corpus" | head -n $((after - before))); do
        echo "  $corpus/$f:"
        sed 's/^/    /' "$corpus/$f"
      done
      found+=("$rel $t")
    else
      failed+=("$rel $t")
    fi
  done
done

echo "fuzz: ran $count targets, ${#failed[@]} failed, ${#found[@]} found new failing inputs, ${#flaked[@]} hit the coordinator deadline race"
if [ ${#found[@]} -gt 0 ]; then
  printf 'FUZZ FINDING (replay with go test -run=<Target>/<file>; commit the input once fixed): %s\n' "${found[@]}"
fi
if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
if [ ${#found[@]} -gt 0 ] && [ "${FUZZ_STRICT:-0}" = 1 ]; then
  exit 1
fi
