"""The queue at the door: tickets bound to permits, calls, capacity and cut-off (no Qt)."""
