"""Text normalisation shared by search and matching, for French and English alike."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Fold `text` for matching: accents removed, lower case, single spaces."""
    return _SPACES.sub(" ", unidecode(text or "").casefold()).strip()
