"""The PyInstaller bundle is a product: built from build.spec, then used as a desk would.

This is the standard (desk) bundle, without OpenCV (``make bundle``); the camera variant
(``make bundle-camera``) differs only by OpenCV and is not built here. Building takes about
two minutes on two idle cores, so the folder is cached outside the clone
(``$HANDOVER_BUNDLE_CACHE``, default ``~/.cache/guichet-bundle-test``) under a key made of
``build.spec``, ``requirements.lock`` and the list of module files: it is rebuilt only when
one of them changes (a clean CI machine always builds). A change inside a module does not
rebuild: delete the cache to test the bundle of the current code. The bundled command line
then sets a desk up, fills it with the demo, adds an agent and prints a receipt and the
day's sheet; the bundled counter, door and call display each start offscreen until they
have painted their first screen. The build has its own time limit (``BUILD_TIMEOUT_S``, for a
loaded two-core machine); the tests themselves, cached, take well under three minutes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.installed import (
    counter_reaches_login,
    program_paints,
    run,
    user_env,
    walk_through_cli,
)
from ui.widgets.camera_view import NO_CAMERA_SUPPORT

ROOT = Path(__file__).resolve().parent.parent
fcntl = pytest.importorskip("fcntl", reason="the bundle is built and tested on Linux")

# A fresh build takes ~110 s on two idle cores and several times that when the machine's
# cores are shared with other jobs; the build is bounded by this limit, not by the tests'.
BUILD_TIMEOUT_S = 900
# The limit for the standard bundle (the dist folder, as ``du`` counts it).
MAX_SIZE_MB = 350

# What the door and the call display log once their first screen is painted (ui/first_paint.py).
DOOR = "Écran de l'accueil affiché"  # ui/door/app.py
CALLS = "Écran des appels affiché"  # ui/display/app.py

pytestmark = [
    pytest.mark.slow,
    # func_only: the limit covers each test, not the (cached) build in the fixture.
    pytest.mark.timeout(180, func_only=True),
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
def bundle() -> Iterator[Path]:
    default = Path.home() / ".cache" / "guichet-bundle-test"
    cache = Path(os.environ.get("HANDOVER_BUNDLE_CACHE", default))
    folder = cache / bundle_key()
    dist = folder / "dist" / "guichet"
    cache.parent.mkdir(parents=True, exist_ok=True)
    # Two test runs on one machine (two clones) build one at a time, and neither removes
    # the folder the other is building or using: building (and removing an older key) holds
    # the lock alone, using it holds it shared until this module's tests are done.
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
            env = {k: v for k, v in os.environ.items() if k != "GUICHET_BUNDLE_CAMERA"}
            run([*command, str(ROOT / "build.spec")], env, ROOT, timeout=BUILD_TIMEOUT_S)
            shutil.rmtree(folder / "work")
            (folder / "complete").touch()
        fcntl.flock(lock, fcntl.LOCK_SH)
        yield dist


def test_the_bundled_programs_work_from_an_empty_folder(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "poste"
    env = user_env(home)
    # The parser imports every command module: a module left out of the bundle fails here.
    assert "report" in run([str(bundle / "handover"), "--help"], env, home)
    walk_through_cli([str(bundle / "handover")], env, home)
    # The desk holds the demonstration: the counter opens it in demonstration mode only.
    log = counter_reaches_login([str(bundle / "guichet"), "--seed-demo"], env, home)
    assert "ERROR" not in log, log


def test_the_bundled_door_and_call_display_paint_their_first_screen(
    bundle: Path, tmp_path: Path
) -> None:
    home = tmp_path / "accueil"
    env = user_env(home)
    run([str(bundle / "handover"), "db", "upgrade"], env, home)
    log = program_paints([str(bundle / "guichet-porte")], env, home, "accueil.log", DOOR)
    assert "ERROR" not in log, log
    display = [str(bundle / "guichet-affichage"), "--fenetre"]
    log = program_paints(display, env, home, "affichage.log", CALLS)
    assert "ERROR" not in log, log


def test_the_bundle_carries_its_resources_as_package_data(bundle: Path) -> None:
    packaged = bundle / "_internal" / "handover" / "_resources"
    assert (packaged / "fonts" / "DejaVuSans.ttf").is_file()
    assert (packaged / "security" / "common-passwords.txt").is_file()
    assert (packaged / "translations" / "qtbase_fr.qm").is_file()  # Qt's buttons in French
    assert not (bundle / "_internal" / "resources").exists()  # no second copy


def test_the_desk_bundle_leaves_opencv_out_and_stays_under_its_size(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert not (internal / "cv2").exists()
    assert not list(internal.glob("opencv*")), "OpenCV is for the camera bundle only"
    size = subprocess.run(["du", "-sm", str(bundle)], capture_output=True, text=True, check=True)
    megabytes = int(size.stdout.split()[0])
    print(f"bundle: {megabytes} MB")
    assert megabytes < MAX_SIZE_MB, f"the desk bundle weighs {megabytes} MB"


def test_the_desk_bundle_with_the_camera_enabled_opens_and_says_it_has_none(
    bundle: Path, tmp_path: Path
) -> None:
    """A desk configured for the webcam but given the desk bundle: the counter still opens
    (F2 then shows NO_CAMERA_SUPPORT, tests/ui/test_counter_camera.py) and the log says why."""
    home = tmp_path / "poste"
    env = user_env(home)
    with (home / "config.toml").open("a", encoding="utf-8") as config:
        config.write("[camera]\nenabled = true\n")
    run([str(bundle / "handover"), "db", "upgrade"], env, home)
    log = counter_reaches_login([str(bundle / "guichet")], env, home)
    assert f"Caméra activée dans la configuration, mais : {NO_CAMERA_SUPPORT[0]}" in log, log
