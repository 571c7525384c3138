"""French and English text analysis for ranking: words, stop words, Snowball stems.

PostgreSQL does this itself (the vivier_french and vivier_english configurations); SQLite's
FTS5 has no French stemmer, so its index keeps the stems this module computes, and queries
are stemmed the same way. Both databases then match "brassage" with "brasser" and "hops"
with "hop", accents ignored.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# The Snowball project's stop word lists for French and English (snowballstem.org), which
# PostgreSQL's french and english dictionaries also use, plus the letters left by elisions.
_FRENCH_STOPWORDS_TEXT = """
    au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me
    même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te
    tes toi ton tu un une vos votre vous c d j l à m n s t y été étée étées étés étant étante
    étants étantes suis es est sommes êtes sont serai seras sera serons serez seront serais
    serait serions seriez seraient étais était étions étiez étaient fus fut fûmes fûtes furent
    sois soit soyons soyez soient fusse fusses fût fussions fussiez fussent ayant ayante
    ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront
    aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eûmes eûtes
    eurent aie aies ait ayons ayez aient eusse eusses eût eussions eussiez eussent ceci cela
    celà cet cette ici ils les leurs quel quels quelle quelles sans soi
"""
_ENGLISH_STOPWORDS_TEXT = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing would should could ought i'm you're he's she's it's we're they're i've you've we've
    they've i'd you'd he'd she'd we'd they'd i'll you'll he'll she'll we'll they'll isn't
    aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't won't wouldn't shan't
    shouldn't can't cannot couldn't mustn't let's that's who's what's here's there's when's
    where's why's how's a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now
"""
FRENCH_STOPWORDS = frozenset(_FRENCH_STOPWORDS_TEXT.split())
ENGLISH_STOPWORDS = frozenset(_ENGLISH_STOPWORDS_TEXT.split())
STOPWORDS = FRENCH_STOPWORDS | ENGLISH_STOPWORDS
# How people phrase a request for help ("qui connaît la paie ?", "does anyone know SAP?"): words
# that say nothing of the topic, left out of ranking queries (not of indexed texts).
_REQUEST_WORDS_TEXT = """
    qui quoi comment pourquoi quel quels quelle quelles quelqu connaît
    connait connaître connaitre connaissez sait savez savoir expert experte experts aide aider
    besoin cherche recherche svp merci bonjour
    who what how why which anyone anybody someone somebody know knows knowing expert experts
    help need needed looking please thanks hello
"""
REQUEST_WORDS = frozenset(_REQUEST_WORDS_TEXT.split())

# Words as both FTS tokenizers see them: letters and digits.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A long text is judged by its first words: enough for a question, bounded for the index.
MAX_ANALYZED_WORDS = 20_000
# Terms of a ranking query: each one costs an index lookup.
MAX_QUERY_TERMS = 40

_STEMMERS = {
    "fr": snowballstemmer.stemmer("french"),
    "en": snowballstemmer.stemmer("english"),
}


# Cached: the SQLite index folds every word of every text it holds, and words repeat.
@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """`word` in lower case without accents (œ and æ spelled out)."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("œ", "oe").replace("æ", "ae"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of `text` in lower case, stop words and single letters left out."""
    found = _WORD.findall(text.lower())[:MAX_ANALYZED_WORDS]
    return [w for w in found if len(w) > 1 and w not in STOPWORDS and fold(w) not in STOPWORDS]


@lru_cache(maxsize=100_000)
def stem(word: str, language: str) -> str:
    """The Snowball stem of a lower-case word in `language` ("fr" or "en"), accents folded."""
    stemmer = _STEMMERS.get(language, _STEMMERS["fr"])
    # Accents off first: people type "securite" for "sécurité", and the French stemmer would
    # cut the two differently ("securit", "sécur"). Stemming folded words keeps them together.
    return stemmer.stemWord(fold(word))


def document_stems(text: str, language: str) -> str:
    """The stems of a text written in `language`, space-separated, for the SQLite index."""
    return " ".join(stem(w, language) for w in words(text))


def query_terms(text: str) -> list[str]:
    """The distinct content words of a query, in order, at most MAX_QUERY_TERMS."""
    found = [w for w in words(text) if w not in REQUEST_WORDS and fold(w) not in REQUEST_WORDS]
    return list(dict.fromkeys(found))[:MAX_QUERY_TERMS]


def query_stems(terms: list[str]) -> list[str]:
    """The French and English stems of query terms: the language of a query is not known."""
    stems: dict[str, None] = {}
    for term in terms:
        for language in ("fr", "en"):
            stems.setdefault(stem(term, language), None)
    return [s for s in stems if s]


# A snippet: about this many words, around the densest run of matches.
SNIPPET_WORDS = 30
_TOKEN = re.compile(r"[^\W_]+|[\W_]+", re.UNICODE)


def stem_snippet(body: str, language: str, stems: set[str]) -> str:
    """About SNIPPET_WORDS words of `body` around its matches, each match between the marks."""
    from vivier.search.text import MARK_START, MARK_STOP

    tokens = _TOKEN.findall(body[: MAX_ANALYZED_WORDS * 8])
    word_positions = [i for i, t in enumerate(tokens) if t[0].isalnum()]
    if not word_positions:
        return ""

    def hit(i: int) -> bool:
        token = tokens[i].lower()
        return len(token) > 1 and token not in STOPWORDS and stem(token, language) in stems

    hits = [hit(i) for i in word_positions]
    # The window of SNIPPET_WORDS words holding the most matches (the first such window).
    best_start, best, current = 0, -1, 0
    for end, matched in enumerate(hits):
        current += matched
        if end >= SNIPPET_WORDS:
            current -= hits[end - SNIPPET_WORDS]
        if end >= min(SNIPPET_WORDS, len(hits)) - 1 and current > best:
            best, best_start = current, max(0, end - SNIPPET_WORDS + 1)
    first = word_positions[best_start]
    last_word = min(best_start + SNIPPET_WORDS, len(word_positions)) - 1
    last = word_positions[last_word]
    parts = []
    for i in range(first, last + 1):
        token = tokens[i]
        parts.append(f"{MARK_START}{token}{MARK_STOP}" if token[0].isalnum() and hit(i) else token)
    text = "".join(parts).strip()
    prefix = "… " if first > 0 else ""
    suffix = " …" if last < word_positions[-1] else ""
    return f"{prefix}{text}{suffix}"
