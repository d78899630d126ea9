"""Back-office work: imports of delivered permits, SMS batches, returns, statistics, retention."""

from __future__ import annotations

# Who the audit trail names for back-office work run from the command line (no login).
BACKOFFICE_AGENT = "admin-cli"
