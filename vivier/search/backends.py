"""The database-specific half of search: PostgreSQL tsvector or SQLite FTS5, one contract."""

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from vivier.core.prepared import prepared_cursor
from vivier.core.rows import columns_of, id_list
from vivier.search.analysis import document_stems, fold, query_stems, stem_snippet
from vivier.search.models import SearchEntry
from vivier.search.text import HTML_STAND_INS, MARK_START, MARK_STOP, ParsedQuery, folded_variants

UNSUPPORTED_DATABASE = "Full-text search supports PostgreSQL and SQLite, not %(vendor)s."

# Rows per statement when writing many entries (SQLite allows 32766 parameters per statement).
WRITE_BATCH = 500

# The entry table as Django names it in a top-level query, for the raw SQL fragments below.
TABLE = SearchEntry._meta.db_table

# The columns a new entry is inserted with (`inserting`), besides id and indexed_at.
ENTRY_COLUMNS = (
    "kind",
    "object_id",
    "title",
    "body",
    "language",
    "community_id",
    "visibility",
    "author_id",
    "created_at",
    "url",
    "evidence",
)
_COLUMN_LIST = ", ".join(ENTRY_COLUMNS)

# Inserts new entries, given as rows of ENTRY_COLUMNS' values.
Insert = Callable[[Sequence[Sequence[Any]]], None]


@dataclass(frozen=True)
class AnyTermSQL:
    """The pieces of a hand-written statement over the entries' table matching any term."""

    tables: str  # to append to "FROM <entries' table>" (the full-text table, if any)
    match: str  # a condition, with match_params
    match_params: list[Any]
    relevance: str  # an expression (higher is better, never negative), with relevance_params
    relevance_params: list[Any]


class SearchBackend(Protocol):
    """What services and selectors need from the database's full-text engine."""

    # Whether the total can ride along with the page (COUNT(*) OVER ()); SQLite cannot, as its
    # window functions move the query into a subquery where bm25() no longer works.
    window_total: bool

    def write(self, entries: Sequence[SearchEntry]) -> None:
        """(Re)compute the full-text data of saved entries."""

    def inserting(self) -> AbstractContextManager[Insert]:
        """A function inserting new entries with their full-text data, inside a transaction."""

    def delete(self, ids: Sequence[int]) -> None:
        """Forget the full-text data of deleted entries."""

    def delete_all(self) -> None:
        """Forget all full-text data."""

    def after_rebuild(self) -> None:
        """Tidy up after writing the whole index."""

    def reading(self) -> AbstractContextManager[None]:
        """Where the search queries run."""

    def match(self, entries: QuerySet[SearchEntry], query: ParsedQuery) -> QuerySet[SearchEntry]:
        """Keep the entries matching `query`."""

    def relevance(self, query: ParsedQuery) -> RawSQL:
        """How well a matched entry fits `query` (higher is better), for `match`'s queryset."""

    def age_days(self) -> RawSQL:
        """The entry's age in days, never negative."""

    def snippets(self, ids: Sequence[int], query: ParsedQuery) -> dict[int, str]:
        """Excerpts of the entries' bodies with matches between MARK_START and MARK_STOP."""

    def any_term_match(
        self, entries: QuerySet[SearchEntry], terms: Sequence[str]
    ) -> QuerySet[SearchEntry]:
        """Keep the entries matching any of `terms` (stemmed, in French or English)."""

    def any_term_relevance(self, terms: Sequence[str]) -> RawSQL:
        """How well an entry of `any_term_match` fits `terms`: higher is better, never negative."""

    def any_term_sql(self, terms: Sequence[str]) -> AnyTermSQL:
        """`any_term_match` and `any_term_relevance` as SQL, for a statement written by hand."""

    def any_term_entries(
        self,
        ids: Sequence[int],
        terms: Sequence[str],
        extra: Mapping[str, tuple[str, Sequence[Any]]] | None = None,
        fields: tuple[str, ...] = (),
    ) -> dict[int, SearchEntry]:
        """The entries `ids` by id, each with an excerpt of its body around the stemmed `terms`
        as `snippet` (marked as in `snippets`; None without terms), and an attribute per
        `extra` item: a scalar SQL expression over the entry's row (its table named as
        SearchEntry's), with its parameters. Only `fields` are loaded if given (the others
        deferred: read one, and it costs a query). One hand-written statement."""


