"""Bulk generation of the opportunity marketplace: job map, mobility preferences, offers."""

from __future__ import annotations

from datetime import date, timedelta

from vivier.scale.generator import BATCH, Timings, World, pick_distinct, zipf_cum_weights

FAMILIES = {
    "data": ("Data", ["Data analyst", "Data scientist", "Data engineer", "Responsable data"]),
    "tech": ("Technologie", ["Développeur", "Architecte cloud", "Ingénieur sécurité", "DevOps"]),
    "rh": ("Ressources humaines", ["Chargée de recrutement", "Responsable formation"]),
    "finance": ("Finance", ["Contrôleur de gestion", "Acheteur", "Analyste financier"]),
    "produit": ("Produit", ["Product owner", "Designer UX", "Chef de projet"]),
}
KINDS = ["project"] * 4 + ["gig"] * 3 + ["job"] * 2 + ["shadowing"]
SHARES = {"project": [20, 30, 40, 50], "gig": [5, 10, 20], "job": [100], "shadowing": [5]}
TITLES = {
    "project": "Projet {n} : {skill}",
    "gig": "Mission courte {n} : {skill}",
    "job": "Poste interne {n} : {skill}",
    "shadowing": "Vis ma vie {n} : {skill}",
}


def create_job_map(timings: Timings) -> list[int]:
    """A small job map: families and roles."""
    from vivier.people.models import JobFamily, JobRole

    with timings.step("people_jobrole"):
        roles = []
        for code, (name, titles) in FAMILIES.items():
            family = JobFamily.objects.create(code=code, name_fr=name, name_en=name)
            for i, title in enumerate(titles):
                roles.append(
                    JobRole(family=family, code=f"{code}-{i}", title_fr=title, title_en=title)
                )
        roles = JobRole.objects.bulk_create(roles)
        timings.rows["people_jobrole"] = len(roles)
    return [r.pk for r in roles]


def create_preferences(world: World, role_ids: list[int], timings: Timings) -> None:
    """Half the people state mobility preferences; 70% of those may be suggested."""
    from vivier.opportunities.models import MobilityPreference
    from vivier.people.models import Location, Skill

    rng = world.rng
    skill_ids = list(Skill.objects.values_list("pk", flat=True))
    location_ids = list(Location.objects.values_list("pk", flat=True))
    with timings.step("opportunities_mobilitypreference"):
        chosen = [u for u in world.user_ids if rng.random() < 0.5]
        prefs = MobilityPreference.objects.bulk_create(
            (
                MobilityPreference(
                    user_id=u, open_to_move=rng.random() < 0.4, suggestible=rng.random() < 0.7
                )
                for u in chosen
            ),
            batch_size=BATCH,
        )
        interests, roles, places = [], [], []
        through = MobilityPreference
        for pref in prefs:
            for s in rng.sample(skill_ids, k=rng.randint(0, 3)):
                interests.append(
                    through.interests.through(mobilitypreference_id=pref.pk, skill_id=s)
                )
            for r in rng.sample(role_ids, k=rng.randint(0, 2)):
                roles.append(
                    through.desired_roles.through(mobilitypreference_id=pref.pk, jobrole_id=r)
                )
            for loc in rng.sample(location_ids, k=rng.randint(0, 2)):
                places.append(
                    through.locations.through(mobilitypreference_id=pref.pk, location_id=loc)
                )
        for rows in (interests, roles, places):
            rows[0].__class__.objects.bulk_create(rows, batch_size=BATCH)
        timings.rows["opportunities_mobilitypreference"] = (
            len(prefs) + len(interests) + len(roles) + len(places)
        )


def create_opportunities(world: World, count: int, role_ids: list[int], timings: Timings) -> None:
    """`count` open opportunities (plus 10% closed and 5% drafts) with 1-5 skills each."""
    from vivier.opportunities.models import Application, Opportunity, OpportunitySkill
    from vivier.people.models import Location, OrgUnit, Skill

    rng = world.rng
    skills = list(Skill.objects.order_by("pk"))
    skill_cum = zipf_cum_weights(len(skills), 0.8, 2)
    units = list(OrgUnit.objects.filter(depth=1).values_list("pk", flat=True))
    location_ids = list(Location.objects.values_list("pk", flat=True))
    owners = rng.sample(world.user_ids, k=max(1, len(world.user_ids) // 20))
    with timings.step("opportunities_opportunity"):
        rows = []
        total = count + count // 10 + count // 20
        for n in range(total):
            status = "open" if n < count else ("closed" if n < count + count // 10 else "draft")
            kind = rng.choice(KINDS)
            start = date(2027, 1, 1) + timedelta(days=rng.randint(0, 200))
            published = (
                None if status == "draft" else world.now - timedelta(days=rng.randint(1, 120))
            )
            first = skills[rng.choices(range(len(skills)), cum_weights=skill_cum)[0]]
            rows.append(
                Opportunity(
                    kind=kind,
                    strategic=kind == "project" and rng.random() < 0.2,
                    title=TITLES[kind].format(n=n, skill=first.label_fr),
                    description="Une mission pour l'équipe, avec des collègues de plusieurs sites.",
                    description_html="<p>Une mission pour l'équipe.</p>",
                    time_share_percent=rng.choice(SHARES[kind]),
                    start_date=start,
                    end_date=start + timedelta(days=rng.randint(1, 300)),
                    location_id=rng.choice(location_ids),
                    remote=rng.random() < 0.4,
                    owner_id=rng.choice(owners),
                    job_role_id=rng.choice(role_ids) if kind in {"job", "shadowing"} else None,
                    visibility="units" if rng.random() < 0.15 else "everyone",
                    status=status,
                    published_at=published,
                    closed_at=world.now if status == "closed" else None,
                )
            )
            rows[-1].first_skill = first.pk
        created = Opportunity.objects.bulk_create(rows, batch_size=BATCH)
        timings.rows["opportunities_opportunity"] = len(created)
    with timings.step("opportunities_opportunityskill"):
        needs, visible = [], []
        for opportunity, row in zip(created, rows, strict=True):
            ids = {row.first_skill} | set(
                pick_distinct(rng, [s.pk for s in skills], skill_cum, rng.randint(0, 4))
            )
            for i, skill_id in enumerate(sorted(ids)):
                needs.append(
                    OpportunitySkill(
                        opportunity_id=opportunity.pk,
                        skill_id=skill_id,
                        level=rng.randint(1, 4),
                        required=skill_id == row.first_skill or rng.random() < 0.5 or i == 0,
                    )
                )
            if opportunity.visibility == "units":
                for unit in rng.sample(units, k=min(len(units), rng.randint(1, 3))):
                    visible.append(
                        Opportunity.visible_units.through(
                            opportunity_id=opportunity.pk, orgunit_id=unit
                        )
                    )
        OpportunitySkill.objects.bulk_create(needs, batch_size=BATCH)
        Opportunity.visible_units.through.objects.bulk_create(visible, batch_size=BATCH)
        timings.rows["opportunities_opportunityskill"] = len(needs) + len(visible)
    with timings.step("opportunities_application"):
        open_ids = [o.pk for o in created if o.status == "open"]
        applications = []
        for user_id in world.user_ids:
            for opportunity_id in rng.sample(open_ids, k=rng.choice([0, 0, 0, 1, 2])):
                applications.append(
                    Application(opportunity_id=opportunity_id, applicant_id=user_id, message="Oui")
                )
        Application.objects.bulk_create(applications, batch_size=BATCH, ignore_conflicts=True)
        timings.rows["opportunities_application"] = len(applications)
