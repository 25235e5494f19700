#!/usr/bin/env bash
# Regenerates the committed media files served by runview-sim's media origin.
# Needs Debian's ffmpeg (apt-get install -y ffmpeg). Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")"

# 4 s, 320x180 test pattern, VP9 + Opus in WebM.
ffmpeg -y -loglevel error \
  -f lavfi -i "testsrc=size=320x180:rate=24:duration=4" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=4" \
  -c:v libvpx-vp9 -b:v 150k -deadline good -cpu-used 4 -row-mt 1 \
  -c:a libopus -b:a 32k -shortest clip.webm

# Same clip as H.264 + AAC in MP4 (faststart so browsers can play while loading).
ffmpeg -y -loglevel error \
  -f lavfi -i "testsrc=size=320x180:rate=24:duration=4" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=4" \
  -c:v libx264 -preset veryfast -crf 32 -pix_fmt yuv420p \
  -c:a aac -b:a 48k -movflags +faststart -shortest clip.mp4

# 4 s narration stand-in: a gentle two-tone chord, Opus in Ogg.
ffmpeg -y -loglevel error \
  -f lavfi -i "sine=frequency=220:sample_rate=48000:duration=4" \
  -f lavfi -i "sine=frequency=330:sample_rate=48000:duration=4" \
  -filter_complex "amix=inputs=2,volume=0.6" \
  -c:a libopus -b:a 24k narration.ogg

# Minimal valid glTF binary (GLB 2.0) with an empty scene, for the hologram output.
json='{"asset":{"version":"2.0"},"scenes":[{"nodes":[]}],"scene":0}  '
python3 - "$json" <<'PY'
import struct, sys
j = sys.argv[1].encode()
j += b" " * (-len(j) % 4)
body = struct.pack("<II", len(j), 0x4E4F534A) + j
open("scene.glb", "wb").write(struct.pack("<III", 0x46546C67, 2, 12 + len(body)) + body)
PY

ls -l clip.webm clip.mp4 narration.ogg scene.glb script.txt captions.vtt
