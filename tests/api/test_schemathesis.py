"""Schemathesis over the whole API (/api/v1/): every operation, valid and invalid data, all checks.

Each operation runs the coverage phase (boundary and invalid values, unexpected methods) and the
fuzzing phase, both with positive and negative data; a stateful test then chains operations
through the links schemathesis infers (declare a skill, endorse it, withdraw, remove...). Every
default check runs; only `positive_data_acceptance` is narrowed, for the documented rules below.
The operations of the apps whose figures and tools are for administrators run again as an HR and
IT administrator, who gets past their 403.

Without xdist: every generated test of an operation has the same node id, and xdist would run
one of them (`make test` runs this file on its own).
Deeper local run: VIVIER_ST_MAX_EXAMPLES=300 .venv/bin/pytest -p no:xdist tests/api/test_schemathesis.py
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, assume, settings

from vivier.accounts.models import Role, User
from vivier.accounts.services import api_token_create, user_set_roles
from vivier.core.text import normalize
from vivier.expertise.services import answer_create, question_ask
from vivier.people.models import Location, OrgUnit, Skill, SkillAlias
from vivier.people.services import (
    endorsement_create,
    org_unit_save,
    person_create,
    profile_update,
    skill_declare,
)
from vivier.social.models import Community
from vivier.social.services import (
    comment_create,
    community_create,
    follow,
    membership_add,
    post_create,
    reaction_set,
    tag_get_or_create,
)
from vivier.voice import services as voice

MAX_EXAMPLES = int(os.environ.get("VIVIER_ST_MAX_EXAMPLES", "40"))
# The social operations are many and their bodies large: fewer fuzzed examples each keep the run
# within its budget. Their coverage phase (every boundary and invalid value) runs in full anyway.
SOCIAL_MAX_EXAMPLES = int(os.environ.get("VIVIER_ST_SOCIAL_MAX_EXAMPLES", MAX_EXAMPLES // 2))

# Operations whose schema-valid data can meet a documented 400 rule the schema cannot say,
# because it depends on who calls or on what is stored:
RULES_BEYOND_THE_SCHEMA = [
    # Endorsing oneself: 400 `self_endorsement` (the schema cannot say "not the caller").
    "POST /api/v1/people/{person_id}/skills/{skill_id}/endorsements",
    # Following oneself: 400 `follow_self`.
    "POST /api/v1/follows/{kind}/{key}",
    # The last owner of a community cannot leave it: 400 `last_owner`.
    "POST /api/v1/communities/{community_id}/leave",
    # A post's rules depend on its kind, chosen at creation and stored after: an article needs
    # a title (400 `title_required`), an update has at most 3,000 characters (`post_too_long`).
    "POST /api/v1/posts",
    "PATCH /api/v1/posts/{post_id}",
    # A query without any content word ("?!", stop words only) or no query at all: 400
    # `query_empty`; an org unit or location id that does not exist: 400 `org_unit_not_found` /
    # `location_not_found`.
    "GET /api/v1/experts",
    "GET /api/v1/questions/suggest-experts",
    # Survey answers are checked against the survey's questions: 400 `answer_out_of_range`,
    # `answer_missing`, `unknown_question`.
    "POST /api/v1/voice/surveys/{survey_id}/responses",
    # Voting for one's own idea: 400 `own_idea`.
    "PUT /api/v1/voice/ideas/{idea_id}/vote",
    "DELETE /api/v1/voice/ideas/{idea_id}/vote",
    # Mentoring: skills the taxonomy does not hold or the caller has not declared (400
    # `unknown_skill`, `skill_not_declared`), a goal twice (`duplicate_goal`); asking oneself,
    # one's manager, someone without an offer or without a request of one's own (`self_request`,
    # `manager_pair`, `not_a_mentor`, `no_request`, `not_eligible`); a session in the future
    # (`future_session`).
    "PUT /api/v1/mentoring/offer",
    "PUT /api/v1/mentoring/request",
    "POST /api/v1/mentoring/mentorships",
    "POST /api/v1/mentoring/mentorships/{mentorship_id}/sessions",
    # Opportunities: an unknown skill (400 `unknown_skill`), an end before the start
    # (`invalid_dates`), unknown location/team/role/unit ids (`<field>_not_found`); applying
    # twice, to one's own or a closed opportunity (409); a decision the state does not allow
    # (409 `invalid_transition`) or without the reason declining needs (400 `reason_empty`).
    "POST /api/v1/opportunities",
    "PUT /api/v1/opportunities/{opportunity_id}",
    "POST /api/v1/opportunities/{opportunity_id}/status",
    "POST /api/v1/opportunities/{opportunity_id}/applications",
    "POST /api/v1/opportunities/applications/{application_id}/decision",
    "PUT /api/v1/opportunities/preferences",
    # Expert programme: skill and committee ids must exist (400 `skills_invalid`,
    # `committee_invalid`); a review scores exactly the domain's criteria (`scores_invalid`);
    # time is logged for a past day (`day_invalid`); an event ends after it starts, in 2000-2100
    # (`dates_invalid`); one's mentor is someone else (`mentor_invalid`).
    "POST /api/v1/programme/domains",
    "POST /api/v1/programme/nominations/{nomination_id}/reviews",
    "POST /api/v1/programme/time",
    "POST /api/v1/programme/events",
    "POST /api/v1/programme/paths/{path_id}/enrolments",
    # Journey: thanking or inviting oneself (400 `self`); a transitions range whose start is after
    # its end (`bad_range`) or longer than 400 days (`range_too_long`).
    "POST /api/v1/journey/kudos",
    "POST /api/v1/journey/invitations",
    "GET /api/v1/journey/transitions",
]

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            "mode": "all",  # positive and negative data
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,  # hypothesis derandomize: the same cases on every CI run
            "database": "none",  # no replay of examples saved by earlier runs
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
        },
        "operations": [
            {"include-tag": "social", "generation": {"max-examples": SOCIAL_MAX_EXAMPLES}},
            {
                # Only these operations also accept 400 as an answer to schema-valid data; the
                # other statuses are the check's defaults.
                "include-name": RULES_BEYOND_THE_SCHEMA,
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": [
                            "2xx",
                            "3xx",
                            "400",
                            "401",
                            "403",
                            "404",
                            "409",
                            "429",
                            "5xx",
                        ]
                    }
                },
            },
        ],
    }
)

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)
# Their operations answer the caller 403 when they are for administrators (funnel, playbooks,
# erasure, legal holds, audit log): these run again as person 5, an HR and IT administrator.
# Selected with `exclude`: with `operations` in the config, schemathesis adds `include` filters
# to one that already includes every operation, so `include(tag=...)` would keep them all.
ADMIN_TAGS = {"journey", "privacy"}
admin_schema = schema.exclude(lambda ctx: not ADMIN_TAGS.intersection(ctx.operation.tags or ()))


def _skill(slug, label_fr, label_en=None, *, aliases=(), kind="technical"):
    skill = Skill.objects.create(
        slug=slug, label_fr=label_fr, label_en=label_en or label_fr, kind=kind
    )
    texts = dict.fromkeys([skill.label_fr, skill.label_en, *aliases])
    for text in texts:
        SkillAlias.objects.create(
            skill=skill,
            text=text,
            normalized=normalize(text),
            is_label=text in (skill.label_fr, skill.label_en),
        )
    return skill


def _people_data():
    """People 1-4 (1 is the caller), skills 1-3 declared by all, units 1-2, sites 1-2 and
    endorsements both ways."""
    me = person_create(email="me@example.test", first_name="Camille", last_name="Api")
    others = [
        person_create(email=f"person{n}@example.test", first_name=name, last_name=f"Martin{n}")
        for n, name in enumerate(("Bastien", "Chloé", "Driss"), start=2)
    ]
    skills = [
        _skill("python", "Python", aliases=["py"]),
        _skill("security", "Sécurité", "Security", kind="domain"),
        _skill("listening", "Écoute", "Listening", kind="soft"),
    ]
    unit = org_unit_save(actor=None, unit=OrgUnit(code="DSI", name="Direction des SI"))
    org_unit_save(actor=None, unit=OrgUnit(code="CYBER", name="Cybersécurité", parent=unit))
    lyon = Location.objects.create(name="Lyon")
    Location.objects.create(name="Paris")
    for person in [me, *others]:
        profile_update(actor=person, person=person, data={"location": lyon, "languages": ["fr"]})
        for level, skill in enumerate(skills, start=1):
            skill_declare(actor=person, person=person, skill_id=skill.pk, level=level)
    # Person 2's skill 1 is endorsed by the caller, so withdrawing can succeed; 3 endorses the caller.
    endorsement_create(actor=me, person_id=others[0].pk, skill_id=skills[0].pk)
    endorsement_create(actor=others[1], person_id=me.pk, skill_id=skills[0].pk)
    return me, others


@pytest.fixture(scope="module")
def api_data(django_db_setup, django_db_blocker):
    """The data every operation starts from, made once with ids from 1 (flush resets the
    sequences): valid cases meet real objects. Returns the caller's and the administrator's tokens."""
    with django_db_blocker.unblock():
        call_command("flush", interactive=False)
        me, others = _people_data()
        _social_data(me, *others)
        _expertise_data(me, *others)
        _voice_data(me, *others)
        _opportunities_data(me, *others)
        _token, secret = api_token_create(user=me, name="schemathesis")
        admin = User.objects.get(email="hr@example.test")
        user_set_roles(user=admin, roles=[Role.EMPLOYEE, Role.HR_ADMIN, Role.IT_ADMIN])
        _token, admin_secret = api_token_create(user=admin, name="schemathesis")
    yield {"caller": secret, "admin": admin_secret}
    with django_db_blocker.unblock():
        call_command("flush", interactive=False)


@pytest.fixture
def api_headers(api_data, db, connection_kept_across_requests):
    """The caller's token; what an operation's examples change is rolled back after it, which
    is much faster than making the data anew for each operation (a flush costs seconds)."""
    return {"Authorization": f"Bearer {api_data['caller']}"}


@pytest.fixture
def admin_headers(api_data, db, connection_kept_across_requests):
    """Person 5's token (HR and IT administrator); changes are rolled back as for the caller."""
    return {"Authorization": f"Bearer {api_data['admin']}"}


