"""The PyInstaller bundle is a product: built from build.spec, then used as a desk would.

Building takes about two minutes on two cores, so the folder is cached outside the clone
(``$HANDOVER_BUNDLE_CACHE``, default ``~/.cache/guichet-bundle-test``) under a key made of
``build.spec``, ``requirements.lock`` and the list of module files: it is rebuilt only when
one of them changes (a clean CI machine always builds). A change inside a module does not
rebuild: delete the cache to test the bundle of the current code. The bundled command line
then sets a desk up, fills it with the demo, adds an agent and prints a receipt and the
day's sheet, and the bundled counter starts offscreen until it has painted the login screen.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.installed import counter_reaches_login, run, user_env, walk_through_cli

ROOT = Path(__file__).resolve().parent.parent
fcntl = pytest.importorskip("fcntl", reason="the bundle is built and tested on Linux")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(420),
    pytest.mark.skipif(sys.platform == "win32", reason="bundle built and tested on Linux"),
]


def bundle_key() -> str:
    """The spec, the lock, and which modules exist (a module added or removed may need the
    spec to change; a module's content does not)."""
    digest = hashlib.sha256()
    for name in ("build.spec", "requirements.lock"):
        digest.update((ROOT / name).read_bytes())
    for package in ("handover", "ui"):
        for module in sorted((ROOT / package).rglob("*.py")):
            digest.update(module.relative_to(ROOT).as_posix().encode())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="module")
def bundle() -> Path:
    default = Path.home() / ".cache" / "guichet-bundle-test"
    cache = Path(os.environ.get("HANDOVER_BUNDLE_CACHE", default))
    folder = cache / bundle_key()
    dist = folder / "dist" / "guichet"
    cache.parent.mkdir(parents=True, exist_ok=True)
    # Two test runs on one machine (two clones) build one at a time, and neither removes
    # the folder the other is building or using.
    with open(cache.parent / f"{cache.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "complete").exists():
            for older in cache.glob("*"):  # older keys: one bundle kept, not one a change
                if older != folder:
                    shutil.rmtree(older, ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)
            pyinstaller = Path(sys.executable).parent / "pyinstaller"
            command = [str(pyinstaller), "--noconfirm", "--log-level", "WARN"]
            command += ["--distpath", str(folder / "dist"), "--workpath", str(folder / "work")]
            run([*command, str(ROOT / "build.spec")], dict(os.environ), ROOT, timeout=300)
            shutil.rmtree(folder / "work")
            (folder / "complete").touch()
    return dist


def test_the_bundled_programs_work_from_an_empty_folder(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "poste"
    env = user_env(home)
    # The parser imports every command module: a module left out of the bundle fails here.
    assert "report" in run([str(bundle / "handover"), "--help"], env, home)
    walk_through_cli([str(bundle / "handover")], env, home)
    # The desk holds the demonstration: the counter opens it in demonstration mode only.
    log = counter_reaches_login([str(bundle / "guichet"), "--seed-demo"], env, home)
    assert "ERROR" not in log, log


def test_the_bundle_carries_its_resources_as_package_data(bundle: Path) -> None:
    packaged = bundle / "_internal" / "handover" / "_resources"
    assert (packaged / "fonts" / "DejaVuSans.ttf").is_file()
    assert (packaged / "security" / "common-passwords.txt").is_file()
    assert (packaged / "translations" / "qtbase_fr.qm").is_file()  # Qt's buttons in French
    assert not (bundle / "_internal" / "resources").exists()  # no second copy
    size = subprocess.run(["du", "-sm", str(bundle)], capture_output=True, text=True, check=True)
    print(f"bundle: {size.stdout.split()[0]} MB")
