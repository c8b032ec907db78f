#!/usr/bin/env bash
# Make sure the system programs microgradnn needs are present:
#   graphviz  -> `dot`, which renders every drawing (make demo, make test)
#   chromium  -> a headless browser, which tests the step-by-step HTML page (make test)
# As root with apt-get they are installed; otherwise this says how, and fails.
# Usage: scripts/install-system-deps.sh graphviz [chromium]
set -euo pipefail

missing=()
for want in "$@"; do
    case "$want" in
        graphviz) command -v dot >/dev/null 2>&1 || missing+=(graphviz) ;;
        chromium) { command -v chromium >/dev/null 2>&1 || command -v chromium-browser \
                    >/dev/null 2>&1; } || missing+=(chromium) ;;
        *) echo "install-system-deps: unknown package '$want'" >&2; exit 2 ;;
    esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} with apt-get..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    exit 0
fi
cat >&2 <<MSG
Missing system packages: ${missing[*]}
Install them with one of:
    sudo apt-get install ${missing[*]}      (Debian, Ubuntu)
    brew install graphviz; brew install --cask chromium   (macOS)
    conda install -c conda-forge graphviz
('dot' renders the drawings; chromium only runs one browser test of the HTML page.)
MSG
exit 1
