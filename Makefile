# The two commands of the README: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run door display test setup setup-dev lint typecheck pytest bench screenshots clean lock bundle bundle-camera

# The demonstration database of its own (demo.sqlite3 and demo-receipts/ in the user data
# folder), never the database or receipts archive the configuration names.
DEMO_ENV = data="$$($(PY) -c 'from handover.config import data_dir; print(data_dir())')" && \
	export HANDOVER_DB_URL="sqlite:///$$data/demo.sqlite3" \
		HANDOVER_PRINTER_ARCHIVE_DIR="$$data/demo-receipts"

# The counter on the demonstration database (filled on its first start).
run: setup
	@$(DEMO_ENV) && \
	$(PY) -m handover.cli db upgrade && \
	$(PY) -m ui.app --seed-demo

# The door (account « accueil ») and the waiting-room display, in a window, on the same
# demonstration database: start `make run` first (it fills the database).
door: setup
	@$(DEMO_ENV) HANDOVER_DESK_NAME="Accueil" && \
	$(PY) -m handover.cli db upgrade && \
	$(PY) -m ui.door --demo

display: setup
	@$(DEMO_ENV) && \
	$(PY) -m ui.display --fenetre

setup:
	scripts/setup.sh

setup-dev:
	scripts/setup.sh --dev

test: setup-dev
	$(PY) -m ruff check handover ui tests bench
	$(PY) -m ruff format --check handover ui tests bench
	$(PY) -m mypy
	$(PY) -m pytest

lint: setup-dev
	$(PY) -m ruff check handover ui tests bench

bench: setup-dev
	$(PY) -m bench.run

screenshots: setup-dev
	QT_QPA_PLATFORM=offscreen $(PY) -m ui.screenshots screenshots
	QT_QPA_PLATFORM=offscreen $(PY) -m ui.door.screenshots screenshots

# The PyInstaller folder dist/guichet/ (programs `guichet` and `handover`), from build.spec.
# The desk bundle, dist/guichet/ (no OpenCV: the desk reads codes with its scanner).
bundle: setup-dev
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller build.spec
	@du -sh dist/guichet

# The same programs with OpenCV for the webcam (F2), dist/guichet-camera/: built on demand.
bundle-camera: setup-dev
	GUICHET_BUNDLE_CAMERA=1 $(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist \
		--workpath build/pyinstaller-camera build.spec
	@du -sh dist/guichet-camera

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

# Regenerate the locked dependency set (Linux x86-64, CPython 3.11 and 3.12). A deliberate
# commit: run `make test` (soak tests included) on the new set before committing it.
lock: setup-dev
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 -o requirements.lock
