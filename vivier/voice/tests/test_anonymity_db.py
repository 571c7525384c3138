"""Property test on the real database: random org trees and answers, then every filter HR may
ask for through the results selector (the one pages, API and CSV use). What it returns never
lets anyone isolate fewer than k respondents, by itself or combined with the other answers."""

from collections import Counter
from itertools import count

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vivier.core.errors import ApplicationError
from vivier.people.models import OrgUnit
from vivier.people.services import org_unit_save
from vivier.voice import selectors, services
from vivier.voice.models import Answer, Participation, Submission, Wave

SERIAL = count()


@st.composite
def company_shape(draw):
    size = draw(st.integers(min_value=1, max_value=7))
    parents = [draw(st.sampled_from([None, *range(index)])) for index in range(size)]
    people = [draw(st.integers(min_value=0, max_value=8)) for _ in range(size)]
    values = draw(st.lists(st.integers(min_value=1, max_value=5), min_size=60, max_size=60))
    k = draw(st.integers(min_value=3, max_value=6))
    return parents, people, values, k


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(shape=company_shape())
def test_every_filter_hr_may_use_is_safe(hr_admin, shape):
    parents, people, values, k = shape
    with transaction.atomic():
        run = next(SERIAL)
        units: list[OrgUnit] = []
        for index, parent in enumerate(parents):
            unit = OrgUnit(
                code=f"U{run}-{index}",
                name=f"Unit {index}",
                parent=units[parent] if parent is not None else None,
            )
            units.append(org_unit_save(actor=None, unit=unit))
        survey = services.survey_create(actor=hr_admin, title="Pulse", min_group_size=k)
        question = services.question_add(actor=hr_admin, survey=survey, kind="likert", text_fr="Q")
        survey = services.survey_launch(actor=hr_admin, survey=survey)
        wave = Wave.objects.get(survey=survey)
        # Respondents are written as the service writes them, without creating people.
        respondent_units = [unit for unit, n in zip(units, people, strict=True) for _ in range(n)]
        for unit, value in zip(respondent_units, values, strict=False):
            Submission.objects.create(wave=wave, org_unit=unit, submitted_on=wave.opens_on)
            Answer.objects.create(
                wave=wave, question=question, org_unit=unit, answered_on=wave.opens_on, value=value
            )
        services.wave_close(actor=None, wave=wave)

        shown: dict[int | None, int] = {}
        for unit in [None, *units]:
            try:
                results = selectors.wave_results(
                    viewer=hr_admin, survey=survey, unit_id=unit.pk if unit else None
                )
            except ApplicationError as exc:
                assert exc.code == "not_enough_answers"
                assert exc.status == 403
                continue
            assert results.group.respondents >= k
            assert sum(results.group.questions[0].counts) == results.group.respondents
            shown[unit.pk if unit else None] = results.group.respondents
            for child in results.children:
                assert child.respondents >= k

        # Classes of respondents no combination of the shown groups can tell apart: >= k each.
        def ancestors(unit: OrgUnit) -> set[int]:
            return {int(part) for part in unit.path.strip("/").split("/")}

        signatures = Counter(
            tuple(sorted(str(g) for g in shown if g is None or g in ancestors(unit)))
            for unit in respondent_units[: len(values)]
        )
        if shown:
            assert all(size >= k for size in signatures.values()), signatures
        assert not Participation.objects.exists()
        transaction.set_rollback(True)
