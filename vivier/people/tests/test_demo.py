"""The demo company: plausible, complete and the same for the same seed."""

from io import StringIO

from django.core.management import call_command

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin, is_it_admin
from vivier.people.demo import ADMIN_EMAIL, DEMO_PASSWORD, DemoBuilder, demo_role_skill_slugs
from vivier.people.models import Endorsement, OrgUnit, Profile, ProfileSkill, Skill


def _snapshot() -> list[tuple]:
    return sorted(
        (
            p.user.email,
            p.title,
            p.org_unit.code,
            p.manager.email if p.manager else None,
            tuple(sorted((s.skill.slug, s.level) for s in p.user.declared_skills.all())),
        )
        for p in Profile.objects.select_related("user", "org_unit", "manager")
        .prefetch_related("user__declared_skills__skill")
        .exclude(user__email=ADMIN_EMAIL)
    )


def test_demo_is_deterministic_for_a_seed(db):
    DemoBuilder(people=40, seed=7).build()
    first = _snapshot()
    User.objects.all().delete()
    DemoBuilder(people=40, seed=7).build()
    assert _snapshot() == first
    User.objects.all().delete()
    DemoBuilder(people=40, seed=8).build()
    assert _snapshot() != first


def test_demo_company_is_complete(db):
    out = StringIO()
    call_command("vivier_demo", "--people", "120", "--seed", "3", "--posts", "0", stdout=out)
    assert "Demo ready" in out.getvalue()
    assert User.objects.count() == 121
    admin = User.objects.get(email=ADMIN_EMAIL)
    assert admin.check_password(DEMO_PASSWORD)
    assert is_hr_admin(admin) and is_it_admin(admin)
    assert OrgUnit.objects.filter(parent__isnull=True).count() == 1
    assert not OrgUnit.objects.filter(manager__isnull=True).exists()
    # Everyone but the top manager has a manager, and managers are in the company.
    # (The former employee erased by the privacy demo has no placement left.)
    assert Profile.objects.filter(manager__isnull=True, user__erasure__isnull=True).count() <= 2
    assert ProfileSkill.objects.values("user").distinct().count() > 100
    assert Endorsement.objects.count() > 100
    assert Profile.objects.exclude(bio="").count() > 60
    # Loading again on a populated database does nothing with --if-empty.
    again = StringIO()
    call_command("vivier_demo", "--if-empty", stdout=again)
    assert "already" in again.getvalue()
    assert User.objects.count() == 121


def test_demo_refers_only_to_real_skills(db):
    DemoBuilder(people=10, seed=1).build()
    assert demo_role_skill_slugs() <= set(Skill.objects.values_list("slug", flat=True))
