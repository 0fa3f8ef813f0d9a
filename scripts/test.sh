#!/usr/bin/env bash
# The test command: installs what is missing, then runs every test (unit, sandbox containment,
# end to end against the built binary and a scripted model server on 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift test "$@"
