"""The daily stage computation: one INSERT … SELECT over the activity events, per day.

Every person's counts come from one aggregation of the events of the last `active_days +
baseline_days` days grouped by actor; the stage is a CASE over those counts. No Python loop
runs per person, so the cost is that of one scan of the window's events plus one pass over the
people, on SQLite and PostgreSQL alike.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from vivier.journey.models import ActivityKind, JourneySettings, JourneySnapshot, VerbRule

# Kind codes used inside the SQL (small integers compare and sum cheaply).
KIND_CODES = {
    ActivityKind.IGNORE: 0,
    ActivityKind.VIEW: 1,
    ActivityKind.LIGHT: 2,
    ActivityKind.AUTHORING: 3,
    ActivityKind.PROMOTION: 4,
    ActivityKind.SIGNIN: 5,
}

# The default classification of the verbs Vivier's services record (see docs/journey.md).
DEFAULT_RULES: list[tuple[str, str, str]] = [
    ("signin", "", "signin"),
    ("view", "", "view"),
    ("like", "", "light"),
    ("vote", "", "light"),
    ("follow", "", "light"),
    ("join", "", "light"),
    ("request", "", "light"),
    ("participate", "", "light"),
    ("apply", "", "light"),
    ("register", "", "light"),
    ("endorse", "", "light"),
    ("confirm", "", "light"),
    ("accept", "expertise.answer", "light"),
    ("thank", "", "light"),
    ("update", "people.profile", "light"),
    ("add", "people.profileskill", "light"),
    ("create", "", "authoring"),
    ("create", "accounts.apitoken", "ignore"),
    ("create", "social.community", "authoring"),
    ("invite", "", "promotion"),
]


def kind_case_sql(rules: list[tuple[str, str, str]]) -> tuple[str, dict[str, Any]]:
    """A CASE expression giving each event's kind code, rules on one object type first."""
    ordered = sorted(rules, key=lambda rule: (rule[1] == "", rule[0], rule[1]))
    parts: list[str] = []
    params: dict[str, Any] = {}
    for index, (verb, otype, kind) in enumerate(ordered):
        params[f"rv{index}"] = verb
        condition = f"verb = %(rv{index})s"
        if otype:
            params[f"ro{index}"] = otype
            condition += f" AND object_type = %(ro{index})s"
        parts.append(f"WHEN {condition} THEN {KIND_CODES[ActivityKind(kind)]}")
    if not parts:
        return "0", params
    return "CASE " + " ".join(parts) + " ELSE 0 END", params


@dataclass(frozen=True)
class Bounds:
    """The instants that bound one day's computation, in the current time zone."""

    day: date
    window_start: datetime
    baseline_start: datetime
    end: datetime


def day_bounds(day: date, cfg: JourneySettings) -> Bounds:
    """The window (the `active_days` days ending with `day`) and the baseline before it."""
    tz = timezone.get_current_timezone()
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)
    window_start = timezone.make_aware(
        datetime.combine(day - timedelta(days=cfg.active_days - 1), time.min), tz
    )
    baseline_start = timezone.make_aware(
        datetime.combine(day - timedelta(days=cfg.active_days + cfg.baseline_days - 1), time.min),
        tz,
    )
    return Bounds(day=day, window_start=window_start, baseline_start=baseline_start, end=end)


