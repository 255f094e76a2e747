#!/usr/bin/env bash
# Workload W6 (see /work/shared/workloads.md): rendering throughput. Simulates a small
# 2-D run with 100 snapshots (random walkers, 1000 x 1000 um, ~2000-2700 cells, 50 x 50
# voxels), then times `hlhsim render` of all 100 frames at 1000 x 1000 px (PNG files,
# off-screen; a private Xvfb is started when DISPLAY is unset, and its start-up is
# included in the time). Prints one line:
#   W6 frames=100 size=1000x1000 wall_s=<seconds>
# Usage: benchmarks/render_w6.sh [path/to/hlhsim]   (default build/release/sim/cli/hlhsim)
set -euo pipefail
cd "$(dirname "$0")/.."
hlhsim="${1:-build/release/sim/cli/hlhsim}"
[ -x "$hlhsim" ] || { echo "render_w6: no hlhsim at $hlhsim (build first)" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$hlhsim" run configs/examples/random_walkers.yaml --out "$tmp/w6.h5" --quiet \
    --set duration='99 min' --set output.snapshot_every='1 min' \
    --set walkers.count=2000 --set "domain.size=[1000 um, 1000 um]"
start=$(date +%s.%N)
"$hlhsim" render "$tmp/w6.h5" --size 1000x1000 --out "$tmp/frames" >/dev/null
end=$(date +%s.%N)
frames=$(find "$tmp/frames" -name 'frame_*.png' | wc -l)
echo "W6 frames=$frames size=1000x1000 wall_s=$(echo "$end - $start" | bc -l | xargs printf '%.2f')"
