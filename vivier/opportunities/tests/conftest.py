"""Fixtures of the opportunities tests: a small company with skills, units and an offer."""

from datetime import date

import pytest

from vivier.opportunities.models import Opportunity
from vivier.opportunities.services import SkillNeed, opportunity_save, opportunity_transition


@pytest.fixture
def sql_skill(make_skill):
    return make_skill("sql", "SQL")


@pytest.fixture
def make_opportunity(python_skill, sql_skill):
    """An opportunity owned by `owner`, published unless told otherwise."""

    def make(owner, *, publish=True, skills=None, **fields):
        values = {
            "kind": Opportunity.Kind.PROJECT,
            "title": "Refonte du portail RH",
            "description": "Une refonte en **Django**.",
            "time_share_percent": 20,
            "start_date": date(2027, 1, 4),
            "end_date": date(2027, 6, 30),
        } | fields
        if skills is None:
            skills = [SkillNeed("python", 3, True), SkillNeed("sql", 2, False)]
        opportunity = opportunity_save(actor=owner, skills=skills, **values)
        if publish:
            opportunity = opportunity_transition(
                actor=owner, opportunity=opportunity, action="publish"
            )
        return opportunity

    return make