def _social_data(me, bastien, chloe, driss):
    """Communities 1-5, posts 1-7, comments 1-4, tag 1 "python", follows and notifications.

    Community 1 is open and the caller owns it; 2 is closed and the caller is a member; 3 is
    secret and the caller is not a member, so it and its post 6 and comment 4 must stay 404; the
    caller may join 4 (open) and ask to join 5 (closed). Posts 1 and 7 and comment 1 are the
    caller's, so editing and removing them can succeed; the caller reacted to post 2, follows
    person 2, tag "python" and community 2, and person 3 follows the caller.
    """
    open_, closed, secret = Community.Visibility.values
    python = tag_get_or_create(name="python")
    guild = community_create(actor=me, name="Python guild", visibility=open_)
    circle = community_create(actor=bastien, name="Security circle", visibility=closed)
    board = community_create(actor=chloe, name="Board", visibility=secret)
    community_create(actor=bastien, name="Open house", visibility=open_)
    community_create(actor=chloe, name="Reading club", visibility=closed)
    membership_add(actor=me, community=guild, user=bastien)
    membership_add(actor=bastien, community=circle, user=me)
    membership_add(actor=chloe, community=board, user=driss)
    mine = post_create(actor=me, body="Hello #python")
    tagged = post_create(actor=bastien, body="Typing tips for #python, @me")
    post_create(actor=chloe, kind="article", title="On listening", body="# Why\n\nBecause.")
    post_create(actor=bastien, body="Welcome to the guild", community=guild)
    post_create(actor=bastien, body="Closed-door #security notes", community=circle)
    hidden = post_create(actor=chloe, body="Board minutes", community=board)
    post_create(actor=me, body="Meetup on Thursday", community=guild)
    comment = comment_create(actor=me, post=tagged, body="Thanks!")
    comment_create(actor=bastien, post=tagged, body="You are welcome", parent=comment)
    comment_create(actor=chloe, post=mine, body="Nice")
    comment_create(actor=driss, post=hidden, body="Noted")
    reaction_set(actor=me, post=tagged, kind="like")
    reaction_set(actor=bastien, post=mine, kind="celebrate")
    follow(actor=me, user=bastien)
    follow(actor=me, tag=python)
    follow(actor=me, community=circle)
    follow(actor=chloe, user=me)


