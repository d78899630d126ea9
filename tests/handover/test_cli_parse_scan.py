import json

import pytest

from handover.cli import main

TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_plain_output_in_french_and_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse-scan", TD3, "--today", "2025-03-17"]) == 0
    out = capsys.readouterr().out
    assert "Bande MRZ" in out
    assert "Nom : ERIKSSON" in out
    assert "Date de naissance : 12/08/1974" in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse-scan", "0013748911", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary == {
        "kind": "numero_etranger",
        "valid": True,
        "fields": {"numero_etranger": "0013748911"},
        "errors": [],
        "repaired": None,
    }


def test_azerty_repair_is_shown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse-scan", "àà&\"è'!ç&&"]) == 0
    out = capsys.readouterr().out
    assert "AZERTY belge" in out
    assert "0013748911" in out


@pytest.mark.parametrize("payload", ["bonjour", TD3.replace("7408122F", "7408123F")])
def test_unrecognised_or_invalid_exits_2(payload: str, capsys) -> None:
    assert main(["parse-scan", payload, "--today", "2025-03-17"]) == 2
    out = capsys.readouterr().out
    assert "NON VALIDE" in out
    assert "Erreur :" in out
