#!/usr/bin/env sh
# Make a song from one prompt with curl; python3 (standard library) decodes the base64 audio.
#
#   export RIFFUSION_API_KEY=...
#   sh examples/prompt/3_prompt_curl.sh [OUT_DIR]
#
# RIFFUSION_API_URL picks another service than the live one, such as the emulator
# (riff serve: http://127.0.0.1:8000/api/v1).
set -eu
: "${RIFFUSION_API_KEY:?Set RIFFUSION_API_KEY first.}"
API_URL="${RIFFUSION_API_URL:-https://wb.riffusion.com/api/v1}"
OUT_DIR="${1:-${RIFF_OUT_DIR:-.}}"
mkdir -p "$OUT_DIR"

curl --silent --show-error --fail --max-time 300 \
  -X POST "${API_URL%/}/prompt" \
  -H "Api-Key: $RIFFUSION_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{"prompt": "My nephew Remi is a superhero with laser eyes, rock orchestra"}' \
  | python3 -c 'import base64, json, sys
song = json.load(sys.stdin)
path = sys.argv[1] + "/prompt_curl." + song["audio_format"]
open(path, "wb").write(base64.b64decode(song["audio_b64"]))
print("wrote", path, repr(song["title"]))' "$OUT_DIR"
