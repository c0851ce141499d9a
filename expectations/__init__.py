"""Great Expectations checks over the candidate published dataset (the audit step of write–audit–publish)."""
