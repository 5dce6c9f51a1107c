#!/usr/bin/env bash
# End-to-end benchmark: the LoRaLab stack, the load generator and (with --limit) the limit
# receiver, each in its own JVM, over loopback UDP. Results: <out>/result-<devices>.json, the
# stack's log and /metrics per step in <out>.
#
#   benchmarks/run-e2e.sh [driver options]
#
# Defaults below; any option given on the command line overrides them (last one wins), e.g.
#   benchmarks/run-e2e.sh --devices 10000 --rates 1000,2000,3000 --limit
#   benchmarks/run-e2e.sh --devices 10000 --rates 2000 --sse 100
# Options: --devices N --gateways M --rates R1,R2,... --duration S --warmup S --warmup-rate R
#   --heap 2g --sse K --limit --limit-only --limit-rate R --limit-duration S
#   --register-concurrency C --fcnt-sample N --stack-set key=value,...
#   --jvm-args "..." (the stack JVM's options; default as ./loralab sets them: -XX:MaxGCPauseMillis=20
#   -XX:+UnlockExperimentalVMOptions -XX:G1NewSizePercent=40)
#   --join-devices J --join-rates R1,R2,... (join-requests of J OTAA devices) --keep-data
#   --dev-status-known (devices registered as having reported their status: no DevStatusReq downlink
#   wanted on each device's first uplink)
#   --fcnt-spread S (default 200: device i's FCnts run (73 i mod S) ahead, so the fleet's counters are not in
#   step; 0: every device at the same FCnt, as rounds 1-5 ran. Since round 11 the network server spreads the
#   periodic DevStatusReq itself, at a phase per device counted from its first uplink, either way)
#   --profile (async-profiler CPU profile of each measured step, per thread, 1 ms: DIR/profile-N-RATE.collapsed;
#   summary: java -cp benchmarks/target/benchmarks.jar dev.loralab.benchmarks.e2e.ProfileSummary FILE [FILTER])
#   --backlog-sample-ms P (every P ms of a step, read the stack's uplinks in flight and datagrams pending from
#   /metrics: their max, p99 and p90 in the step's "stack_backlog"; default 0, not sampled)
#   --loralab-jar cli/target/loralab.jar --out DIR
# Needs: ./mvnw -B -q -o -pl cli install -DskipTests and ./mvnw -B -q -o -pl benchmarks install -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
for jar in cli/target/loralab.jar benchmarks/target/benchmarks.jar; do
  if [[ ! -f "$jar" ]]; then
    echo "missing $jar: build it first (see the header of this script)" >&2
    exit 2
  fi
done
exec java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.loralab.benchmarks.e2e.E2eDriver \
  --devices 10000 --gateways 500 --warmup 20 --warmup-rate 1000 --rates 1000,2000,3000 --duration 20 \
  --heap 2g --out benchmarks/target/e2e "$@"
