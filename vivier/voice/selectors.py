"""Employee voice reads: surveys for a viewer, and results under the anonymity rules.

Every page, API endpoint and export reads results through `wave_results` and `survey_trends`,
which ask `allowed_groups` (one computation per wave) which groups may be shown at all, then
keep those the viewer may see.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.errors import ApplicationError, NotFound, PermissionDenied
from vivier.core.ids import parse_id
from vivier.people.models import OrgUnit
from vivier.voice.anonymity import ROOT, allowed_groups, group_members, shown_children
from vivier.voice.models import (
    TEXT_MIN_GROUP_SIZE,
    Answer,
    Commitment,
    Idea,
    IdeaComment,
    IdeaVote,
    Participation,
    Question,
    Submission,
    Survey,
    Wave,
)
from vivier.voice.permissions import can_manage_surveys, managed_units
from vivier.voice.services import SURVEY_NOT_FOUND, audience_users

RESULTS_DENIED = _("Only HR administrators and managers read survey results.")
NOT_ENOUGH_ANSWERS = _(
    "Not enough answers to show this group: results are shown only for groups of at least "
    "%(k)s respondents whose neighbouring groups are large enough too."
)
GROUP_NOT_YOURS = _("You may read the results of your own units only.")
WAVE_NOT_FOUND = _("This wave does not exist.")
WAVE_STILL_OPEN = _("Results are published when the wave closes.")
UNIT_NOT_FOUND = _("This org unit does not exist.")

IDEA_SORTS = {"recent": ["-created_at", "-id"], "votes": ["-vote_count", "-id"]}


# Surveys


def surveys_for(*, viewer: User) -> list[Survey]:
    """HR: every survey. Others: launched surveys addressed to them, or whose results they read.

    Each carries `open_wave` and `answered` (whether the viewer answered it).
    """
    surveys = Survey.objects.prefetch_related(
        "audience_units",
        Prefetch("waves", queryset=Wave.objects.order_by("number"), to_attr="wave_list"),
    ).annotate(question_count=Count("questions", distinct=True))
    if not can_manage_surveys(actor=viewer):
        surveys = surveys.exclude(status=Survey.Status.DRAFT)
    surveys = list(surveys)
    answered = set(
        Participation.objects.filter(user=viewer, wave__status=Wave.Status.OPEN).values_list(
            "wave_id", flat=True
        )
    )
    unit = getattr(getattr(viewer, "profile", None), "org_unit", None)
    visible = []
    manages = bool(managed_units(user=viewer))
    for survey in surveys:
        survey.open_wave = next((w for w in survey.wave_list if w.status == "open"), None)
        survey.answered = survey.open_wave is not None and survey.open_wave.pk in answered
        units = list(survey.audience_units.all())
        survey.addressed = survey.status == Survey.Status.OPEN and (
            not units or (unit is not None and any(unit.path.startswith(u.path) for u in units))
        )
        if can_manage_surveys(actor=viewer) or survey.addressed or manages:
            visible.append(survey)
    return visible


def survey_get(*, viewer: User, survey_id: Any) -> Survey:
    """A survey the viewer may know of, with its questions, or NotFound (drafts are HR's)."""
    pk = parse_id(survey_id)
    survey = (
        Survey.objects.prefetch_related("audience_units", "questions").filter(pk=pk).first()
        if pk
        else None
    )
    if survey is None or (
        survey.status == Survey.Status.DRAFT and not can_manage_surveys(actor=viewer)
    ):
        raise NotFound("survey_not_found", SURVEY_NOT_FOUND)
    return survey


def survey_waves(*, survey: Survey) -> list[Wave]:
    """The survey's waves, oldest first, with their respondent counts."""
    return list(survey.waves.annotate(respondents=Count("submissions")).order_by("number"))


def has_answered(*, user: User, wave: Wave | None) -> bool:
    """Whether `user` took part in `wave`."""
    return wave is not None and Participation.objects.filter(wave=wave, user=user).exists()


def reminder_targets(*, wave: Wave) -> QuerySet[User]:
    """The audience of `wave` who have not answered it."""
    answered = Participation.objects.filter(wave=wave, user=OuterRef("pk"))
    return audience_users(survey=wave.survey).exclude(Exists(answered))


# Results


@dataclass
class QuestionStats:
    """One question's aggregated answers in one group."""

    question: Question
    respondents: int = 0
    counts: list[int] = field(default_factory=list)  # per value or per choice
    labels: list[str] = field(default_factory=list)
    mean: float | None = None
    favourable: float | None = None  # Likert: share of 4 and 5, in %
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    enps: float | None = None
    texts: list[str] | None = None  # None: not shown (group too small for free text)


@dataclass
class GroupResult:
    """A shown group: its respondents and each question's statistics."""

    key: int  # ROOT or an org unit id
    unit: OrgUnit | None
    respondents: int
    questions: list[QuestionStats]
    texts_shown: bool


@dataclass
class WaveResults:
    """What the viewer may read of one closed wave for one group, and the groups under it."""

    survey: Survey
    wave: Wave
    group: GroupResult
    children: list[GroupResult]
    hidden_children: bool  # some sub-units exist but are not shown
    selectable: list[tuple[int, OrgUnit | None]]  # every group the viewer may pick
    k: int


@dataclass
class _WaveData:
    """Counts of one wave by org unit, and the groups allowed for numbers and for free text."""

    parents: dict[int, int | None]
    units: dict[int, OrgUnit]
    direct: dict[int | None, int]
    shown: set[int]
    shown_text: set[int]


def _org_tree() -> tuple[dict[int, int | None], dict[int, OrgUnit]]:
    units = {u.pk: u for u in OrgUnit.objects.only("id", "name", "code", "parent_id", "path")}
    return {pk: u.parent_id for pk, u in units.items()}, units


def _frozen_tree(wave: Wave) -> tuple[dict[int, int | None], dict[int, OrgUnit]]:
    """The org chart kept by a closed wave, as unsaved units (name and path for display)."""
    parents = {int(pk): parent for pk, (parent, _name) in wave.org_tree.items()}
    names = {int(pk): name for pk, (_parent, name) in wave.org_tree.items()}
    units = {}
    for pk, parent in parents.items():
        chain, seen, current = [pk], {pk}, parent
        while current is not None and current in parents and current not in seen:
            chain.append(current)
            seen.add(current)
            current = parents[current]
        path = "/" + "/".join(str(u) for u in reversed(chain)) + "/"
        units[pk] = OrgUnit(id=pk, name=names[pk], parent_id=parent, path=path)
    return parents, units


def wave_groups(*, wave: Wave, tree: Any = None) -> _WaveData:
    """The wave's respondents per unit and the groups that may be shown (numbers, texts).

    A closed wave is grouped by the org chart it kept when it closed."""
    if wave.org_tree:
        parents, units = _frozen_tree(wave)
    else:
        parents, units = tree or _org_tree()
    direct: dict[int | None, int] = {}
    for unit_id, n in (
        Submission.objects.filter(wave=wave).values_list("org_unit_id").annotate(n=Count("id"))
    ):
        key = unit_id if unit_id in parents else None
        direct[key] = direct.get(key, 0) + n
    k = wave.survey.min_group_size
    return _WaveData(
        parents=parents,
        units=units,
        direct=direct,
        shown=allowed_groups(parents, direct, k),
        shown_text=allowed_groups(parents, direct, max(k, TEXT_MIN_GROUP_SIZE)),
    )


def viewer_groups(*, viewer: User, data: _WaveData) -> set[int]:
    """The shown groups the viewer may read: all for HR, their subtrees for managers."""
    if can_manage_surveys(actor=viewer):
        return set(data.shown)
    mine: set[int] = set()
    for unit in managed_units(user=viewer):
        members = group_members(data.parents, unit.pk) or set()
        mine |= {g for g in data.shown if g in members}
    return mine


def _viewer_scope(*, viewer: User, data: _WaveData) -> set[int] | None:
    """Every group the viewer would be allowed to read with enough answers (None: all)."""
    if can_manage_surveys(actor=viewer):
        return None
    scope: set[int] = set()
    for unit in managed_units(user=viewer):
        scope |= {u for u in group_members(data.parents, unit.pk) or set() if u is not None}
    return scope


def _stats(
    questions: list[Question],
    rows: dict[int, Counter],
    multi: dict[int, Counter],
    respondents: int,
) -> list[QuestionStats]:
    result = []
    for question in questions:
        stats = QuestionStats(question=question, respondents=respondents)
        counter = rows.get(question.pk, Counter())
        if question.kind == Question.Kind.LIKERT:
            stats.labels = ["1", "2", "3", "4", "5"]
            stats.counts = [counter.get(v, 0) for v in range(1, 6)]
        elif question.kind == Question.Kind.ENPS:
            stats.labels = [str(v) for v in range(11)]
            stats.counts = [counter.get(v, 0) for v in range(11)]
        elif question.kind == Question.Kind.SINGLE:
            stats.labels = question.choice_labels()
            stats.counts = [counter.get(v, 0) for v in range(len(stats.labels))]
        elif question.kind == Question.Kind.MULTIPLE:
            stats.labels = question.choice_labels()
            picked = multi.get(question.pk, Counter())
            stats.counts = [picked.get(v, 0) for v in range(len(stats.labels))]
        total = sum(counter.values())
        if question.kind == Question.Kind.LIKERT and total:
            stats.mean = round(sum(v * n for v, n in counter.items()) / total, 2)
            stats.favourable = round(100 * (counter[4] + counter[5]) / total, 1)
        if question.kind == Question.Kind.ENPS and total:
            stats.promoters = counter[9] + counter[10]
            stats.detractors = sum(counter[v] for v in range(7))
            stats.passives = total - stats.promoters - stats.detractors
            stats.enps = round(100 * (stats.promoters - stats.detractors) / total)
        result.append(stats)
    return result


def _group_result(
    data: _WaveData,
    key: int,
    questions: list[Question],
    by_unit: dict[int | None, dict[int, Counter]],
    multi_by_unit: dict[int | None, dict[int, Counter]],
) -> GroupResult:
    members = group_members(data.parents, key)
    rows: dict[int, Counter] = defaultdict(Counter)
    multi: dict[int, Counter] = defaultdict(Counter)
    respondents = 0
    for unit_id, n in data.direct.items():
        if members is None or unit_id in members:
            respondents += n
            for qid, counter in by_unit.get(unit_id, {}).items():
                rows[qid].update(counter)
            for qid, counter in multi_by_unit.get(unit_id, {}).items():
                multi[qid].update(counter)
    return GroupResult(
        key=key,
        unit=data.units.get(key),
        respondents=respondents,
        questions=_stats(questions, rows, multi, respondents),
        texts_shown=key in data.shown_text,
    )


def _wave_for(*, survey: Survey, wave_id: Any) -> Wave:
    waves = survey.waves.order_by("-number")
    if wave_id in (None, ""):
        wave = waves.filter(status=Wave.Status.CLOSED).first() or waves.first()
    else:
        pk = parse_id(wave_id)
        wave = waves.filter(pk=pk).first() if pk else None
    if wave is None:
        raise NotFound("wave_not_found", WAVE_NOT_FOUND)
    return wave


def _check_group(*, viewer: User, data: _WaveData, unit_id: Any, k: int) -> int:
    """The group key asked for, if the viewer may read it and it may be shown; else 4xx."""
    readable = viewer_groups(viewer=viewer, data=data)
    if unit_id in (None, ""):
        if can_manage_surveys(actor=viewer):
            key = ROOT
        else:
            tops = [u.pk for u in managed_units(user=viewer)]
            key = next((t for t in tops if t in readable), tops[0] if tops else ROOT)
    else:
        key = parse_id(unit_id)
        if key is None or key not in data.units:
            raise NotFound("org_unit_not_found", UNIT_NOT_FOUND)
    scope = _viewer_scope(viewer=viewer, data=data)
    if scope is not None and key not in scope:
        raise PermissionDenied("group_not_yours", GROUP_NOT_YOURS)
    if key not in readable:
        raise PermissionDenied("not_enough_answers", NOT_ENOUGH_ANSWERS % {"k": k})
    return key


def wave_results(
    *, viewer: User, survey: Survey, wave_id: Any = None, unit_id: Any = None, texts: bool = True
) -> WaveResults:
    """The results of a closed wave for one group (the whole audience by default) and the
    shown groups right under it; refused (403 `not_enough_answers`) for any group that may not
    be shown, so that no filter reveals a group smaller than k."""
    if not (can_manage_surveys(actor=viewer) or managed_units(user=viewer)):
        raise PermissionDenied("results_denied", RESULTS_DENIED)
    if survey.status == Survey.Status.DRAFT:
        raise NotFound("survey_not_found", SURVEY_NOT_FOUND)
    wave = _wave_for(survey=survey, wave_id=wave_id)
    if wave.status != Wave.Status.CLOSED:
        # Live results would let anyone watching them subtract the last respondent's answers.
        raise ApplicationError("wave_open", WAVE_STILL_OPEN, status=409)
    data = wave_groups(wave=wave)
    k = survey.min_group_size
    key = _check_group(viewer=viewer, data=data, unit_id=unit_id, k=k)
    readable = viewer_groups(viewer=viewer, data=data)
    questions = list(survey.questions.all())
    numeric = [q for q in questions if q.kind not in (Question.Kind.TEXT, Question.Kind.MULTIPLE)]
    by_unit: dict[int | None, dict[int, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for qid, unit_id_, value, n in (
        Answer.objects.filter(wave=wave, question__in=numeric)
        .values_list("question_id", "org_unit_id", "value")
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_unit[unit_id_ if unit_id_ in data.parents else None][qid][value] += n
    multi_by_unit: dict[int | None, dict[int, Counter]] = defaultdict(lambda: defaultdict(Counter))
    multiple = [q for q in questions if q.kind == Question.Kind.MULTIPLE]
    if multiple:
        for qid, unit_id_, picked in Answer.objects.filter(
            wave=wave, question__in=multiple
        ).values_list("question_id", "org_unit_id", "choices"):
            multi_by_unit[unit_id_ if unit_id_ in data.parents else None][qid].update(picked)
    group = _group_result(data, key, questions, by_unit, multi_by_unit)
    if texts and group.texts_shown:
        members = group_members(data.parents, key)
        text_answers = Answer.objects.filter(wave=wave, question__kind=Question.Kind.TEXT)
        if members is not None:
            text_answers = text_answers.filter(org_unit_id__in=[m for m in members if m])
        found: dict[int, list[str]] = defaultdict(list)
        # Random UUID keys: this order says nothing about who wrote what or when.
        for qid, text in text_answers.order_by("id").values_list("question_id", "text"):
            found[qid].append(text)
        for stats in group.questions:
            if stats.question.is_text:
                stats.texts = found.get(stats.question.pk, [])
    children_keys = [c for c in shown_children(data.parents, data.shown, key) if c in readable]
    children = [
        _group_result(data, child, questions, by_unit, multi_by_unit) for child in children_keys
    ]
    children.sort(key=lambda g: g.unit.name if g.unit else "")
    top = None if key == ROOT else key
    sub_units = [u for u, parent in data.parents.items() if parent == top]
    ordered = sorted(readable, key=lambda g: data.units[g].path if g in data.units else "")
    selectable = [(g, data.units.get(g)) for g in ordered]
    return WaveResults(
        survey=survey,
        wave=wave,
        group=group,
        children=children,
        hidden_children=len(children_keys) < len(sub_units),
        selectable=selectable,
        k=k,
    )


@dataclass
class TrendPoint:
    """One closed wave's headline figures for a group; None where the group is not shown."""

    wave: Wave
    respondents: int | None
    means: dict[int, float | None]  # Likert question id -> mean
    enps: dict[int, float | None]  # eNPS question id -> score


def survey_trends(*, viewer: User, survey: Survey, unit_id: Any = None) -> list[TrendPoint]:
    """Each closed wave's Likert means and eNPS for one group, only where it may be shown."""
    if not (can_manage_surveys(actor=viewer) or managed_units(user=viewer)):
        raise PermissionDenied("results_denied", RESULTS_DENIED)
    questions = [
        q for q in survey.questions.all() if q.kind in (Question.Kind.LIKERT, Question.Kind.ENPS)
    ]
    points = []
    checked = False
    for wave in survey.waves.filter(status=Wave.Status.CLOSED).order_by("number"):
        data = wave_groups(wave=wave)
        try:
            key = _check_group(viewer=viewer, data=data, unit_id=unit_id, k=survey.min_group_size)
        except PermissionDenied as exc:
            if exc.code != "not_enough_answers":
                raise
            points.append(TrendPoint(wave=wave, respondents=None, means={}, enps={}))
            continue
        checked = True
        members = group_members(data.parents, key)
        answers = Answer.objects.filter(wave=wave, question__in=questions)
        if members is not None:
            answers = answers.filter(org_unit_id__in=[m for m in members if m])
        counters: dict[int, Counter] = defaultdict(Counter)
        for qid, value, n in (
            answers.values_list("question_id", "value").annotate(n=Count("id")).order_by()
        ):
            counters[qid][value] += n
        stats = _stats(questions, counters, {}, 0)
        respondents = sum(n for u, n in data.direct.items() if members is None or u in members)
        points.append(
            TrendPoint(
                wave=wave,
                respondents=respondents,
                means={s.question.pk: s.mean for s in stats if s.question.kind == "likert"},
                enps={s.question.pk: s.enps for s in stats if s.question.kind == "enps"},
            )
        )
    if points and not checked:
        # Not one wave may show this group: refuse rather than return an empty trend.
        raise PermissionDenied(
            "not_enough_answers", NOT_ENOUGH_ANSWERS % {"k": survey.min_group_size}
        )
    return points


def theme_scores() -> dict[str, float]:
    """The favourable share (%) per theme over the latest closed wave of each survey, counting
    only waves whose whole audience may be shown (at least k respondents); three queries."""
    latest: dict[int, Wave] = {}
    for wave in (
        Wave.objects.filter(status=Wave.Status.CLOSED)
        .exclude(survey__status=Survey.Status.DRAFT)
        .select_related("survey")
        .order_by("survey_id", "-number")
    ):
        latest.setdefault(wave.survey_id, wave)
    sizes = dict(
        Submission.objects.filter(wave__in=list(latest.values()))
        .values_list("wave_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    # The whole audience is shown exactly when it reaches k (allowed_groups' first rule).
    eligible = [w.pk for w in latest.values() if sizes.get(w.pk, 0) >= w.survey.min_group_size]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for theme, value, n in (
        Answer.objects.filter(wave_id__in=eligible, question__kind=Question.Kind.LIKERT)
        .exclude(question__theme="")
        .values_list("question__theme", "value")
        .annotate(n=Count("id"))
        .order_by()
    ):
        totals[theme][1] += n
        if value >= 4:
            totals[theme][0] += n
    return {theme: round(100 * fav / n, 1) for theme, (fav, n) in totals.items() if n}


# Ideas and commitments


def ideas_list(*, status: str = "", tag: str = "", sort: str = "recent") -> QuerySet[Idea]:
    """Ideas (everyone reads them all), filtered by status and tag, recent or most voted first."""
    ideas = Idea.objects.select_related("author", "owner")
    if status:
        ideas = ideas.filter(status=status)
    if tag:
        ideas = ideas.filter(tags_text__contains=f",{tag.strip().lstrip('#').lower()},")
    return ideas.order_by(*IDEA_SORTS.get(sort, IDEA_SORTS["recent"]))


def idea_voters(*, viewer: User, ideas: list[Idea]) -> set[int]:
    """The ids of the ideas among `ideas` that the viewer voted for."""
    return set(
        IdeaVote.objects.filter(user=viewer, idea_id__in=[i.pk for i in ideas]).values_list(
            "idea_id", flat=True
        )
    )


def idea_comments(*, idea: Idea) -> QuerySet[IdeaComment]:
    """An idea's comments, oldest first, with their authors."""
    return idea.comments.select_related("author").order_by("created_at", "id")


def commitments_list(*, status: str = "") -> QuerySet[Commitment]:
    """The company's commitments, newest first, with their owners."""
    commitments = Commitment.objects.select_related("owner")
    if status:
        commitments = commitments.filter(status=status)
    return commitments.order_by("-created_at", "-id")