def _expertise_data(me, bastien, chloe, driss):
    """Questions (posts 8-10) and answers 1-4.

    Question 8 is person 2's, answered by the caller (answer 1, which the caller may edit and
    remove) and by person 3 (answer 2, which the caller may vote on); question 9 is the caller's,
    answered by person 2 (answer 3, which the caller may accept); question 10 is in the secret
    community 3 with answer 4, so both must stay 404.
    """
    theirs = question_ask(
        actor=bastien, title="How do I type a decorator in Python?", body="With #python 3.12"
    )
    answer_create(actor=me, question=theirs, body="Use ParamSpec.")
    answer_create(actor=chloe, question=theirs, body="See PEP 612.")
    mine = question_ask(actor=me, title="Who knows security audits?", body="For a new app.")
    answer_create(actor=bastien, question=mine, body="The security circle does.")
    board = Community.objects.get(name="Board")
    hidden = question_ask(actor=chloe, title="Board budget?", body="Numbers.", community=board)
    answer_create(actor=driss, question=hidden, body="Secret numbers.")


def _voice_data(me, bastien, chloe, driss):
    """Survey 1 (open to everyone: Likert question 1, eNPS question 2), idea 1 (person 2's: the
    caller may vote and comment), commitment 1 (the caller's: the caller may post progress).
    Person 5 is the HR administrator who wrote them."""
    hr = person_create(email="hr@example.test", first_name="Hélène", last_name="Rh")
    user_set_roles(user=hr, roles=[Role.EMPLOYEE, Role.HR_ADMIN])
    survey = voice.survey_create(actor=hr, title="Pulse")
    voice.question_add(actor=hr, survey=survey, kind="likert", text_fr="Ça va ?")
    voice.question_add(actor=hr, survey=survey, kind="enps", text_fr="Recommanderiez-vous ?")
    voice.survey_launch(actor=hr, survey=survey)
    voice.idea_create(actor=bastien, title="Salle calme", description="Pour se concentrer.")
    voice.commitment_create(actor=hr, title="Déconnexion", owner_id=me.pk, theme="workload")


