#!/usr/bin/env bash
# The action's self-test: the committed bundle against the simulator (the demo's candidate, src/cli/demo.ts),
# asserting the action's outputs. On GitHub, ci.yml runs `serve`, then the action itself (`uses: ./`),
# then `check`; locally (.ci/run) `local` does the same, running dist/index.js as the runner would
# (INPUT_* variables, a GITHUB_OUTPUT file).
#   self-test.sh serve           start the simulator in the background, wait for /health
#   self-test.sh check           assert the outputs, given as VERDICT, ACCURACY, ... (see below)
#   self-test.sh stop            stop the simulator started by serve
#   self-test.sh local           all of the above, without GitHub
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${SELF_TEST_PORT:-18123}"
BASE_URL="http://127.0.0.1:${PORT}/v1"
DIR="${SELF_TEST_DIR:-${RUNNER_TEMP:-/tmp}/videophy-self-test}"
NODE="${NODE:-node}"

serve() {
  mkdir -p "$DIR"
  # The demo's improving candidate: the baseline's checkpoint (accuracy 0.4, seed 0) changed on 25% of
  # the videos, accuracy +0.07 expected; examples/baseline.json is that checkpoint's run.
  "$NODE" dist/cli/index.js simulate --port "$PORT" --answer-key examples/videophy2-sample.csv \
    --accuracy 0.4 --seed 0 --agreement 0.75 --accuracy-delta 0.07 --latency-ms 5-40 \
    >"$DIR/simulator.log" 2>&1 &
  echo $! >"$DIR/simulator.pid"
  for _ in $(seq 1 100); do
    # Node's fetch, not curl: a CI container may have no curl.
    if "$NODE" -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
      "http://127.0.0.1:${PORT}/health" 2>/dev/null; then
      echo "simulator up at $BASE_URL (pid $(cat "$DIR/simulator.pid"))"
      return 0
    fi
    sleep 0.1
  done
  echo "::error::the simulator did not answer /health on port $PORT" >&2
  cat "$DIR/simulator.log" >&2
  return 1
}

stop() {
  if [ -f "$DIR/simulator.pid" ]; then
    kill "$(cat "$DIR/simulator.pid")" 2>/dev/null || true
    rm -f "$DIR/simulator.pid"
  fi
}

fail() {
  echo "::error::self-test: $*" >&2
  exit 1
}

# The outputs of the action (steps.<id>.outputs.*), passed as environment variables.
check() {
  echo "verdict=${VERDICT:-} accuracy=${ACCURACY:-} accuracy-delta=${ACCURACY_DELTA:-} num-samples=${NUM_SAMPLES:-} num-errors=${NUM_ERRORS:-}"
  [ "${VERDICT:-}" = improvement ] || fail "verdict is '${VERDICT:-}', expected improvement"
  [ "${NUM_SAMPLES:-}" = 300 ] || fail "num-samples is '${NUM_SAMPLES:-}', expected 300"
  [ "${NUM_ERRORS:-}" = 0 ] || fail "num-errors is '${NUM_ERRORS:-}', expected 0"
  awk -v d="${ACCURACY_DELTA:-x}" 'BEGIN { exit !(d + 0 > 0 && d ~ /^[0-9.e+-]+$/) }' ||
    fail "accuracy-delta is '${ACCURACY_DELTA:-}', expected a positive number"
  [ -f "${SUMMARY_PATH:-}" ] || fail "summary-path '${SUMMARY_PATH:-}' is not a file"
  [ -f "${RESULTS_PATH:-}" ] || fail "results-path '${RESULTS_PATH:-}' is not a file"
  # The outputs are the summary's own numbers.
  "$NODE" -e '
    const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const [verdict, accuracy] = process.argv.slice(2);
    if (s.verdict !== verdict) throw new Error(`summary.json verdict ${s.verdict}, output ${verdict}`);
    if (String(s.accuracy) !== accuracy) throw new Error(`summary.json accuracy ${s.accuracy}, output ${accuracy}`);
  ' "$SUMMARY_PATH" "$VERDICT" "${ACCURACY:-}" || fail "outputs and summary.json disagree"
  [ "$(wc -l <"$RESULTS_PATH")" -eq 300 ] || fail "results.jsonl has $(wc -l <"$RESULTS_PATH") rows, expected 300"
  echo "self-test: the action's outputs are as expected"
}

# Runs dist/index.js as the runner runs `uses: ./` with these inputs, and reads GITHUB_OUTPUT back.
local_run() {
  serve
  trap stop EXIT
  local out="$DIR/github-output" results="$DIR/results"
  rm -rf "$out" "$results"
  : >"$out"
  : >"$DIR/step-summary.md"
  env "INPUT_BASE-URL=$BASE_URL" "INPUT_DATASET=examples/videophy2-sample.csv" \
    "INPUT_BASELINE=examples/baseline.json" "INPUT_COMMENT=never" "INPUT_OUTPUT-DIR=$results" \
    "GITHUB_OUTPUT=$out" "GITHUB_STEP_SUMMARY=$DIR/step-summary.md" "GITHUB_WORKSPACE=$PWD" \
    "$NODE" dist/index.js >"$DIR/action.log" 2>&1 || {
    tail -30 "$DIR/action.log" >&2
    fail "the action failed"
  }
  # GITHUB_OUTPUT holds name<<DELIMITER / value / DELIMITER blocks (@actions/core's file command).
  output() { awk -v name="$1" '$0 ~ "^" name "<<" { d = substr($0, length(name) + 3); getline; print; exit }' "$out"; }
  VERDICT="$(output verdict)" ACCURACY="$(output accuracy)" ACCURACY_DELTA="$(output accuracy-delta)" \
    NUM_SAMPLES="$(output num-samples)" NUM_ERRORS="$(output num-errors)" \
    SUMMARY_PATH="$(output summary-path)" RESULTS_PATH="$(output results-path)" check
}

case "${1:-}" in
  serve) serve ;;
  check) check ;;
  stop) stop ;;
  local) local_run ;;
  *)
    echo "usage: $0 serve|check|stop|local" >&2
    exit 2
    ;;
esac
