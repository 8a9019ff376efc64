#!/usr/bin/env bash
# Regenerates assets/probe.mp4, the tiny video of the fidelity guard (src/vision/probe.ts holds its constants):
# 3 s at 16 fps (48 frames), 448x256, a white square crossing a grey field; H.264 baseline, yuv420p, no audio, moov first.
# Chosen so that fps 16 vs 8 samples 48 vs 24 frames (more than the 32 a server without the num_frames flag
# decodes, so such a server cannot look faithful on it) and longest_edge 2 x 6,422,528 vs 1,572,864 gives
# 256x448 vs a smaller size: the four probe requests then cost four different numbers of prompt tokens.
# Needs Debian's ffmpeg (apt-get install ffmpeg). Output is not bit-reproducible across ffmpeg versions;
# its metadata (frames, rate, size) is, and that is all the tests read.
set -euo pipefail
out="${1:-$(dirname "$0")/../assets/probe.mp4}"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "color=c=0x808080:s=448x256:r=16:d=3[bg];color=c=white:s=32x32:r=16:d=3[box];[bg][box]overlay=x='t*128':y=112" \
  -frames:v 48 -c:v libx264 -profile:v baseline -pix_fmt yuv420p -g 48 -bf 0 -an \
  -movflags +faststart -map_metadata -1 -fflags +bitexact -flags:v +bitexact "$out"
echo "wrote $out ($(wc -c <"$out") bytes)"
