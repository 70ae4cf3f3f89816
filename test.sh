#!/usr/bin/env bash
# Runs every test: restore, Release build (warnings are errors), xunit suite.
set -euo pipefail
cd "$(dirname "$0")"
# The conformance tests drive the official @huggingface/hub npm client (pinned in conformance/package-lock.json).
npm ci --prefix conformance --no-audit --no-fund --loglevel=error
# The official Python client runs from ../shared/clients on Debian's Python 3; its dependencies come from Debian, as
# does the Chromium that renders the HTML report in its browser test (driven by playwright-core from conformance/).
debs=()
/usr/bin/python3 -c "import httpx, filelock, fsspec, yaml, tqdm, packaging" 2>/dev/null || debs+=(python3-httpx python3-filelock python3-fsspec python3-yaml python3-tqdm python3-packaging)
[[ -x /usr/bin/chromium ]] || debs+=(chromium)
if ((${#debs[@]})); then
  sudo=""
  if [[ "$(id -u)" != 0 ]] && command -v sudo >/dev/null; then sudo=sudo; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${debs[@]}" >/dev/null
fi
dotnet restore Alimentar.sln
dotnet build Alimentar.sln -c Release --no-restore
# The CLI tests run the CLI as users install it: published ahead-of-time compiled (native), not the JIT build.
dotnet publish src/Alimentar.Cli -c Release --no-restore -o artifacts/cli -v q -nologo
export ALIMENTAR_CLI="$PWD/artifacts/cli/alimentar"
# The README's quick start, exactly as written there (the embedded hub's storage in a temporary folder).
quickstart=$(awk '/^## Quick start/{q=1} q && /^dotnet run /{print; exit}' README.md)
qs=$(mktemp -d)
if ! ALIMENTAR_LOCAL_HUB="$qs/hub" bash -c "$quickstart" >"$qs/out" 2>&1 || ! grep -q '^Published to datasets/demo/reviews@main' "$qs/out"; then
  cat "$qs/out"; echo "quick start failed: $quickstart"; exit 1
fi
echo "quick start: ok ($quickstart)"
rm -rf "$qs"
# Mutation fuzzing of every parser of untrusted bytes: a fixed seed and at most 3,000 inputs (or 8 s) a target, so
# every machine runs inputs already checked (README "Fuzzing"; longer runs with other seeds are for hunting).
dotnet run --project fuzz/Alimentar.Fuzz -c Release --no-build -- all --seconds 8 --inputs 3000 --seed 20261205
# Then guided by coverage (a SharpFuzz-instrumented copy of the libraries): 4 s a target. Threads share the edge map,
# so the inputs after the first few vary from run to run: a failure here is a new finding, saved in fuzz/findings/.
dotnet run --project fuzz/Alimentar.Fuzz -c Release --no-build -- all --seconds 4 --seed 20261205 --coverage
log=$(mktemp)
set +e
dotnet test tests/Alimentar.Tests/Alimentar.Tests.csproj -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain summary line ("N passed, N failed") for tools that read the closing line.
summary=$(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" | tail -1 || true)
if [[ -n "$summary" ]]; then
  failed=$(sed -E 's/Failed: +([0-9]+).*/\1/' <<<"$summary")
  passed=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$summary")
  echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
fi
rm -f "$log"
exit "$status"
