"""One language: no English in the counter, the back office, the CLI and its reports.

English is looked for with a list of English words chosen so that French text does not
match them ("the", "and", "error", "file", "invalid", "usage", "show", "help"…). Texts the
holder reads are bilingual on purpose: their English halves are registered by
``handover.holder_text.holder_text`` and removed before the search, and widgets marked
with ``ui.holder_facing.mark_holder_facing`` are skipped. Code is not language: command
and option names (``--dry-run``), ``{choices}``, template placeholders and paths are
removed before the search.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractListModel, QLocale, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from handover.cli import build_parser, main
from handover.holder_text import HOLDER_ENGLISH, holder_text
from handover.queue.ticket_pdf import render_ticket
from handover.queue.values import Ticket
from tests.handover.receipts.pdf_reading import page_texts
from tests.ui.test_door_ticket import HEADER, ticket_fixture
from ui.holder_facing import is_holder_facing, mark_holder_facing
from ui.i18n import install_french

__all__ = ["ticket_fixture"]  # the door's ticket, as its own tests build it

ENGLISH = frozenset(
    """
    the and of to is are was were be been being not with without from for this that these
    those your you please if it its into only all any some when where which while than then
    there here have has had will would should could can cannot must
    error errors warning warnings folder invalid required show help exit
    expected unrecognized unknown choose choice ambiguous allowed positional optional
    command commands cancel close open save apply discard retry abort select copy paste undo
    redo delete clear failed enter name password login logout user settings today yesterday
    tomorrow week month year day days hour hours seconds monday tuesday wednesday thursday
    friday saturday sunday january february april june july august september october
    november december program default ready blocked returned handed arrived notified closed
    window slot card stamp stamps fee fees sign next previous step done finish found missing
    wrong yes number print printer receipt desk counter permit holder waiting check
    checked unexpected details
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Code, not language: option strings, {choices} and {placeholders}, paths (a test's
# temporary folder is named after the test), a configuration setting named with its
# section (``[queue] default_service_s``, typed as it is in the file). A snake_case code
# is split into its words: a raw code shown to a person (``counter_closed``) is found.
CODE = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*|\{[^}]*\}|<[^>]*>|\S*/\S*|\[[a-z_]+\]\s+[a-z_]+\b")
# A word: letters between non-alphanumerics (underscores split codes; "6BE5" is no word).
WORD = re.compile(r"(?<![^\W_])[^\W\d_]+(?![^\W_])")
# argparse's "usage:" heading; the word alone is French too ("nom d'usage").
USAGE = re.compile(r"(?im)^\s*usage\s*:")


def _holder_english(english: str) -> re.Pattern[str]:
    """A registered English half; a template's ``{placeholders}`` match what filled them."""
    return re.compile(".+?".join(re.escape(part) for part in re.split(r"\{[^}]*\}", english)))


def english_words(text: str, identifiers: frozenset[str] = frozenset()) -> set[str]:
    """The English words of ``text``, holder-facing halves and code removed."""
    for english in sorted(HOLDER_ENGLISH, key=len, reverse=True):
        text = _holder_english(english).sub(" ", text)
    found = {"usage"} if USAGE.search(text) else set()
    text = CODE.sub(" ", text)
    return found | {w for w in WORD.findall(text.lower()) if w in ENGLISH and w not in identifiers}


def assert_french(where: str, texts: Iterator[str] | list[str], identifiers=frozenset()) -> None:
    found = {text: sorted(words) for text in texts if (words := english_words(text, identifiers))}
    assert not found, f"English in {where}: {found}"


def test_the_word_list_finds_english_and_spares_french() -> None:
    assert english_words("usage: handover [-h]\nshow this help message and exit") == {
        "usage",
        "show",
        "this",
        "help",
        "and",
        "exit",
    }
    assert english_words("the following arguments are required: name") >= {"the", "required"}
    assert english_words("Verdicts : counter_closed : 4 (100.0 %)") == {"counter", "closed"}
    assert english_words("sinon [queue] default_service_s") == set()  # a setting's name
    assert english_words("[queue] chime, then the default") == {"then", "the", "default"}
    assert english_words("référence 9N5X-6BE5-2, carte IR900000001") == set()
    french = (
        "Titre prêt à remettre : casier A-12. Signature de l'usager, puis Entrée. Dérogation "
        "du chef d'accueil ; durée médiane 1 min 05 s ; fichier CSV introuvable, vérifiez le "
        "chemin. Aucune remise sur la période. Options : --dry-run, {reference}, max_gap_ms."
    )
    assert english_words(french) == set()


