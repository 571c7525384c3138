"""Text normalisation shared by search and matching, for French and English alike."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Fold `text` for matching: accents removed, lower case, single spaces."""
    return _SPACES.sub(" ", unidecode(text or "").casefold()).strip()


_FRENCH = frozenset(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "et",
        "est",
        "sont",
        "pour",
        "dans",
        "sur",
        "avec",
        "que",
        "qui",
        "pas",
        "nous",
        "vous",
        "ce",
        "cette",
        "ces",
        "au",
        "aux",
        "il",
        "elle",
        "ils",
        "on",
        "mais",
        "ou",
        "donc",
        "car",
        "en",
        "par",
        "plus",
        "très",
        "être",
        "avoir",
        "fait",
        "comme",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "is",
        "are",
        "for",
        "in",
        "on",
        "with",
        "that",
        "which",
        "not",
        "we",
        "you",
        "this",
        "these",
        "to",
        "of",
        "it",
        "they",
        "but",
        "or",
        "so",
        "be",
        "have",
        "has",
        "was",
        "were",
        "by",
        "from",
        "as",
        "at",
        "more",
        "very",
        "what",
        "how",
    ]
)
_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str, *, default: str = "fr") -> str:
    """Guess whether `text` is French or English from its common words."""
    # map() rather than comprehensions: the search index calls this for every text it holds.
    words = list(map(str.casefold, _WORDS.findall(text or "")[:400]))
    french = sum(map(_FRENCH.__contains__, words))
    english = sum(map(_ENGLISH.__contains__, words))
    if french == english:
        return default
    return "fr" if french > english else "en"