def _opportunities_data(me, bastien, chloe, driss):
    """Opportunities 1-3 and application 1.

    Opportunity 1 is the caller's, open, with application 1 from person 3 (which the caller may
    shortlist, accept or decline); 2 is person 2's and open, so the caller may apply; 3 is a
    draft of person 4's, so it must stay 404.
    """
    from datetime import date

    from vivier.opportunities.services import (
        SkillNeed,
        application_create,
        opportunity_save,
        opportunity_transition,
    )

    def offer(owner, title, publish=True):
        opportunity = opportunity_save(
            actor=owner,
            kind="project",
            title=title,
            description="A mission.",
            time_share_percent=20,
            start_date=date(2027, 1, 4),
            skills=[SkillNeed("python", 2, True)],
        )
        if publish:
            opportunity_transition(actor=owner, opportunity=opportunity, action="publish")
        return opportunity

    mine = offer(me, "Data platform")
    offer(bastien, "Security audit")
    offer(driss, "Secret draft", publish=False)
    application_create(actor=chloe, opportunity=mine, message="I am in.")


@schema.parametrize()
# Each operation starts from the data and its examples share (and change) it, rolled back after.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api(case, api_headers):
    # Headers passed here are "explicit auth" to the checks: ignored_auth retries without them.
    case.call_and_validate(headers=api_headers)


@admin_schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_as_admin(case, admin_headers):
    case.call_and_validate(headers=admin_headers)


@pytest.fixture
def connection_kept_across_requests():
    """Keep Django from closing the connection after each request, as its test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_api_stateful(api_headers):
    class Workflow(schema.as_state_machine()):
        def setup(self):
            # Each scenario starts from the fixture data and is rolled back: the same choices
            # then meet the same responses, which hypothesis requires of the links it follows.
            self.scenario = transaction.atomic()
            self.scenario.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.scenario.__exit__(None, None, None)

        def before_call(self, case):
            # Links inferred from nullable fields (a notification's `post_id`) may carry null,
            # which schemathesis sends as "/posts/None"; such a step is skipped, not tested.
            assume(None not in (case.path_parameters or {}).values())

        def get_call_kwargs(self, case):
            return {"headers": api_headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                additional_checks=additional_checks,
                headers=api_headers,
                transport_kwargs=kwargs,
                recorder=self.recorder,
            )

    Workflow.run(
        settings=settings(
            max_examples=max(MAX_EXAMPLES // 2, 10),
            stateful_step_count=6,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
