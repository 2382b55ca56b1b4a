"""The `safe-harbor` profile: HIPAA Safe Harbor (45 CFR 164.514(b)(2)) replacements.

Safe Harbor removes the 18 identifiers but allows two generalisations instead of removal: a date
may keep its year, and a ZIP code its first three digits unless the three-digit area holds 20,000
people or fewer (those become "000"). Ages over 89 are aggregated into "90 or older". Everything
else is replaced as in the default profile.
"""

from __future__ import annotations

import regex as re

# Three-digit ZIP areas with 20,000 or fewer inhabitants (HHS guidance, 2000 census).
RESTRICTED_ZIP3 = frozenset("036 059 063 102 203 556 692 790 821 823 830 831 878 879 884 890 893".split())
YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
ZIP = re.compile(r"^\s*(\d{3})\d{2}(?:-\d{4})?\s*$")


def generalise(entity_type: str, value: str) -> str | None:
    """The Safe Harbor replacement of `value`, or None when it is replaced by a placeholder."""
    if entity_type == "DATE":
        year = YEAR.search(value)
        return year.group(1) if year else None
    if entity_type == "ZIP_CODE":
        match = ZIP.match(value)
        if match:
            prefix = match.group(1)
            return "000" if prefix in RESTRICTED_ZIP3 else prefix
        return None
    if entity_type == "AGE_OVER_89":
        return "90+"
    return None
