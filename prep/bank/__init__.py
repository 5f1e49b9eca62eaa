"""Reading, validating, syncing, importing and exporting the question bank files."""
