"""Back-office screens for supervisors and administrators: import, statistics, unclaimed."""