# PostgreSQL: configurations vivier_french, vivier_english and vivier_simple (migration 0001)
# run unaccent before stemming, so ts_headline can highlight "Sécurité" for "securite".
def _pg_config(table: str) -> str:
    """The text search configuration of the rows of `table`, by their language."""
    return (
        f"(CASE WHEN {table}.language = 'en' THEN 'vivier_english'::regconfig "
        "ELSE 'vivier_french'::regconfig END)"
    )


def _pg_document(table: str) -> str:
    """The tsvector of the rows of `table` (entries, or new ones being loaded)."""
    # The default parser reads "<b>" as an HTML tag and "&amp;" as an entity, and drops them
    # from headlines: turn them into separators for the document, into stand-ins for headlines.
    config = _pg_config(table)
    return f"""
    setweight(to_tsvector({config}, translate({table}.title, '<>&', '   ')), 'A')
    || setweight(to_tsvector({config}, translate({table}.body, '<>&', '   ')), 'B')
    || setweight(to_tsvector('vivier_simple', translate({table}.title, '<>&', '   ')), 'A')
    || setweight(to_tsvector('vivier_simple', translate({table}.body, '<>&', '   ')), 'D')
"""


_PG_CONFIG = _pg_config(TABLE)
_PG_DOCUMENT = _pg_document(TABLE)
# Settings that let the planner hand a batch's tsvectors to parallel workers (while inserting).
_PG_PARALLEL = {
    "min_parallel_table_scan_size": "0",
    "parallel_setup_cost": "0",
    "parallel_tuple_cost": "0",
}
_PG_HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=30, MinWords=12, ShortWord=2, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def _settings(values: dict[str, str]) -> list[str]:
    """The parameters of a `current_setting(name), set_config(name, value, true)` list."""
    return [v for name, value in values.items() for v in (name, name, value)]


