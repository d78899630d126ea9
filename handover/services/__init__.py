"""Use cases of the counter, each over a unit of work; they return domain values."""
