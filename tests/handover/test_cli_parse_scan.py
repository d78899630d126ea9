import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from handover.cli import main
from tests.handover.scanning.signing import certificate, sign

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


# A published 2D-Doc (type 16, attestation de demande d'asile: see
# tests/handover/scanning/test_twoddoc_examples.py), signed again with a key made here.
ASYLUM_MESSAGE = (
    "DC04FR000001FFFF1EBE1601FR62SPECIMEN<GS>60NATACHA/CORRINE<GS>6Q75031205216O30072021"
    "6912071973G0PNG1BR67XXG20782614686ABFG<GS>"
)


@pytest.fixture(scope="module")
def signer() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def asylum(signer) -> str:
    message = ASYLUM_MESSAGE.replace("<GS>", "\x1d")
    return ASYLUM_MESSAGE + "<US>" + sign(message, signer, 32, hashes.SHA256())


@pytest.fixture
def certificates(tmp_path: Path, signer) -> Path:
    folder = tmp_path / "certificats"
    folder.mkdir()
    pem = certificate(signer, "0001", "FR00").public_bytes(serialization.Encoding.PEM)
    (folder / "FR000001.pem").write_bytes(pem)
    return folder


def _config_with_certificates(tmp_path: Path, folder: Path) -> Path:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[scanner]\ncertificates_dir = "{folder.as_posix()}"\n', encoding="utf-8")
    return cfg


def test_the_configured_certificate_folder_is_the_default_trust_store(
    tmp_path: Path, monkeypatch, capsys, certificates: Path, asylum: str
) -> None:
    monkeypatch.setenv("HANDOVER_CONFIG", str(_config_with_certificates(tmp_path, certificates)))
    assert main(["parse-scan", asylum]) == 0
    out = capsys.readouterr().out
    assert "Authentifié : oui" in out
    assert "[G0] Type de procédure : PN" in out
    assert "Attestation de demande d'asile" in out


def test_trust_dir_overrides_the_configured_folder(
    tmp_path: Path, monkeypatch, capsys, certificates: Path, asylum: str
) -> None:
    monkeypatch.setenv("HANDOVER_CONFIG", str(_config_with_certificates(tmp_path, certificates)))
    empty = tmp_path / "vide"
    empty.mkdir()
    assert main(["parse-scan", asylum, "--trust-dir", str(empty)]) == 0
    out = capsys.readouterr().out
    assert "Authentifié : non vérifié" in out
    assert "FR00/0001 absent du dossier de confiance" in out


def test_without_any_trust_store_the_2d_doc_is_read_but_not_authenticated(
    capsys: pytest.CaptureFixture[str], asylum: str
) -> None:
    assert main(["parse-scan", asylum, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["fields"]["authenticated"] is None
    assert "aucun dossier de certificats" in summary["fields"]["authentication"]
    assert summary["warnings"] == []


def test_a_url_with_a_square_bracket_exits_2_with_a_french_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["parse-scan", "https://[exemple/bonjour"]) == 2
    assert "Code non reconnu" in capsys.readouterr().out