class PostgresBackend:
    """A `document` tsvector per entry (GIN-indexed), websearch queries, ts_rank_cd, headlines."""

    window_total = True

    def write(self, entries: Sequence[SearchEntry]) -> None:
        ids = [e.pk for e in entries]
        with connection.cursor() as cursor:
            for start in range(0, len(ids), WRITE_BATCH):
                cursor.execute(
                    f"UPDATE {TABLE} SET document = {_PG_DOCUMENT} WHERE id = ANY(%s)",
                    [ids[start : start + WRITE_BATCH]],
                )

    @contextmanager
    def inserting(self) -> Iterator[Insert]:
        # Each batch: ids taken from the entries' sequence, the rows COPYed with them into a
        # load table, their tsvectors computed by one CREATE TABLE AS that PostgreSQL spreads
        # over its parallel workers (in this transaction: they see what it sees), then one
        # INSERT. Each entry goes into the entry table once (bulk_create then an UPDATE wrote
        # two versions of it), and the tsvectors, most of the work, may take several cores.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_backend_pid(), current_setting('max_parallel_workers_per_gather')"
            )
            pid, workers = cursor.fetchone()
            # A regular (unlogged) table, as parallel workers cannot read temporary ones; named
            # after this session, and made and dropped in this transaction.
            load, ready = f"search_entry_load_{pid}", f"search_entry_ready_{pid}"
            cursor.execute(
                f"CREATE UNLOGGED TABLE {load} AS "
                f"SELECT id, {_COLUMN_LIST} FROM {TABLE} WITH NO DATA"
            )
            cursor.execute(f"ALTER TABLE {load} SET (parallel_workers = {int(workers)})")
            copy_sql = f"COPY {load} (id, {_COLUMN_LIST}) FROM STDIN"
            settings_sql = "SELECT " + ", ".join(
                "current_setting(%s), set_config(%s, %s, true)" for _ in _PG_PARALLEL
            )
            ids_sql = "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)"
            ready_sql = (
                f"CREATE TEMPORARY TABLE {ready} AS "
                f"SELECT {load}.*, {_pg_document(load)} AS document FROM {load}"
            )
            insert_sql = (
                f"INSERT INTO {TABLE} (id, {_COLUMN_LIST}, indexed_at, document) "
                f"SELECT id, {_COLUMN_LIST}, %s, document FROM {ready}"
            )

            def insert(rows: Sequence[Sequence[Any]]) -> None:
                """Insert entries with their tsvectors."""
                if not rows:
                    return
                # Ids in the rows' order, as bulk_create gives them.
                cursor.execute(ids_sql, [TABLE, len(rows)])
                ids = sorted(pk for (pk,) in cursor.fetchall())
                with cursor.cursor.copy(copy_sql) as copy:
                    for pk, row in zip(ids, rows, strict=True):
                        copy.write_row((pk, *row))
                # The parallel settings for this statement only: the caller's queries keep the
                # plans (and the row orders) they would have had.
                cursor.execute(settings_sql, _settings(_PG_PARALLEL))
                saved = dict(zip(_PG_PARALLEL, cursor.fetchone()[::2], strict=True))
                cursor.execute(ready_sql)
                cursor.execute(settings_sql, _settings(saved))
                cursor.execute(insert_sql, [timezone.now()])
                cursor.execute(f"DROP TABLE {ready}")
                cursor.execute(f"TRUNCATE {load}")

            yield insert
            cursor.execute(f"DROP TABLE {load}")

    def delete(self, ids: Sequence[int]) -> None:
        pass  # the tsvector is a column of the deleted row

    def delete_all(self) -> None:
        pass

    def after_rebuild(self) -> None:
        with connection.cursor() as cursor:
            # Move the rows GIN's fast-update list collected into the index proper (every query
            # would scan that list until the next vacuum), and give the planner fresh statistics.
            cursor.execute("SELECT gin_clean_pending_list('search_entry_document'::regclass)")
            cursor.execute(f"ANALYZE {TABLE}")

    def reading(self) -> AbstractContextManager[None]:
        # JIT would compile for seconds what runs in milliseconds (the planner overestimates
        # ts_rank and the permission subqueries): settings.py turns it off for every connection,
        # so the search queries need no transaction and no SET LOCAL of their own.
        return nullcontext()

    def _tsquery(self, query: ParsedQuery) -> tuple[str, list[str]]:
        # French and English stems, and the words as written ('simple'), so a word matches
        # whatever language its text was detected in.
        sql = (
            "(websearch_to_tsquery('vivier_french', %s)"
            " || websearch_to_tsquery('vivier_english', %s)"
            " || websearch_to_tsquery('vivier_simple', %s)"
        )
        params = [query.text, query.text, query.text]
        if not query.has_operators:
            # Word beginnings, for a search-as-you-type box ("kube" finds Kubernetes). Skipped
            # with operators: this branch would ignore a -exclusion or a "phrase".
            sql += " || to_tsquery('vivier_simple', %s)"
            params.append(query.tsquery_prefix())
        return sql + ")", params

    def match(self, entries: QuerySet[SearchEntry], query: ParsedQuery) -> QuerySet[SearchEntry]:
        sql, params = self._tsquery(query)
        return entries.filter(
            RawSQL(f"{TABLE}.document @@ {sql}", params, output_field=BooleanField())
        )

    def relevance(self, query: ParsedQuery) -> RawSQL:
        sql, params = self._tsquery(query)
        # 1: divide by the log of the length, so long articles do not win by size alone;
        # 32: scale into [0, 1).
        return RawSQL(
            f"ts_rank_cd({TABLE}.document, {sql}, 1|32)", params, output_field=FloatField()
        )

    def age_days(self) -> RawSQL:
        return RawSQL(
            f"GREATEST(EXTRACT(EPOCH FROM (statement_timestamp() - {TABLE}.created_at)), 0)"
            "::float8 / 86400.0",
            [],
            output_field=FloatField(),
        )

    def snippets(self, ids: Sequence[int], query: ParsedQuery) -> dict[int, str]:
        if not ids:
            return {}
        return self._headlines(ids, *self._tsquery(query))

    def _headlines(self, ids: Sequence[int], sql: str, params: list[str]) -> dict[int, str]:
        """ts_headline of the entries' bodies for the tsquery `sql`, by entry id."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, ts_headline({_PG_CONFIG}, translate(body, '<>&', %s), {sql}, %s) "
                f"FROM {TABLE} WHERE id = ANY(%s)",
                [HTML_STAND_INS, *params, _PG_HEADLINE_OPTIONS, list(ids)],
            )
            return dict(cursor.fetchall())

    def _any_term_tsquery(self, terms: Sequence[str]) -> tuple[str, list[str]]:
        # Terms are words of letters and digits (analysis.words): quoted, they are safe lexemes.
        alternatives = " | ".join(f"'{t}'" for t in terms)
        # French and English stems, and the words as written ('simple'), which count once
        # more: "paie" ranks a text about la paie above one about "payant" (both "pai").
        return (
            "(to_tsquery('vivier_french', %s) || to_tsquery('vivier_english', %s)"
            " || to_tsquery('vivier_simple', %s))",
            [alternatives, alternatives, alternatives],
        )

    def any_term_match(
        self, entries: QuerySet[SearchEntry], terms: Sequence[str]
    ) -> QuerySet[SearchEntry]:
        fts = self.any_term_sql(terms)
        return entries.filter(RawSQL(fts.match, fts.match_params, output_field=BooleanField()))

    def any_term_sql(self, terms: Sequence[str]) -> AnyTermSQL:
        sql, params = self._any_term_tsquery(terms)
        return AnyTermSQL(
            tables="",
            match=f"{TABLE}.document @@ {sql}",
            match_params=params,
            # ts_rank, not ts_rank_cd: with alternatives, how many terms match matters more
            # than how close they are. 1: divide by the log of the length.
            relevance=f"ts_rank({TABLE}.document, {sql}, 1)",
            relevance_params=params,
        )

    def any_term_relevance(self, terms: Sequence[str]) -> RawSQL:
        fts = self.any_term_sql(terms)
        return RawSQL(fts.relevance, fts.relevance_params, output_field=FloatField())

    def any_term_entries(
        self,
        ids: Sequence[int],
        terms: Sequence[str],
        extra: Mapping[str, tuple[str, Sequence[Any]]] | None = None,
        fields: tuple[str, ...] = (),
    ) -> dict[int, SearchEntry]:
        if not terms:
            return _entries_with(ids, extra, "NULL", [], fields)
        # The expression of _headlines, computed in the statement that loads the entries.
        sql, params = self._any_term_tsquery(terms)
        headline = f"ts_headline({_PG_CONFIG}, translate({TABLE}.body, '<>&', %s), {sql}, %s)"
        snippet_params = [HTML_STAND_INS, *params, _PG_HEADLINE_OPTIONS]
        return _entries_with(ids, extra, headline, snippet_params, fields)


def _entries_with(
    ids: Sequence[int],
    extra: Mapping[str, tuple[str, Sequence[Any]]] | None,
    snippet: str,
    snippet_params: Sequence[Any],
    fields: tuple[str, ...] = (),
) -> dict[int, SearchEntry]:
    """The entries `ids` (only `fields` if given) with each `extra` expression as an attribute
    and the SQL expression `snippet` as `snippet` (see SearchBackend.any_term_entries)."""
    if not ids:
        return {}
    extra = extra or {}
    columns = columns_of(SearchEntry, TABLE, names=tuple(sorted({"id", *fields})) if fields else ())
    scalars = "".join(f", ({sql})" for sql, _params in extra.values())
    among, among_params = id_list(ids, connection)
    params = [p for _sql, values in extra.values() for p in values]
    with prepared_cursor(connection) as cursor:
        cursor.execute(
            f"SELECT {columns.sql}{scalars}, {snippet} FROM {TABLE} WHERE {TABLE}.id {among}",
            [*params, *snippet_params, *among_params],
        )
        rows = cursor.fetchall()
    found = {}
    width = len(columns)
    for row in rows:
        entry = columns.instance(row[:width])
        for name, value in zip(extra, row[width:-1], strict=True):
            setattr(entry, name, value)
        entry.snippet = row[-1]
        found[entry.pk] = entry
    return found


# SQLite: columns title, body and `alt` (transliterations unicode61 misses, see text.py), and
# title_stems and body_stems (Snowball stems, see analysis.py) for the expertise ranking.
_FTS = "search_fts"


class SqliteBackend:
    """An FTS5 table keyed by entry id, prefix queries, bm25 and snippet()."""

    window_total = False

    def write(self, entries: Sequence[SearchEntry]) -> None:
        self.delete([e.pk for e in entries])
        self._write_fts([(e.pk, e.title, e.body, e.language) for e in entries])

    def _write_fts(self, entries: Sequence[tuple[int, str, str, str]]) -> None:
        """Insert the FTS5 rows of (id, title, body, language) entries, in one executemany."""
        rows = [
            (
                pk,
                title,
                body,
                folded_variants(f"{title} {body}"),
                document_stems(title, language),
                document_stems(body, language),
            )
            for pk, title, body, language in entries
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {_FTS} (rowid, title, body, alt, title_stems, body_stems) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                rows,
            )

    @contextmanager
    def inserting(self) -> Iterator[Insert]:
        columns = ENTRY_COLUMNS.index
        kind, object_id, title, body, language, created_at = map(
            columns, ("kind", "object_id", "title", "body", "language", "created_at")
        )
        insert_sql = (
            f"INSERT INTO {TABLE} ({_COLUMN_LIST}, indexed_at) "
            f"VALUES ({', '.join(['%s'] * (len(ENTRY_COLUMNS) + 1))})"
        )
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:

            def insert(rows: Sequence[Sequence[Any]]) -> None:
                """Insert entries and their FTS5 rows."""
                if not rows:
                    return
                # The new entries get ids above every id so far (AUTOINCREMENT): read them back
                # by kind and object, as executemany returns none.
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TABLE}")
                (last,) = cursor.fetchone()
                now = adapt(timezone.now())
                values = []
                for row in rows:
                    value = list(row)
                    value[created_at] = adapt(value[created_at])
                    values.append((*value, now))
                cursor.executemany(insert_sql, values)
                cursor.execute(f"SELECT kind, object_id, id FROM {TABLE} WHERE id > %s", [last])
                ids = {(k, o): pk for k, o, pk in cursor.fetchall()}
                self._write_fts(
                    [
                        (ids[row[kind], row[object_id]], row[title], row[body], row[language])
                        for row in rows
                    ]
                )

            yield insert

    def delete(self, ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(ids), WRITE_BATCH):
                batch = list(ids[start : start + WRITE_BATCH])
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(f"DELETE FROM {_FTS} WHERE rowid IN ({marks})", batch)

    def delete_all(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {_FTS}")

    def after_rebuild(self) -> None:
        # Merge the index segments written batch by batch into one, for faster queries.
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {_FTS} ({_FTS}) VALUES ('optimize')")

    def reading(self) -> AbstractContextManager[None]:
        # No transaction: with transaction_mode IMMEDIATE it would take the write lock.
        return nullcontext()

    def match(self, entries: QuerySet[SearchEntry], query: ParsedQuery) -> QuerySet[SearchEntry]:
        # A virtual table has no model to join through: extra() is the ORM's way to add it, and
        # keeps count() and slicing working. SQLite drives the join from the MATCH. The SQL is
        # constant: the query text is a parameter.
        return entries.extra(
            tables=[_FTS],
            where=[f"{_FTS}.rowid = {TABLE}.id", f"{_FTS} MATCH %s"],
            params=[query.fts5_match()],
        )

    def relevance(self, query: ParsedQuery) -> RawSQL:
        # bm25() is lower for better matches; title words weigh five times body words.
        return RawSQL(f"-bm25({_FTS}, 5.0, 1.0, 1.0, 0.0, 0.0)", [], output_field=FloatField())

    def age_days(self) -> RawSQL:
        return RawSQL(
            f"MAX(julianday('now') - julianday({TABLE}.created_at), 0)",
            [],
            output_field=FloatField(),
        )

    def snippets(self, ids: Sequence[int], query: ParsedQuery) -> dict[int, str]:
        if not ids:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, snippet({_FTS}, 1, %s, %s, '…', 24) FROM {_FTS} "
                f"WHERE {_FTS} MATCH %s AND rowid IN ({marks})",
                [MARK_START, MARK_STOP, query.fts5_match(), *ids],
            )
            return dict(cursor.fetchall())

    def _any_term_match(self, terms: Sequence[str]) -> str:
        # Stems find the word's family; the words as written count once more, so that "paie"
        # ranks a text about la paie above one about "payant" (both stem to "pai").
        stems = " OR ".join(f'"{s}"' for s in query_stems(list(terms)))
        written = " OR ".join(f'"{w}"' for w in dict.fromkeys(fold(t) for t in terms))
        return f"{{title_stems body_stems}} : ({stems}) OR {{title body}} : ({written})"

    def any_term_match(
        self, entries: QuerySet[SearchEntry], terms: Sequence[str]
    ) -> QuerySet[SearchEntry]:
        fts = self.any_term_sql(terms)
        return entries.extra(tables=[_FTS], where=[fts.match], params=fts.match_params)

    def any_term_relevance(self, terms: Sequence[str]) -> RawSQL:
        return RawSQL(self.any_term_sql(terms).relevance, [], output_field=FloatField())

    def any_term_sql(self, terms: Sequence[str]) -> AnyTermSQL:
        return AnyTermSQL(
            tables=f", {_FTS}",
            match=f"{_FTS}.rowid = {TABLE}.id AND {_FTS} MATCH %s",
            match_params=[self._any_term_match(terms)],
            # Titles weigh twice bodies: a title says what the whole text is about.
            relevance=f"-bm25({_FTS}, 2.0, 1.0, 0.0, 2.0, 1.0)",
            relevance_params=[],
        )

    def any_term_entries(
        self,
        ids: Sequence[int],
        terms: Sequence[str],
        extra: Mapping[str, tuple[str, Sequence[Any]]] | None = None,
        fields: tuple[str, ...] = (),
    ) -> dict[int, SearchEntry]:
        # The excerpt is made from the body in its language.
        fields = (*fields, "body", "language") if fields else ()
        found = _entries_with(ids, extra, "NULL", [], fields)
        # The stems columns are not readable text: the excerpt is made in Python from the
        # row's body, marking the words whose stem matches.
        wanted = set(query_stems(list(terms)))
        for entry in found.values():
            entry.snippet = stem_snippet(entry.body, entry.language, wanted) if terms else None
        return found


def backend() -> SearchBackend:
    """The full-text engine of the default database."""
    vendor = connection.vendor
    if vendor == "postgresql":
        return PostgresBackend()
    if vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(UNSUPPORTED_DATABASE % {"vendor": vendor})
