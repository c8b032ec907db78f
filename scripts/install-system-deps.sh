#!/usr/bin/env bash
# Make sure the system programs microgradnn's targets need are present:
#   graphviz  -> `dot`, which renders every drawing (make demo, docs, bench, test)
#   chromium  -> a headless browser, which tests the step-by-step HTML page (make test)
#   octave    -> `octave-cli`, GNU Octave, which runs learners' .m files (make test)
#   texlive   -> `pdflatex` with TikZ and Beamer, plus poppler's pdftoppm/pdftotext to look
#                at the PDFs it makes (make test, docs)
#   rsvg      -> `rsvg-convert`, librsvg's SVG renderer: the tests check that every SVG draws
#                the same outside a browser (make test)
# Prints one line per component. As root with apt-get, missing ones are installed; otherwise
# this says how to install them, and fails.
# Usage: scripts/install-system-deps.sh COMPONENT...   (graphviz chromium octave texlive rsvg)
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }

# per component: is it present, its Debian packages, apt-get flags, what it is for, how long
present() {
    case "$1" in
        graphviz) have dot ;;
        chromium) have chromium || have chromium-browser ;;
        octave) have octave-cli ;;
        texlive) have pdflatex && have pdftoppm && have pdftotext ;;
        rsvg) have rsvg-convert ;;
    esac
}
packages() {
    case "$1" in
        graphviz) echo graphviz ;;
        chromium) echo chromium ;;
        octave) echo octave ;;
        texlive) echo texlive-latex-base texlive-pictures texlive-latex-extra poppler-utils ;;
        rsvg) echo librsvg2-bin ;;
    esac
}
# Graphviz and Chromium take Debian's recommended packages (the fonts they draw text with);
# Octave and TeX Live would pull in gnuplot, Java and more that nothing here uses.
apt_flags() {
    case "$1" in
        octave | texlive | rsvg) echo --no-install-recommends ;;
    esac
}
# apt-get's download sizes on Debian 12, counted from a fresh machine image's package list
describe() {
    case "$1" in
        graphviz) echo "Graphviz's dot (about 5 MB)" ;;
        chromium) echo "Chromium (about 140 MB)" ;;
        octave) echo "GNU Octave's octave-cli (about 70 MB)" ;;
        texlive) echo "TeX Live's pdflatex with TikZ and Beamer, and poppler-utils (about 90 MB)" ;;
        rsvg) echo "librsvg's rsvg-convert (about 1 MB)" ;;
    esac
}
hint() {
    case "$1" in
        graphviz) cat <<'MSG'
  graphviz (the `dot` program, which renders every drawing):
    sudo apt-get install graphviz          Debian, Ubuntu
    brew install graphviz                  macOS
    conda install -c conda-forge graphviz  conda
    winget install graphviz                Windows (or https://graphviz.org/download/)
MSG
            ;;
        chromium) cat <<'MSG'
  chromium (a headless browser; only one test of the HTML page uses it):
    sudo apt-get install chromium          Debian (Ubuntu: chromium-browser)
    brew install --cask chromium           macOS
MSG
            ;;
        octave) cat <<'MSG'
  octave (GNU Octave's `octave-cli`, which runs learners' nnCostFunction.m in the tests):
    sudo apt-get install --no-install-recommends octave   Debian, Ubuntu
    brew install octave                    macOS
    conda install -c conda-forge octave    conda
    the installer from https://octave.org/download    Windows
MSG
            ;;
        texlive) cat <<'MSG'
  texlive (`pdflatex` with TikZ and Beamer; poppler's pdftoppm and pdftotext):
    sudo apt-get install --no-install-recommends texlive-latex-base texlive-pictures \
        texlive-latex-extra poppler-utils  Debian, Ubuntu
    brew install --cask mactex-no-gui; brew install poppler    macOS
    conda install -c conda-forge texlive-core poppler          conda
MSG
            ;;
        rsvg) cat <<'MSG'
  rsvg (librsvg's `rsvg-convert`; the tests draw every SVG with it, as non-browser viewers do):
    sudo apt-get install --no-install-recommends librsvg2-bin   Debian, Ubuntu
    brew install librsvg                   macOS
    conda install -c conda-forge librsvg   conda
MSG
            ;;
    esac
}

[ $# -gt 0 ] || { echo "usage: $0 COMPONENT... (graphviz chromium octave texlive rsvg)" >&2; exit 2; }
missing=()
for want in "$@"; do
    case "$want" in
        graphviz | chromium | octave | texlive | rsvg) ;;
        *) echo "install-system-deps: unknown component '$want'; expected graphviz, chromium," \
                "octave, texlive or rsvg" >&2; exit 2 ;;
    esac
    if present "$want"; then
        echo "==> $(describe "$want" | sed 's/ (about.*//'): present"
    else
        missing+=("$want")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && have apt-get; then
    echo "==> Updating apt-get's package lists"
    apt-get update -qq
    for want in "${missing[@]}"; do
        echo "==> Installing $(describe "$want") with apt-get"
        start=$SECONDS
        # shellcheck disable=SC2046  # the package lists are words on purpose
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(apt_flags "$want") \
            $(packages "$want") >/dev/null
        present "$want" || { echo "install-system-deps: apt-get installed $(packages "$want")" \
                                  "but $want is still missing" >&2; exit 1; }
        echo "    done in $((SECONDS - start)) s"
    done
    exit 0
fi
{
    echo "Missing system programs: ${missing[*]} (not root with apt-get, so not installed here)."
    echo "Install them with one of:"
    for want in "${missing[@]}"; do hint "$want"; done
} >&2
exit 1
