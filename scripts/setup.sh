#!/usr/bin/env bash
# Set up everything Guichet needs on this machine: system libraries (when run as root on
# Debian/Ubuntu), a virtual environment in .venv with the project and its tools, and Qt's
# French catalogue. Safe to run again: it does only what is missing.
#   scripts/setup.sh          what the application needs
#   scripts/setup.sh --dev    plus what the test suite needs (PostgreSQL server binaries)
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
PYTHON=${PYTHON:-python3}

# make and python3-venv: what `make run` and this script's venv need on a fresh machine.
apt_pkgs="make python3-venv libzbar0 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 \
libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 fonts-dejavu-core"
if [ "$mode" = "--dev" ]; then
    apt_pkgs="$apt_pkgs xvfb xauth xdotool x11-xkb-utils openbox imagemagick postgresql poppler-utils"
fi

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
    for p in $apt_pkgs; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
            missing="$missing $p"
        fi
    done
fi
if [ -n "$missing" ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup: installing system packages:$missing"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
        echo "setup: these system packages are missing; ask your administrator to install them:" >&2
        echo "       sudo apt-get install$missing" >&2
    fi
fi

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.setup-stamp-${mode#--}
# requirements.lock is the exact set CI tested (regenerate: make lock); pip installs
# nothing outside it, and downgrades what an older .venv had beyond it.
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements.lock -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    if [ "$mode" = "--dev" ]; then
        .venv/bin/python -m pip install -q -c requirements.lock -e '.[dev]'
    else
        .venv/bin/python -m pip install -q -c requirements.lock -e .
    fi
    touch "$stamp"
fi

# Qt's own French texts (standard buttons): a copy of PySide6's qtbase_fr.qm for the bundle.
.venv/bin/python -m ui.i18n_build
