"""The one error the payload parsers raise."""

from __future__ import annotations

from handover.errors import HandoverError


class ScanParseError(HandoverError):
    """A scanned or typed payload is not of the expected kind or is damaged.

    The lower-level parsers (``parse_reference``, ``parse_mrz``, ``parse_twoddoc``…) raise
    only this, whatever the input; ``parse_scan`` never raises and returns ``Unrecognised``
    instead. ``message`` is French and says what is wrong.
    """
