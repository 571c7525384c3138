"""Objectives ranked by text similarity to a piece of work: TF-IDF cosine over Snowball stems.

Each objective is one document holding its French text stemmed as French and its English text
stemmed as English (titles count twice: they say what the objective is about). An item's text
is stemmed in the language it is written in (guessed from its common words), so a French post
meets the French side of an objective and an English one the English side. Pure functions over
plain data: the selectors feed them, the tests check the ranking on constructed examples.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from vivier.core.text import detect_language
from vivier.search.analysis import stem, words

TITLE_WEIGHT = 2
# Suggestions under this cosine share only a stray word with the item: not worth showing.
MIN_SCORE = 0.02


@dataclass(frozen=True)
class ObjectiveText:
    """An objective's texts in both languages."""

    id: int
    title_fr: str
    title_en: str = ""
    body_fr: str = ""  # description and indicator names
    body_en: str = ""


@dataclass
class Scored:
    """An objective's similarity to the item, and the item's words it shares."""

    id: int
    score: float
    words: list[str] = field(default_factory=list)


def _stems(text: str, language: str) -> Counter[str]:
    return Counter(stem(word, language) for word in words(text))


def document_terms(doc: ObjectiveText) -> Counter[str]:
    """The stem counts of an objective, titles weighted."""
    terms: Counter[str] = Counter()
    for _ in range(TITLE_WEIGHT):
        terms.update(_stems(doc.title_fr, "fr"))
        terms.update(_stems(doc.title_en, "en"))
    terms.update(_stems(doc.body_fr, "fr"))
    terms.update(_stems(doc.body_en, "en"))
    terms.pop("", None)
    return terms


def _weights(terms: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    vector = {t: (1 + math.log(n)) * idf[t] for t, n in terms.items() if t in idf}
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


class ObjectiveIndex:
    """The objectives' TF-IDF vectors, computed once to rank many texts against them."""

    def __init__(self, docs: list[ObjectiveText]) -> None:
        doc_terms = {doc.id: document_terms(doc) for doc in docs}
        df: Counter[str] = Counter()
        for terms in doc_terms.values():
            df.update(terms.keys())
        total = len(docs)
        # Smoothed IDF: a stem every objective shares still counts a little.
        self.idf = {t: math.log((1 + total) / (1 + n)) + 1 for t, n in df.items()}
        self.vectors = {pk: _weights(terms, self.idf) for pk, terms in doc_terms.items()}

    def rank(self, text: str, *, limit: int = 5) -> list[Scored]:
        """The objectives most similar to `text`, best first, with the words they share."""
        if not self.vectors or not (text or "").strip():
            return []
        language = detect_language(text)
        query_words = words(text)
        by_stem: dict[str, str] = {}
        for word in query_words:
            by_stem.setdefault(stem(word, language), word)
        query = _weights(Counter(stem(w, language) for w in query_words), self.idf)
        if not query:
            return []
        scored = []
        for pk, vector in self.vectors.items():
            shared = [t for t in query if t in vector]
            score = sum(query[t] * vector[t] for t in shared)
            if score >= MIN_SCORE:
                shared.sort(key=lambda t: -query[t] * vector[t])
                scored.append(Scored(pk, round(score, 4), [by_stem[t] for t in shared[:5]]))
        scored.sort(key=lambda s: (-s.score, s.id))
        return scored[:limit]


def rank(text: str, docs: list[ObjectiveText], *, limit: int = 5) -> list[Scored]:
    """The objectives most similar to `text`, best first, with the words they share."""
    return ObjectiveIndex(docs).rank(text, limit=limit)
