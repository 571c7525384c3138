"""Programme fixtures: a Data domain with a committee, a candidate and their manager."""

import pytest

from vivier.accounts.models import Role
from vivier.people.services import profile_update
from vivier.programme import services
from vivier.social.services import community_create


@pytest.fixture
def people(make_person, hr_admin):
    """manager -> candidate; three committee members, one of them the candidate's manager's peer;
    a peer; an outsider."""
    manager = make_person(first_name="Marc", last_name="Manager")
    candidate = make_person(first_name="Camille", last_name="Candidate")
    profile_update(actor=hr_admin, person=candidate, data={"manager": manager})
    members = [make_person(first_name=f"Membre{i}", last_name=f"Comite{i}") for i in range(2)]
    peer = make_person(first_name="Paul", last_name="Peer")
    outsider = make_person(first_name="Olga", last_name="Outsider")
    return {
        "hr": hr_admin,
        "manager": manager,
        "candidate": candidate,
        "member1": members[0],
        "member2": members[1],
        "peer": peer,
        "outsider": outsider,
    }


@pytest.fixture
def domain(people, python_skill, make_skill, hr_admin):
    data_skill = make_skill("data", "Data")
    community = community_create(
        actor=hr_admin, name="Experts Data", visibility="closed", is_expert_community=True
    )
    return services.domain_save(
        actor=hr_admin,
        name="Data",
        description="Données et IA",
        skill_ids=[python_skill.pk, data_skill.pk],
        # The candidate's manager sits on the committee: the conflict of interest must apply.
        committee_ids=[people["member1"].pk, people["member2"].pk, people["manager"].pk],
        quorum=2,
        label_years=3,
        community=community,
        criteria=[("Maîtrise technique", 3), ("Transmission", 2), ("Rayonnement", 1)],
    )


@pytest.fixture
def nomination(people, domain):
    """A self-application, waiting for the manager's opinion."""
    return services.nomination_create(
        actor=people["candidate"],
        domain=domain,
        candidate=people["candidate"],
        motivation="Je forme les équipes à Python depuis trois ans.",
    )


def full_scores(domain, value=4):
    return {c.pk: value for c in domain.criteria.all()}


@pytest.fixture
def in_review(people, nomination):
    services.manager_opinion_give(
        actor=people["manager"], nomination=nomination, opinion="favourable", comment="Oui."
    )
    return nomination


@pytest.fixture
def reviewed(people, domain, in_review):
    for key in ("member1", "member2"):
        services.review_submit(
            actor=people[key], nomination=in_review, scores=full_scores(domain), comment="Solide."
        )
    return in_review


@pytest.fixture
def awarded(people, reviewed):
    return services.nomination_decide(
        actor=people["member1"], nomination=reviewed, decision="award", reason="Bravo."
    )


__all__ = ["Role", "full_scores"]
