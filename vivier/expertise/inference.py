"""Inferred skills: the taxonomy skills a person's own writing shows (decision 0008).

Each text a person wrote (post, answer, comment: the search index's entries with an evidence
weight) shows the skills linked to its tags (for an answer or a comment, those of the question
or post it belongs to) and the skills whose alias appears in its title or body. Each such text
adds `evidence weight x 0.5^(age / 180 days)` to the person's score for the skill. A skill is
suggested when the score reaches THRESHOLD with at least MIN_TEXTS distinct texts behind it.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from unidecode import unidecode

from vivier.accounts.models import User
from vivier.expertise.models import Answer, InferredSkill
from vivier.expertise.selectors import EVIDENCE_KINDS, evidence_decay
from vivier.people.models import SkillAlias
from vivier.search.analysis import STOPWORDS
from vivier.search.models import SearchEntry
from vivier.social.models import Comment, Post

# A skill is suggested from a score of 1.0: two recent answers, an answer and two comments,
# two recent updates, or four recent comments; two answers a year old (2 x 0.25) are not enough.
THRESHOLD = 1.0
# One text, however strong, is an anecdote: at least two distinct texts must show the skill.
MIN_TEXTS = 2
# Aliases of one or two characters ("C", "R", "Go", "IA", "RH") match too many words.
MIN_ALIAS_LENGTH = 3
# Longer aliases are rare; n-grams up to this many words are looked up.
MAX_ALIAS_WORDS = 4
# A long article is judged by its first words, which bounds the work per text.
MAX_TEXT_WORDS = 2000
# Acronyms up to this length ("SAP", "PIC", "MOM") count only when the text writes them in
# capitals: in lower case they are everyday words.
ACRONYM_MAX_LENGTH = 5
# Aliases that are also everyday words in French or English texts.
COMMON_WORDS = frozenset({"vue", "back", "dev", "tableau"})
# People per batch: each batch costs a fixed number of queries (see infer_skills).
BATCH_SIZE = 200
# Texts kept per person and skill to show as the reasons of a suggestion.
TEXTS_PER_SKILL = 2

# Punctuation around a word, but not the "+" of C++ or the "#" of C#, nor a leading dot (.NET).
_LEADING = "([{\"'«<*_#@"
_TRAILING = ".,;:!?)]}\"'»>*_"
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu)'", re.IGNORECASE)


def _clean_word(word: str) -> str:
    """`word` without the punctuation around it and a French elision (l', d', qu'…)."""
    return _ELISION.sub("", word.strip(_TRAILING).lstrip(_LEADING)).strip(_TRAILING)


def _tokens(text: str) -> list[str]:
    """The words of `text` as written (ASCII, case kept), punctuation around them removed."""
    words = (_clean_word(w) for w in unidecode(text or "").split()[:MAX_TEXT_WORDS])
    return [w for w in words if w]


@dataclass(frozen=True)
class _Alias:
    skill_id: int
    acronym: bool  # counts only when written in capitals


class AliasMatcher:
    """Finds the skills named in a text by their aliases (any n-gram of up to four words)."""

    def __init__(self, skill_ids: Iterable[int] | None = None) -> None:
        """Load the aliases of every skill, or of `skill_ids` only (one query)."""
        aliases = SkillAlias.objects.all()
        if skill_ids is not None:
            aliases = aliases.filter(skill_id__in=list(skill_ids))
        owners: dict[str, set[int]] = defaultdict(set)
        acronyms: set[str] = set()
        for text, skill_id in aliases.values_list("text", "skill_id"):
            words = [_clean_word(w) for w in unidecode(text).split()]
            key = " ".join(w.lower() for w in words if w)
            if not key or len(words) > MAX_ALIAS_WORDS:
                continue
            if len(key) < MIN_ALIAS_LENGTH or key in STOPWORDS or key in COMMON_WORDS:
                continue
            owners[key].add(skill_id)
            if len(words) == 1 and len(key) <= ACRONYM_MAX_LENGTH and text.isupper():
                acronyms.add(key)
        # An alias shared by several skills says nothing about which one the text shows.
        self.aliases = {
            key: _Alias(next(iter(ids)), key in acronyms)
            for key, ids in owners.items()
            if len(ids) == 1
        }
        self.prefixes = {key.split()[0] for key in self.aliases if " " in key}

    def skills_in(self, text: str) -> set[int]:
        """The skills whose alias `text` contains as whole words."""
        tokens = _tokens(text)
        keys = [t.lower() for t in tokens]
        found: set[int] = set()
        for i, key in enumerate(keys):
            alias = self.aliases.get(key)
            if alias is not None and (not alias.acronym or tokens[i].isupper()):
                found.add(alias.skill_id)
            if key in self.prefixes:
                for n in range(2, min(MAX_ALIAS_WORDS, len(keys) - i) + 1):
                    alias = self.aliases.get(" ".join(keys[i : i + n]))
                    if alias is not None:
                        found.add(alias.skill_id)
        return found


@dataclass(frozen=True)
class SupportingText:
    """A text that shows a skill: its weight today, its title and where to read it."""

    weight: float
    entry_id: int
    kind: str
    title: str
    url: str
    created_at: datetime


@dataclass
class SkillEvidence:
    """What a person's writing shows of one skill."""

    score: float = 0.0
    count: int = 0  # distinct texts
    last_at: datetime | None = None
    texts: list[SupportingText] = field(default_factory=list)  # the strongest, at most a few

    def add(self, text: SupportingText) -> None:
        """Count one more text for the skill."""
        self.score += text.weight
        self.count += 1
        if self.last_at is None or text.created_at > self.last_at:
            self.last_at = text.created_at
        self.texts.append(text)
        self.texts.sort(key=lambda t: (-t.weight, -t.entry_id))
        del self.texts[TEXTS_PER_SKILL:]

    @property
    def passes(self) -> bool:
        """Whether the evidence is enough to suggest the skill."""
        # Rounded: two updates written a minute ago have faded by a millionth, and still count.
        return round(self.score, 4) >= THRESHOLD and self.count >= MIN_TEXTS


def collect_evidence(
    user_ids: Iterable[int],
    *,
    matcher: AliasMatcher,
    now: datetime | None = None,
    skill_ids: Iterable[int] | None = None,
    max_texts: int | None = None,
) -> dict[int, dict[int, SkillEvidence]]:
    """Per person and skill, the evidence of their writing, in four queries.

    `skill_ids` keeps only those skills; `max_texts` reads only each call's most recent texts
    (for pages, which need a few reasons, not a nightly total).
    """
    user_ids = list(user_ids)
    now = now or timezone.now()
    wanted = set(skill_ids) if skill_ids is not None else None
    result: dict[int, dict[int, SkillEvidence]] = defaultdict(lambda: defaultdict(SkillEvidence))
    if not user_ids:
        return {}

    # The post each answer and comment belongs to, and the skills of every post's tags: by the
    # authors, not by ids, so that the query size is bounded by the batch, not by its texts.
    answers = Answer.objects.filter(author_id__in=user_ids)
    comments = Comment.objects.filter(author_id__in=user_ids)
    question_of = dict(answers.values_list("pk", "question_id"))
    post_of = dict(comments.values_list("pk", "post_id"))
    tag_links = Post.tags.through.objects.filter(
        Q(post_id__in=Post.objects.filter(author_id__in=user_ids).values("pk"))
        | Q(post_id__in=answers.values("question_id"))
        | Q(post_id__in=comments.values("post_id")),
        tag__skill_id__isnull=False,
    ).values_list("post_id", "tag__skill_id")
    tag_skills: dict[int, set[int]] = defaultdict(set)
    for post_id, skill_id in tag_links:
        tag_skills[post_id].add(skill_id)

    entries = SearchEntry.objects.filter(
        author_id__in=user_ids, kind__in=EVIDENCE_KINDS, evidence__gt=0, created_at__lte=now
    ).order_by("-created_at", "-id")
    if max_texts is not None:
        entries = entries[:max_texts]
    rows = entries.values_list(
        "id", "author_id", "kind", "object_id", "title", "body", "created_at", "evidence", "url"
    )
    for entry_id, author_id, kind, object_id, title, body, created_at, weight, url in rows:
        if kind == SearchEntry.Kind.ANSWER:
            post_id = question_of.get(object_id)
        elif kind == SearchEntry.Kind.COMMENT:
            post_id = post_of.get(object_id)
        else:
            post_id = object_id
        skills = tag_skills.get(post_id, set()) | matcher.skills_in(f"{title}\n{body}")
        if wanted is not None:
            skills &= wanted
        if not skills:
            continue
        text = SupportingText(
            weight=weight * evidence_decay(created_at, now),
            entry_id=entry_id,
            kind=kind,
            title=title or body[:80],
            url=url,
            created_at=created_at,
        )
        for skill_id in skills:
            result[author_id][skill_id].add(text)
    return {user_id: dict(skills) for user_id, skills in result.items()}


@dataclass
class InferenceStats:
    """What a run did."""

    people: int = 0
    batches: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0


def _apply(
    user_ids: list[int], evidence: dict[int, dict[int, SkillEvidence]], stats: InferenceStats
) -> None:
    """Store the batch's suggestions: create, update, and delete the stale suggested ones."""
    existing = {
        (row.user_id, row.skill_id): row
        for row in InferredSkill.objects.filter(user_id__in=user_ids)
    }
    to_create: list[InferredSkill] = []
    to_update: list[InferredSkill] = []
    to_delete: list[int] = []
    for user_id in user_ids:
        for skill_id, found in evidence.get(user_id, {}).items():
            score, count = round(found.score, 4), found.count
            row = existing.pop((user_id, skill_id), None)
            if row is None:
                if found.passes:
                    to_create.append(
                        InferredSkill(
                            user_id=user_id, skill_id=skill_id, score=score, evidence_count=count
                        )
                    )
            elif row.status == InferredSkill.Status.SUGGESTED and not found.passes:
                to_delete.append(row.pk)
            elif (row.score, row.evidence_count) != (score, count):
                row.score, row.evidence_count = score, count
                to_update.append(row)
    # Rows with no evidence left: a suggestion goes, a person's own decision stays at zero.
    for row in existing.values():
        if row.status == InferredSkill.Status.SUGGESTED:
            to_delete.append(row.pk)
        elif (row.score, row.evidence_count) != (0.0, 0):
            row.score, row.evidence_count = 0.0, 0
            to_update.append(row)
    with transaction.atomic():
        if to_create:
            InferredSkill.objects.bulk_create(to_create, batch_size=1000)
        if to_update:
            # updated_at is auto_now: bulk_update does not set it, so say it.
            moment = timezone.now()
            for row in to_update:
                row.updated_at = moment
            InferredSkill.objects.bulk_update(
                to_update, ["score", "evidence_count", "updated_at"], batch_size=1000
            )
        if to_delete:
            InferredSkill.objects.filter(pk__in=to_delete).delete()
    stats.created += len(to_create)
    stats.updated += len(to_update)
    stats.deleted += len(to_delete)


def infer_skills(
    user: User | None = None, *, now: datetime | None = None, batch_size: int = BATCH_SIZE
) -> InferenceStats:
    """Recompute the inferred skills of every active person (or of `user`) from their writing.

    People go in batches of `batch_size`; each batch costs a fixed number of queries (its ids,
    four reads of evidence, the existing rows, and at most three writes in a transaction),
    whatever the number of people and texts.
    """
    now = now or timezone.now()
    stats = InferenceStats()
    matcher = AliasMatcher()
    people = User.objects.filter(is_active=True).order_by("pk")
    if user is not None:
        people = people.filter(pk=user.pk)
    last = 0
    while True:
        user_ids = list(people.filter(pk__gt=last).values_list("pk", flat=True)[:batch_size])
        if not user_ids:
            break
        evidence = collect_evidence(user_ids, matcher=matcher, now=now)
        _apply(user_ids, evidence, stats)
        stats.people += len(user_ids)
        stats.batches += 1
        last = user_ids[-1]
        if len(user_ids) < batch_size:
            break
    return stats
