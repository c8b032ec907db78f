#!/usr/bin/env bash
# Make sure Graphviz's `dot` is on PATH: install it with apt-get when we are root,
# otherwise say how. Drawing needs it to render; everything else works without it.
set -euo pipefail
if command -v dot >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Graphviz (the 'dot' executable) with apt-get..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null
    exit 0
fi
cat >&2 <<'MSG'
Graphviz's 'dot' executable is missing; drawings cannot be rendered without it.
Install it with one of:
    sudo apt-get install graphviz      (Debian, Ubuntu)
    brew install graphviz              (macOS)
    conda install -c conda-forge graphviz
MSG
exit 1
