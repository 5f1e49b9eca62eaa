"""ICD-10-CM validation with the FY2026 table shipped by `simple-icd-10-cm`.

Importing the table costs about a second and 190 MB, so it happens only when a CLI command or
a validation path calls `icd_code_is_valid`, never at import time and never in web workers.
"""

from __future__ import annotations

import functools
import warnings


@functools.cache
def _table():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import simple_icd_10_cm

    return simple_icd_10_cm


def icd_code_is_valid(code: str) -> bool:
    """True when `code` is a category, subcategory or code of the FY2026 ICD-10-CM."""
    table = _table()
    return table.is_valid_item(code) and not table.is_chapter_or_block(code)
