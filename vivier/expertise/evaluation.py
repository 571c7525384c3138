"""Replaying a Stack Exchange site: does the ranking find who answered? (docs/expertise.md)

Import what was posted before a cutoff, then for every later question whose accepted answer
came from someone other than the asker, ask `experts_rank` (the code behind /api/v1/experts)
for a ranking of people and see where the accepted answerer is.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from vivier.accounts.models import User
from vivier.expertise.models import Answer, ImportRecord
from vivier.expertise.selectors import experts_rank
from vivier.expertise.stackexchange import ANSWER, Dump, import_dump
from vivier.search.analysis import query_terms
from vivier.search.backends import backend
from vivier.search.models import SearchEntry

# Rank depth: the reciprocal rank of a person below it counts as 0 (it would be under 0.01).
DEPTH = 100
# The per-post BM25 baseline sums the scores of the best posts per author.
BM25_POSTS = 50


@dataclass(frozen=True)
class EvalQuery:
    """A later question: its text, when, who asked and who gave the accepted answer."""

    text: str
    asked_at: datetime
    asker_id: int | None  # Vivier user ids (None: not imported, posted nothing before)
    answerer_id: int | None


@dataclass(frozen=True)
class Scores:
    """Mean reciprocal rank, precision at 1 and recall at 10."""

    mrr: float
    p1: float
    r10: float

    def as_dict(self) -> dict[str, float]:
        return {"mrr": round(self.mrr, 4), "p1": round(self.p1, 4), "r10": round(self.r10, 4)}


def eval_queries(dump: Dump, cutoff: datetime) -> list[EvalQuery]:
    """The questions asked from `cutoff` on whose accepted answer is by someone else."""
    users = dict(
        ImportRecord.objects.filter(source=dump.site, key__startswith="user:").values_list(
            "key", "object_id"
        )
    )
    queries = []
    for question in sorted(dump.questions(), key=lambda p: (p.created_at, p.id)):
        answer = dump.posts.get(question.accepted_answer or -1)
        if question.created_at < cutoff or answer is None or answer.type != ANSWER:
            continue
        if answer.owner is None or answer.owner == question.owner:
            continue
        text = " ".join([question.title, " ".join(question.tags), question.body])
        queries.append(
            EvalQuery(
                text=text,
                asked_at=question.created_at,
                asker_id=users.get(f"user:{question.owner}"),
                answerer_id=users.get(f"user:{answer.owner}"),
            )
        )
    return queries


def score(queries: list[EvalQuery], rank: Callable[[EvalQuery], list[int]]) -> Scores:
    """The scores of a ranking function (user ids, best first) over the queries."""
    reciprocal, first, top10 = 0.0, 0, 0
    for query in queries:
        ranking = [pk for pk in rank(query) if pk != query.asker_id][:DEPTH]
        if query.answerer_id in ranking:
            position = ranking.index(query.answerer_id) + 1
            reciprocal += 1.0 / position
            first += position == 1
            top10 += position <= 10
    n = len(queries) or 1
    return Scores(mrr=reciprocal / n, p1=first / n, r10=top10 / n)


def product_ranking(viewer: User) -> Callable[[EvalQuery], list[int]]:
    """Vivier's ranking, as `/api/v1/experts` computes it, at the time the question was asked."""

    def rank(query: EvalQuery) -> list[int]:
        exclude = [query.asker_id] if query.asker_id else []
        results = experts_rank(
            viewer=viewer,
            q=query.text,
            limit=DEPTH,
            exclude=exclude,
            now=query.asked_at,
            with_evidence=False,
        )
        return [r.user.pk for r in results]

    return rank


def most_active_ranking() -> Callable[[EvalQuery], list[int]]:
    """Baseline: the people who wrote the most answers, whatever the question."""
    counts = Counter(Answer.objects.values_list("author_id", flat=True))
    ordered = [pk for pk, _n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    return lambda query: ordered


def bm25_posts_ranking() -> Callable[[EvalQuery], list[int]]:
    """Baseline: single questions and answers ranked by the engine, scores summed per author."""
    engine = backend()
    kinds = (SearchEntry.Kind.POST, SearchEntry.Kind.ANSWER)

    def rank(query: EvalQuery) -> list[int]:
        terms = query_terms(query.text)
        if not terms:
            return []
        entries = SearchEntry.objects.filter(kind__in=kinds, author_id__isnull=False)
        rows = (
            engine.any_term_match(entries, terms)
            .annotate(relevance=engine.any_term_relevance(terms))
            .order_by("-relevance", "-id")
            .values_list("author_id", "relevance")[:BM25_POSTS]
        )
        totals: dict[int, float] = defaultdict(float)
        with engine.reading():
            for author_id, relevance in rows:
                totals[author_id] += relevance
        return [pk for pk, _s in sorted(totals.items(), key=lambda item: (-item[1], item[0]))]

    return rank


def evaluate(dump: Dump, cutoff: datetime) -> dict:
    """Import the dump up to `cutoff` into the current database and score every ranking."""
    stats = import_dump(dump, before=cutoff)
    viewer = User.objects.create_user(email="expertise-eval@vivier.invalid", password=None)
    queries = eval_queries(dump, cutoff)
    known = [q for q in queries if q.answerer_id is not None]
    rankings = {
        "product": product_ranking(viewer),
        "most_active": most_active_ranking(),
        "bm25_posts": bm25_posts_ranking(),
    }
    report: dict = {
        "queries": len(queries),
        "queries_answerer_known": len(known),
        "imported": {
            "people": stats.people,
            "questions": stats.questions,
            "answers": stats.answers,
            "comments": stats.comments,
        },
    }
    for name, rank in rankings.items():
        # Each question is ranked once; both subsets read the same rankings.
        ranked = {id(q): rank(q) for q in queries}
        for subset, items in (("all", queries), ("answerer_known", known)):
            scores = score(items, lambda q, ranked=ranked: ranked[id(q)])
            report.setdefault(subset, {})[name] = scores.as_dict()
    report["product"] = report["all"]["product"]
    report["baselines"] = {k: v for k, v in report["all"].items() if k != "product"}
    return report
