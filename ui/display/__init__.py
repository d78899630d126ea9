"""The waiting-room call display (a full-screen window on a television)."""
