"""Text for the search index: markdown to plain text, query parsing, and safe snippets."""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.html import escape

from vivier.core.text import normalize

# Query bounds: a search box needs a few words, and every term costs an index lookup.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

# Snippets come back from the database with these sentinels around matches (and, on PostgreSQL,
# with "<", ">" and "&" swapped for stand-ins so ts_headline does not drop what looks like HTML).
# Indexed text never holds control characters, so user content cannot forge them.
MARK_START = "\x02"
MARK_STOP = "\x03"
HTML_STAND_INS = "\x04\x05\x06"
_RESTORE_HTML = str.maketrans(HTML_STAND_INS, "<>&")
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")

# A word as both FTS tokenizers see it: letters and digits; "_" and punctuation separate words.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
# websearch_to_tsquery's operators: "a phrase", -excluded, or.
_OPERATORS = re.compile(r'"|(?:^|\s)-\w|(?:^|\s)or(?:\s|$)', re.IGNORECASE | re.UNICODE)

# Words too common to narrow a search (with French elisions: l', d', qu'…); SQLite has no
# stopword list, so the query drops them on both databases, unless it holds nothing else.
_STOPWORDS_TEXT = (
    "a au aux avec c ce ces d dans de des du elle en et il ils j je l la le les leur lui m ma "
    "mais me mes mon n ne nos notre nous on ou par pas pour qu que qui s sa se ses son sur t ta "
    "te tes toi ton tu "
    "un une vos votre vous y an and are as at be by for from has have in is it its of on or "
    "that the this to was were will with"
)
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Markdown, roughly: enough to index the words people wrote, not the syntax around them.
_MD_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_MD_REF_DEF = re.compile(r"^\s*\[[^\]]+\]:\s+\S+.*$", re.MULTILINE)
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_MD_QUOTE = re.compile(r"^\s*(?:>\s?)+", re.MULTILINE)
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+", re.MULTILINE)
_MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"[*~`|]+|(?<!\w)_+|_+(?!\w)")


def clean_text(text: Any) -> str:
    """Plain one-line text: no control characters or lone surrogates, single spaces."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    # Most texts are clean already: a printable string holds no control character, surrogate
    # or whitespace but " " (test_text checks this on every code point), so it only needs a
    # look for doubled and outer spaces.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    # Lone surrogates cannot be encoded for the database driver.
    text = text.encode("utf-8", "ignore").decode("utf-8")
    text = _SPACES.sub(" ", text)
    return _CONTROL.sub("", text).strip()


# Each markdown pattern, its replacement, and strings of which the text must hold one for the
# pattern to match: a text without any of them is left as it is, without running the pattern.
_MARKDOWN = (
    (_MD_FENCE, "", ("```", "~~~")),
    (_MD_IMAGE, r"\1", ("](",)),
    (_MD_LINK, r"\1", ("](",)),
    (_MD_REF_LINK, r"\1", ("][",)),
    (_MD_REF_DEF, "", ("]:",)),
    (_MD_AUTOLINK, r"\1", ("<",)),
    (_MD_HEADING, "", ("#",)),
    (_MD_QUOTE, "", (">",)),
    (_MD_LIST, "", ("-", "*", "+", ".", ")")),
    (_MD_RULE, "", ("-", "*", "_")),
    (_MD_EMPHASIS, " ", ("*", "~", "`", "|", "_")),
)


def strip_markdown(text: Any) -> str:
    """The words of a markdown text without its syntax, on one line."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    for pattern, replacement, needs in _MARKDOWN:
        if any(needed in text for needed in needs):
            text = pattern.sub(replacement, text)
    return clean_text(text)


def _fold_like_fts(word: str) -> str:
    """`word` as unicode61 (remove_diacritics 2) indexes it: lower case, accents removed."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=50_000)
def _variants(word: str) -> tuple[str, ...]:
    """The ASCII words `word` folds to, when the FTS5 tokenizer would not fold it so."""
    folded = normalize(word)
    return () if folded == _fold_like_fts(word) else tuple(_WORD.findall(folded))


def folded_variants(text: str) -> str:
    """Transliterations the FTS5 tokenizer misses (œ → oe, ß → ss, Cyrillic), space-separated."""
    seen: dict[str, None] = {}
    for word in dict.fromkeys(_WORD.findall(text)):
        if not word.isascii():  # ASCII words fold the same both ways
            seen.update(dict.fromkeys(_variants(word)))
    return " ".join(seen)


@dataclass(frozen=True)
class ParsedQuery:
    """A search box's text, made safe for both databases."""

    text: str  # cleaned text for websearch_to_tsquery (PostgreSQL accepts any text there)
    terms: tuple[str, ...]  # its words, lower-cased, for PostgreSQL prefix matching
    folded_terms: tuple[str, ...]  # its words folded to ASCII, for SQLite FTS5
    has_operators: bool  # quotes, -word or "or": keep websearch semantics, no prefix branch

    def fts5_match(self) -> str:
        """An FTS5 expression: every folded term quoted, as a prefix from two letters, AND-ed."""
        return " ".join(f'"{t}"*' if len(t) > 1 else f'"{t}"' for t in self.folded_terms)

    def tsquery_prefix(self) -> str:
        """A to_tsquery expression: every term quoted, as a prefix from two letters, AND-ed."""
        return " & ".join(f"'{t}':*" if len(t) > 1 else f"'{t}'" for t in self.terms)


def _drop_stopwords(words: list[str], key: list[str]) -> list[str]:
    """The words whose key is not a stopword, or all of them if none would remain."""
    kept = [w for w, k in zip(words, key, strict=True) if k not in STOPWORDS]
    return kept or words


def _dedupe(words: list[str]) -> tuple[str, ...]:
    """The first MAX_TERMS distinct words, in order."""
    return tuple(dict.fromkeys(words))[:MAX_TERMS]


def parse_query(q: Any) -> ParsedQuery | None:
    """Parse any input into a query, or None when it holds no word to look for."""
    text = clean_text(q)[:MAX_QUERY_LENGTH]
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    words = _drop_stopwords(words, [normalize(w) for w in words])
    folded = [part for w in words for part in _WORD.findall(normalize(w))]
    folded = _drop_stopwords(folded, folded)
    if not folded:
        return None
    return ParsedQuery(
        text=text,
        terms=_dedupe(words),
        folded_terms=_dedupe(folded),
        has_operators=bool(_OPERATORS.search(text)),
    )


def snippet_html(raw: str | None) -> str:
    """A database snippet as safe HTML: the text escaped, then the matches in <mark>."""
    text = (raw or "").translate(_RESTORE_HTML)
    html = _MARKED.sub(r"<mark>\1</mark>", escape(text))
    # An unpaired sentinel (a fragment cut mid-match) must not show up as a stray character.
    return html.replace(MARK_START, "").replace(MARK_STOP, "")
