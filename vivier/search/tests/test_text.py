"""Query parsing, markdown stripping and snippet escaping (no database)."""

import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from vivier.core.text import detect_language
from vivier.search.tests import reference
from vivier.search.text import (
    _CONTROL,
    _SPACES,
    MARK_START,
    MARK_STOP,
    MAX_TERMS,
    clean_text,
    folded_variants,
    parse_query,
    snippet_html,
    strip_markdown,
)


@pytest.mark.parametrize("q", [None, "", "   ", "\x00", "!!!", "-", '""', "&|!:*()<->", "_", []])
def test_a_query_without_words_is_none(q):
    assert parse_query(q) is None


def test_a_query_is_cleaned_bounded_and_folded():
    query = parse_query("  Sécurité\x00 des  RÉSEAUX  ")
    assert query.text == "Sécurité des RÉSEAUX"
    assert query.terms == ("sécurité", "réseaux")  # "des" is a stopword
    assert query.folded_terms == ("securite", "reseaux")
    assert query.fts5_match() == '"securite"* "reseaux"*'
    assert query.tsquery_prefix() == "'sécurité':* & 'réseaux':*"
    assert not query.has_operators


def test_only_stopwords_are_kept_rather_than_nothing():
    assert parse_query("the").folded_terms == ("the",)


def test_one_letter_terms_are_exact_and_terms_are_bounded():
    query = parse_query("c " + " ".join(f"w{n}" for n in range(50)))
    assert query.fts5_match().startswith('"w0"*')
    assert len(query.folded_terms) == MAX_TERMS
    assert parse_query("r").fts5_match() == '"r"'


def test_long_queries_are_cut():
    assert len(parse_query("x" * 1000).text) == 200


def test_terms_never_hold_quotes_or_operators():
    query = parse_query("a\"b'c*d:e(f)g&h|i!j\\k")
    for term in (*query.terms, *query.folded_terms):
        assert term.isalnum()


def test_transliterations_become_terms():
    assert parse_query("œuvre").folded_terms == ("oeuvre",)
    assert parse_query("Привет").folded_terms == ("privet",)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ('"exact phrase"', True),
        ("kubernetes -docker", True),
        ("a or b", True),
        ("co-op", False),
        ("orange", False),
    ],
)
def test_websearch_operators_are_detected(q, expected):
    assert parse_query(q).has_operators is expected


def test_markdown_is_stripped_roughly():
    text = strip_markdown(
        "# Titre\n\n**Gras** et _italique_ avec `code`, [un lien](https://x.test) et "
        "![une image](/a.png).\n\n> citation\n\n- point\n1. autre\n\n```python\nprint(1)\n```\n"
        "snake_case reste"
    )
    assert text == (
        "Titre Gras et italique avec code , un lien et une image. citation point autre "
        "print(1) snake_case reste"
    )


def test_clean_text_drops_control_characters_and_lone_surrogates():
    assert clean_text("a\x02b\x03c\x00d\ud800e\n\tf") == "abcde f"


def test_folded_variants_hold_only_what_the_tokenizer_misses():
    assert folded_variants("Sécurité œuvre Straße") == "oeuvre strasse"


def test_snippets_are_escaped_before_marking():
    raw = f"<script>{MARK_START}alert{MARK_STOP}(1)</script> & \x04b\x05"
    assert snippet_html(raw) == (
        "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; &amp; &lt;b&gt;"
    )


def test_unpaired_sentinels_vanish():
    assert snippet_html(f"a{MARK_START}b c{MARK_STOP}{MARK_STOP}") == "a<mark>b c</mark>"
    assert snippet_html(f"a{MARK_START}b") == "ab"
    assert snippet_html(None) == ""


# The index's text cleaning takes shortcuts (issue #12): each must give what the full
# treatment gives, which reference.py keeps.


def test_a_printable_text_holds_no_character_clean_text_would_change():
    # clean_text returns a printable text as it is when it has no doubled or outer space:
    # that is right only if no printable character but " " is whitespace to the \s+ pattern,
    # a control character or a surrogate. Every code point is checked.
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char == " " or not char.isprintable():
            continue
        assert not _SPACES.match(char), hex(code)
        assert not _CONTROL.match(char), hex(code)
        assert not 0xD800 <= code <= 0xDFFF, hex(code)


# Text made mostly of what markdown, whitespace and cleaning react to.
_MARKUP = st.lists(
    st.sampled_from(
        [
            *"#*_~`|>-+.)([]!:<>/ \t\n\r\x0b\x0c\x00\x1f\x7f\x85\xa0\u2028\u200b\ud800",
            *("```", "~~~", "](", "][", "]:", "1.", "2)", "http://", "<https://x.y>", "a", "é"),
        ]
    ),
    max_size=60,
).map("".join)
_ANY_TEXT = st.one_of(st.text(max_size=80), _MARKUP)


@settings(max_examples=3000, deadline=None)
@given(_ANY_TEXT)
@example("a  b")
@example(" a")
@example("a ")
@example("a\u00a0b")
@example("a\tb")
@example("a \x01 b")
@example("\ud800")
@example("déjà vu")
def test_clean_text_is_the_full_cleaning(text):
    assert clean_text(text) == reference.clean_text(text)


@settings(max_examples=3000, deadline=None)
@given(_ANY_TEXT)
def test_strip_markdown_is_every_pattern_run(text):
    assert strip_markdown(text) == reference.strip_markdown(text)


@pytest.mark.parametrize(
    "text",
    [
        "1. un\n2) deux",
        "  1. un",
        "***",
        "___",
        "- - -",
        "[a](b) ![c](d) [e][f] [g]: h",
        "<https://x.test> <mailto:a@b.c>",
        "```\ncode\n```",
        "~~~\ncode\n~~~",
        "> > quote",
        "## h",
        "a_b _c_ d__",
        "x|y ~z~ `w`",
        None,
        42,
    ],
)
def test_strip_markdown_shortcuts_on_each_pattern(text):
    assert strip_markdown(text) == reference.strip_markdown(text)


_WORDY = st.lists(
    st.sampled_from(
        [
            *("le", "la", "the", "and", "THE", "Très", "être", "of", "İs", "ß", "x", "Ünd", "très"),
            ", ",
            "\n",
            "1",
            "é",
        ]
    ),
    max_size=900,
).map(" ".join)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.text(max_size=200), _WORDY), st.sampled_from(["fr", "en"]))
def test_detect_language_counts_as_before(text, default):
    assert detect_language(text, default=default) == reference.detect_language(
        text, default=default
    )
