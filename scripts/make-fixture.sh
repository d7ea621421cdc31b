#!/bin/sh
# Remakes the simulator's result video: a 2 s, 320x180 H.264 + AAC clip, moov atom first so a player
# (and the webview) can start before the whole file arrived.
set -e
cd "$(dirname "$0")/.."
ffmpeg -y -hide_banner -loglevel error \
  -f lavfi -i testsrc2=size=320x180:rate=24:duration=2 \
  -f lavfi -i sine=frequency=440:sample_rate=44100:duration=2 \
  -c:v libx264 -profile:v baseline -pix_fmt yuv420p -crf 32 -preset veryslow \
  -c:a aac -b:a 48k -ac 1 \
  -movflags +faststart -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
  -shortest src/simulator/fixtures/sample.mp4
