"""Continuing-education rules: the credential catalog's shape, cycle dates, counting and state.

- `catalog`: `Credential`, `Catalog`, `catalog_from_mapping` (the data file's schema).
- `dates`: month arithmetic, default expiry, reinstatement and provisional deadlines.
- `status`: `evaluate()`, which activities count and why not, minimums, pace and state.
- `inputs`: checks of what users enter, as `{field: message}`.
"""
