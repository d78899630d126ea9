"""``python -m ui.door``: the door's window."""

from ui.door.app import main

raise SystemExit(main())