SNAPSHOT_SQL = """
INSERT INTO journey_journeysnapshot
    (user_id, date, stage, views, light, authored, promoted, others, recent, baseline)
WITH agg AS (
    SELECT uid,
        SUM(CASE WHEN at >= %(window_start)s AND kind = 1 THEN 1 ELSE 0 END) AS views,
        SUM(CASE WHEN at >= %(window_start)s AND kind = 2 THEN 1 ELSE 0 END) AS light,
        SUM(CASE WHEN at >= %(window_start)s AND kind = 3 THEN 1 ELSE 0 END) AS authored,
        SUM(CASE WHEN at >= %(window_start)s AND kind = 4 THEN 1 ELSE 0 END) AS promoted,
        SUM(CASE WHEN at >= %(window_start)s AND kind > 0 THEN 1 ELSE 0 END) AS recent,
        SUM(CASE WHEN at < %(window_start)s AND kind > 0 THEN 1 ELSE 0 END) AS baseline,
        MAX(CASE WHEN kind IN (2, 3, 4) THEN 1 ELSE 0 END) AS engaged
    FROM (
        SELECT actor_id AS uid, occurred_at AS at, {kind} AS kind
        FROM core_activityevent
        WHERE occurred_at >= %(baseline_start)s AND occurred_at < %(end)s
    ) ev
    GROUP BY uid
),
-- A second, narrower scan rather than a shared CTE: PostgreSQL materialises a CTE used twice
-- (to temporary files once it outgrows work_mem), which cost more than reading the window again.
eng AS (
    SELECT target_user_id AS uid, COUNT(DISTINCT actor_id) AS others
    FROM core_activityevent
    WHERE occurred_at >= %(window_start)s AND occurred_at < %(end)s
        AND target_user_id IS NOT NULL AND target_user_id <> actor_id
        AND {kind} IN (2, 3)
    GROUP BY target_user_id
),
prev AS (
    SELECT user_id, stage FROM journey_journeysnapshot WHERE date = %(prev)s
),
anim AS (
    SELECT DISTINCT user_id FROM social_membership
    WHERE role IN ('owner', 'animator') AND status = 'active'
),
amb AS (
    SELECT user_id FROM journey_ambassador
    WHERE status = 'accepted' AND answered_at < %(end)s
),
people AS (
    SELECT u.id AS uid,
        CASE WHEN a.uid IS NOT NULL
              OR (u.last_login IS NOT NULL AND u.last_login < %(end)s)
              OR (p.stage IS NOT NULL AND p.stage <> 'information')
             THEN 1 ELSE 0 END AS signed,
        CASE WHEN COALESCE(a.recent, 0) > 0
              OR (u.last_login IS NOT NULL AND u.last_login >= %(window_start)s
                  AND u.last_login < %(end)s)
             THEN 1 ELSE 0 END AS visited,
        CASE WHEN COALESCE(a.engaged, 0) = 1
              OR p.stage IN ('participation', 'contribution', 'promotion', 'disappointment')
             THEN 1 ELSE 0 END AS was_engaged,
        COALESCE(a.views, 0) AS views,
        COALESCE(a.light, 0) AS light,
        COALESCE(a.authored, 0) AS authored,
        COALESCE(a.promoted, 0) AS promoted,
        COALESCE(e.others, 0) AS others,
        COALESCE(a.recent, 0) AS recent,
        COALESCE(a.baseline, 0) AS baseline,
        CASE WHEN an.user_id IS NOT NULL OR am.user_id IS NOT NULL THEN 1 ELSE 0 END AS role
    FROM accounts_user u
    LEFT JOIN agg a ON a.uid = u.id
    LEFT JOIN eng e ON e.uid = u.id
    LEFT JOIN prev p ON p.user_id = u.id
    LEFT JOIN anim an ON an.user_id = u.id
    LEFT JOIN amb am ON am.user_id = u.id
    WHERE u.is_active = %(true)s AND u.date_joined < %(end)s
)
SELECT uid, %(day)s,
    CASE
        WHEN signed = 0 THEN 'information'
        WHEN authored > 0 AND (promoted > 0 OR role = 1 OR others >= %(others_min)s)
            THEN 'promotion'
        WHEN authored > 0 THEN 'contribution'
        WHEN was_engaged = 1 AND (
            visited = 0
            OR (baseline > 0 AND recent * 100 * %(baseline_days)s
                < %(baseline_percent)s * baseline * %(active_days)s)
        ) THEN 'disappointment'
        WHEN light > 0 OR promoted > 0 THEN 'participation'
        ELSE 'discovery'
    END,
    views, light, authored, promoted, others, recent, baseline
FROM people
"""


def _previous_date(day: date) -> date | None:
    return (
        JourneySnapshot.objects.filter(date__lt=day)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )


def snapshot_day(day: date, *, cfg: JourneySettings | None = None) -> int:
    """Replace the snapshots of `day` by freshly computed ones; return how many were written."""
    cfg = cfg or JourneySettings.current()
    rules = list(VerbRule.objects.values_list("verb", "object_type", "kind"))
    kind_sql, params = kind_case_sql(rules)
    bounds = day_bounds(day, cfg)
    ops = connection.ops
    prev = _previous_date(day)
    params.update(
        baseline_start=ops.adapt_datetimefield_value(bounds.baseline_start),
        window_start=ops.adapt_datetimefield_value(bounds.window_start),
        end=ops.adapt_datetimefield_value(bounds.end),
        # No earlier snapshot: a date no snapshot has, so `prev` is empty.
        prev=ops.adapt_datefield_value(prev or date(1, 1, 1)),
        day=ops.adapt_datefield_value(day),
        others_min=cfg.promotion_others,
        baseline_days=cfg.baseline_days,
        baseline_percent=cfg.baseline_percent,
        active_days=cfg.active_days,
        true=True,
    )
    with transaction.atomic(), connection.cursor() as cursor:
        JourneySnapshot.objects.filter(date=day).delete()
        cursor.execute(SNAPSHOT_SQL.format(kind=kind_sql), params)
        return cursor.rowcount


def entrants(day: date) -> list[tuple[int, str]]:
    """(user id, stage) of people whose stage on `day` differs from the previous snapshot day.

    People with no earlier snapshot enter their first stage only when an earlier snapshot day
    exists (they are new); on the very first day nobody "enters" anything.
    """
    prev = _previous_date(day)
    if prev is None:
        return []
    sql = """
        SELECT s.user_id, s.stage
        FROM journey_journeysnapshot s
        LEFT JOIN journey_journeysnapshot p ON p.user_id = s.user_id AND p.date = %s
        WHERE s.date = %s AND (p.stage IS NULL OR p.stage <> s.stage)
        ORDER BY s.user_id
    """
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(sql, [ops.adapt_datefield_value(prev), ops.adapt_datefield_value(day)])
        return [(row[0], row[1]) for row in cursor.fetchall()]
