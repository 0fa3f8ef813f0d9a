#!/usr/bin/env bash
# Installs what selfdebug needs besides a Swift toolchain, on Debian or Ubuntu:
# bubblewrap (the sandbox), util-linux (prlimit, setpriv), python3, libcurl's headers (the HTTP
# transport links libcurl), and pytest for the Python interpreter selfdebug will use (tests that
# use fixtures run under pytest).
set -euo pipefail

sudo_if_needed() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "install-deps: need root (or sudo) to run: $*" >&2; exit 1; fi
}

missing=()
command -v bwrap >/dev/null || missing+=(bubblewrap)
command -v prlimit >/dev/null || missing+=(util-linux)
command -v setpriv >/dev/null || missing+=(util-linux)
command -v python3 >/dev/null || missing+=(python3 python3-pip)
has_curl_headers() {
    local compiler
    for compiler in cc clang gcc; do
        command -v "$compiler" >/dev/null && { echo '#include <curl/curl.h>' | "$compiler" -E -x c - >/dev/null 2>&1; return; }
    done
    compgen -G '/usr/include/curl/curl.h' >/dev/null || compgen -G '/usr/include/*/curl/curl.h' >/dev/null
}
has_curl_headers || missing+=(libcurl4-openssl-dev)
if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -c 'import pytest' 2>/dev/null; then
    echo "install-deps: installing pytest for $(command -v python3)"
    python3 -m pip install --quiet pytest 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages pytest 2>/dev/null \
        || sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pytest >/dev/null
fi

command -v swift >/dev/null || { echo "install-deps: no Swift toolchain on PATH; install Swift 6.1 or newer from swift.org" >&2; exit 1; }
echo "install-deps: bubblewrap $(bwrap --version | awk '{print $2}'), $(python3 --version), $(swift --version 2>/dev/null | head -1)"
