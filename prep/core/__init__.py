"""The domain rules of CMAA Prep: pure functions and dataclasses, no I/O, no Flask, no DB.

`now` and `today` are always parameters. tests/test_core_purity.py enforces the import rule.
"""
