"""Write–audit–publish of the monthly TSG dataset: export a candidate, audit it, move it into place atomically."""
