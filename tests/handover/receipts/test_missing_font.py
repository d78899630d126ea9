"""A receipt font missing from the installation gives the French message, not reportlab's error."""

from __future__ import annotations

from pathlib import Path

import pytest

from handover.receipts import _pdf
from handover.receipts.errors import ReceiptRenderError


def test_missing_font_file_is_reported_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_pdf, "get_resource_path", lambda *parts: tmp_path.joinpath(*parts))
    with pytest.raises(ReceiptRenderError, match=r"police des récépissés .* est introuvable"):
        _pdf.register_fonts.__wrapped__()  # the cached wrapper registers once per process
