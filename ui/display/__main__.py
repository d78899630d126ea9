"""``python -m ui.display``: the waiting-room call display."""

from ui.display.app import main

raise SystemExit(main())