def test_holder_facing_english_is_excepted_and_nothing_else() -> None:
    prompt = holder_text("Signez dans le cadre", "Please sign inside the frame")
    assert english_words(str(prompt)) == set()
    assert english_words(f"{prompt}, then close the window") == {"then", "close", "the", "window"}
    issued = holder_text("Délivré le {day}", "Issued on {day} and kept")
    assert english_words(str(issued).format(day="27/11/2026")) == set()
    assert english_words("Issued on 27/11/2026 and kept, then wait") == {"then"}


# -- the command line ---------------------------------------------------------------------


def _parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


def _command_names() -> frozenset[str]:
    """Sub-command names and choice values: identifiers typed as they are, like ``ls``."""
    names = {"handover", "guichet"}
    for _path, parser in _parsers(build_parser()):
        for action in parser._actions:
            if action.choices:
                names.update(str(c) for c in action.choices)
    return frozenset(w for name in names for w in WORD.findall(name.lower()))


def test_every_help_is_french_and_every_argument_explained(
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = _command_names()
    helps: list[str] = []
    unexplained: list[str] = []
    for path, _parser in _parsers(build_parser()):
        with pytest.raises(SystemExit) as stop:
            main([*path, "--help"])  # as a person types it
        assert stop.value.code == 0
        helps.append(capsys.readouterr().out)
        for action in _parser._actions:
            if not action.help and not isinstance(action, argparse._SubParsersAction):
                unexplained.append(f"{' '.join(path)} {action.option_strings or action.dest}")
    assert len(helps) > 30  # every command and sub-command was visited
    assert all(h.startswith("utilisation : handover") for h in helps)
    assert unexplained == []
    assert_french("--help", helps, names)


def test_the_counter_program_help_is_french(capsys: pytest.CaptureFixture[str]) -> None:
    from ui.app import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--help"])
    with pytest.raises(SystemExit):
        parse_args(["--inconnue"])
    out, err = capsys.readouterr()
    assert out.startswith("utilisation : handover-counter") and "erreur :" in err
    assert_french("handover-counter", [out, err], frozenset({"handover", "counter"}))


@pytest.mark.parametrize(
    ("module", "program"),
    [("ui.door.app", "handover-door"), ("ui.display.app", "handover-display")],
)
def test_the_door_and_display_programs_help_is_french(
    module: str, program: str, capsys: pytest.CaptureFixture[str]
) -> None:
    parse_args = importlib.import_module(module).parse_args
    with pytest.raises(SystemExit) as stop:
        parse_args(["--help"])  # prints, and starts no window
    assert stop.value.code == 0
    with pytest.raises(SystemExit) as stop:
        parse_args(["--inconnue"])
    assert stop.value.code == 2
    out, err = capsys.readouterr()
    assert out.startswith(f"utilisation : {program}") and "erreur :" in err
    assert_french(program, [out, err], frozenset({"handover", "door", "display"}))


def test_the_ticket_s_english_is_all_holder_text(ticket: Ticket) -> None:
    """Every English word printed on the door's ticket is the half of a ``holder_text``."""
    ticket = dataclasses.replace(ticket, reprints=1, priority="grossesse")  # every line
    # One line of text: the 80 mm roll wraps sentences, and a wrapped half is still one text.
    text = " ".join(" ".join(page_texts(render_ticket(ticket, HEADER))).split())
    assert "Please have ready" in text and "Issued on 27/11/2026 at 08:41" in text
    assert_french("the door's ticket", [text])


@pytest.mark.parametrize(
    "argv",
    [
        ["commande-inconnue"],
        ["agent"],
        ["agent", "add"],
        ["agent", "add", "x", "--role", "boss"],
        ["receipt", "--out"],
        ["demo", "--permits", "beaucoup"],
        ["db", "check", "--inconnue"],
        ["unclaimed", "return", "--d", "3"],  # --days or --dry-run: ambiguous
        ["report", "stats", "--from", "32/13/2026", "--to", "01/01/2026"],
    ],
)
def test_argument_errors_are_french_and_say_what_to_do(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "erreur :" in err and err.rstrip().endswith("--help")
    assert_french(f"handover {' '.join(argv)}", [err], _command_names())


def test_a_parser_elsewhere_in_the_process_keeps_english() -> None:
    """The French catalogue is lent to argparse only while our parser works."""
    build_parser().format_help()
    other = argparse.ArgumentParser(prog="autre")
    assert "show this help message and exit" in other.format_help()


def test_reports_and_messages_are_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HANDOVER_DB_URL", f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    monkeypatch.setenv("HANDOVER_CONFIG", os.devnull)
    names = _command_names()
    outputs: dict[str, str] = {}

    def run(*argv: str) -> None:
        main(list(argv))
        out, err = capsys.readouterr()
        outputs[" ".join(argv)] = out + err

    run("db", "upgrade")
    run("demo", "--permits", "40", "--seed", "5")
    today = date.today()
    run(
        "report",
        "stats",
        "--from",
        f"{today - timedelta(days=60):%d/%m/%Y}",
        "--to",
        f"{today:%d/%m/%Y}",
    )
    sheet = tmp_path / "etat.pdf"
    run("report", "day", "--out", str(sheet))
    run("agent", "list")
    run("audit", "tail", "-n", "30")
    run("audit", "verify")
    run("window")
    run("unclaimed", "list", "--days", "0")
    run("check", "0000000000")
    run("db", "info")
    assert "Remises :" in outputs[next(k for k in outputs if k.startswith("report stats"))]
    for command, text in outputs.items():
        assert_french(f"handover {command}", text.splitlines(), names)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent (poppler-utils) : le PDF n'est pas relu")
    sheet_text = subprocess.run(
        ["pdftotext", "-layout", str(sheet), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "clôture" in sheet_text
    assert_french("the closing sheet", sheet_text.splitlines(), names)


def test_the_retired_english_interface_setting_is_refused_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    monkeypatch.setenv("HANDOVER_CONFIG", str(cfg))
    cfg.write_text('[ui]\nlanguage = "fr"\n', encoding="utf-8")  # what happens anyway
    assert main(["config", "show"]) == 0
    assert "[ui]" not in capsys.readouterr().out
    cfg.write_text('[ui]\nlanguage = "en"\n', encoding="utf-8")
    assert main(["config", "show"]) == 2
    err = capsys.readouterr().err
    assert "uniquement en français" in err and "supprimez la section [ui]" in err
    cfg.write_text("", encoding="utf-8")
    monkeypatch.setenv("HANDOVER_UI_LANGUAGE", "en")
    assert main(["config", "show"]) == 2
    assert "HANDOVER_UI_LANGUAGE" in capsys.readouterr().err


# -- the screens ----------------------------------------------------------------------------


def widget_texts(root: QWidget) -> Iterator[str]:
    """Every text a widget tree shows or explains, holder-facing widgets left out."""
    for widget in [root, *root.findChildren(QWidget)]:
        if is_holder_facing(widget):
            continue
        yield widget.windowTitle() if widget.isWindow() else ""
        yield widget.toolTip()
        yield widget.statusTip()
        yield widget.whatsThis()
        for action in widget.actions():
            yield action.text()
            yield action.toolTip()
        if isinstance(widget, QLabel):
            yield re.sub(r"<[^>]+>", " ", widget.text())
        elif isinstance(widget, QAbstractButton):
            yield widget.text()
        elif isinstance(widget, QLineEdit):
            yield widget.placeholderText()
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            yield widget.placeholderText()
            yield widget.toPlainText()
        elif isinstance(widget, QGroupBox):
            yield widget.title()
        elif isinstance(widget, QTabWidget):
            yield from (widget.tabText(i) for i in range(widget.count()))
        elif isinstance(widget, QComboBox):
            yield from (widget.itemText(i) for i in range(widget.count()))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            yield from _model_texts(widget)
        for attribute in ("title", "headline"):  # painted texts (charts, verdict panel)
            value = getattr(widget, attribute, None)
            if isinstance(value, str):
                yield value
        for bar in getattr(widget, "bars", ()):
            yield bar.label
            yield bar.shown


def _model_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    root = QModelIndex()
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
    for column in range(columns):
        yield str(model.headerData(column, Qt.Orientation.Horizontal) or "")
    for row in range(min(model.rowCount(root), 200)):
        for column in range(columns):
            yield str(model.data(model.index(row, column, root)) or "")


@pytest.fixture
def french_app(qapp: QApplication) -> Iterator[QApplication]:
    """The application as the programs start it: French locale, Qt's texts in French."""
    locale = QLocale()
    translator = install_french(qapp)
    assert translator is not None, (
        "qtbase_fr.qm introuvable : les boutons de Qt seraient en anglais"
    )
    yield qapp
    qapp.removeTranslator(translator)
    QLocale.setDefault(locale)


@pytest.fixture
def screens(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Every widget tree grabbed to PNG, by the name of its top widget: its texts."""
    seen: dict[str, list[str]] = {}
    grab: Callable[..., object] = QWidget.grab

    def grab_and_read(widget: QWidget, *args: object) -> object:
        seen.setdefault(f"{type(widget).__name__} #{len(seen)}", []).extend(
            t for t in widget_texts(widget) if t
        )
        return grab(widget, *args)

    monkeypatch.setattr(QWidget, "grab", grab_and_read)
    return seen


@pytest.mark.slow
@pytest.mark.screenshots
@pytest.mark.parametrize(
    ("module", "render", "expected"),
    [
        ("ui.screenshots", "render_all", ("Se connecter", "casier")),
        ("ui.backoffice.screenshots", "render", ("Guichet fermé", "Exporter en CSV…")),
        (
            "ui.door.screenshots",
            "render_all",
            (
                "Accueil — tickets de la file d'attente",  # the door
                "Guichet — affichage des appels",  # the display's title, for IT staff
                "Appel en cours — Now calling",  # the display's holder text, read and excepted
            ),
        ),
    ],
    ids=["counter", "back-office", "door-and-display"],
)
def test_no_english_on_any_screen(
    french_app: QApplication,
    screens: dict[str, list[str]],
    tmp_path: Path,
    module: str,
    render: str,
    expected: tuple[str, ...],
) -> None:
    """Every state the screenshot scripts reach, read through its widget tree."""
    shots = getattr(importlib.import_module(module), render)(tmp_path)
    assert len(shots) >= 4 and len(screens) >= len(shots)
    everything = "\n".join(t for texts in screens.values() for t in texts)
    assert all(e in everything for e in expected)  # the widget trees were really read
    for name, texts in screens.items():
        assert_french(f"{module} ({name})", texts)


def test_no_english_in_the_dialogs_not_on_the_screenshots(french_app: QApplication, qtbot) -> None:
    from ui.backoffice.login_dialog import LoginDialog
    from ui.dialogs.scanner_test import ScannerTestDialog

    def refuse(_user: str, _password: str):  # pragma: no cover - never called
        raise AssertionError

    for dialog in (LoginDialog(refuse), ScannerTestDialog()):
        qtbot.addWidget(dialog)
        assert_french(type(dialog).__name__, list(widget_texts(dialog)))


def test_qt_standard_buttons_are_french(french_app: QApplication, qtbot) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Back-office",
        "Marquer ces titres « retournés » ?",
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel
        | QMessageBox.StandardButton.Ok,
    )
    qtbot.addWidget(box)
    texts = [b.text().replace("&", "") for b in box.buttons()]
    assert sorted(texts) == ["Annuler", "Non", "OK", "Oui"]


def test_a_holder_facing_widget_is_skipped_and_only_it(qtbot) -> None:
    panel = QWidget()
    qtbot.addWidget(panel)
    shown_to_holder = mark_holder_facing(QLabel("Signez ici / Sign here, then wait", panel))
    QLabel("Entrée pour enregistrer", panel)
    assert is_holder_facing(shown_to_holder) and not is_holder_facing(panel)
    assert "Signez ici / Sign here, then wait" not in list(widget_texts(panel))
    assert "Entrée pour enregistrer" in list(widget_texts(panel))
