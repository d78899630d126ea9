"""PySide6 6.12.0 on CPython 3.11 lost a reference to ``None`` per void Qt call (issue 11).

The signature pad repaints every segment on each mouse move, so a desk aborted with
"Fatal Python error: none_dealloc" after a few signatures. The loop runs in its own process
(an abort must not take pytest down) through the pad's real painting code. With 6.12.0 it
aborts (exit -6) after about 6,000 of its 400,000 void calls; with the locked set it exits 0
and ``None``'s count is where it was. To see it fail: ``python3.11 -m venv /tmp/pyside612 &&
/tmp/pyside612/bin/pip install PySide6-Essentials==6.12.0``, then run this file with
``HANDOVER_PYSIDE612_PYTHON=/tmp/pyside612/bin/python``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="None is immortal from Python 3.12 (PEP 683): its count cannot fall, nothing to catch",
)


def run_paint_loop(python: str = sys.executable) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [python, "-m", "tests.ui.paint_loop", "--points", "500", "--paints", "200"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_signature_repaints_keep_none_alive() -> None:
    done = run_paint_loop()
    assert done.returncode == 0, f"the paint loop died ({done.returncode}):\n{done.stderr}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["paints"] == 200, "every repaint must go through SignaturePad.paintEvent"
    assert result["void_calls"] >= 300_000, "the loop must be long enough to have crashed"
    # A release with the bug loses one reference per void call (hundreds of thousands).
    assert result["none_refcount_after"] >= result["none_refcount_before"] - 1_000, result


@pytest.mark.skipif(
    not os.environ.get("HANDOVER_PYSIDE612_PYTHON"),
    reason="opt-in: HANDOVER_PYSIDE612_PYTHON names a Python 3.11 with PySide6-Essentials 6.12.0",
)
def test_the_loop_catches_pyside_6_12_0() -> None:
    """The proof that the test above can fail: the broken release aborts the same loop."""
    done = run_paint_loop(os.environ["HANDOVER_PYSIDE612_PYTHON"])
    assert done.returncode == -signal.SIGABRT, done.stdout
    assert "none_dealloc" in done.stderr and "signature_pad.py" in done.stderr
