"""Directory search: names, skills under any alias, accents, units, sites and languages."""

import pytest

from vivier.people.models import Location, Skill
from vivier.people.selectors import person_list, skill_list
from vivier.people.services import profile_update, skill_declare, skill_taxonomy_load


@pytest.fixture
def company(make_person, make_skill, make_unit, hr_admin):
    security = make_skill("security", "Sécurité", "Security", aliases=["SSI"], kind="technical")
    pentest = make_skill(
        "penetration-testing",
        "Test d'intrusion",
        "Penetration testing",
        aliases=["pentest"],
        parent=security,
    )
    python = make_skill("python", "Python")
    root = make_unit("DG", "Direction générale")
    dsi = make_unit("DSI", "DSI", parent=root)
    cyber = make_unit("CYBER", "Cybersécurité", parent=dsi)
    finance = make_unit("DAF", "Finance", parent=root)
    lyon = Location.objects.create(name="Lyon")
    paris = Location.objects.create(name="Paris")
    zoe = make_person(first_name="Zoé", last_name="Éloïse")
    marc = make_person(first_name="Marc", last_name="Durand")
    lea = make_person(first_name="Léa", last_name="Martin")
    for person, unit, location, langs in [
        (zoe, cyber, lyon, ["fr", "en"]),
        (marc, dsi, paris, ["fr", "de"]),
        (lea, finance, paris, ["fr"]),
    ]:
        profile_update(actor=hr_admin, person=person, data={"org_unit": unit})
        profile_update(actor=person, person=person, data={"location": location, "languages": langs})
    skill_declare(actor=zoe, person=zoe, skill_id=pentest.pk, level=4)
    skill_declare(actor=marc, person=marc, skill_id=security.pk, level=2)
    skill_declare(actor=marc, person=marc, skill_id=python.pk, level=3)
    skill_declare(actor=lea, person=lea, skill_id=python.pk, level=1)
    return {
        "zoe": zoe,
        "marc": marc,
        "lea": lea,
        "root": root,
        "dsi": dsi,
        "cyber": cyber,
        "lyon": lyon,
        "security": security,
        "python": python,
        "pentest": pentest,
        "viewer": hr_admin,
    }


def names(profiles) -> list[str]:
    return [p.user.first_name for p in profiles]


def test_name_search_ignores_accents_and_case(company):
    assert names(person_list(viewer=company["viewer"], q="ZOE eloise")) == ["Zoé"]
    assert names(person_list(viewer=company["viewer"], q="léa")) == ["Léa"]


def test_skill_search_under_any_alias_in_either_language(company):
    viewer = company["viewer"]
    # "securite" finds "Sécurité", and people holding its sub-skills, best level first.
    assert names(person_list(viewer=viewer, skill="securite")) == ["Zoé", "Marc"]
    assert names(person_list(viewer=viewer, skill="Security")) == ["Zoé", "Marc"]
    assert names(person_list(viewer=viewer, skill="pentest")) == ["Zoé"]
    assert names(person_list(viewer=viewer, skill=str(company["python"].pk))) == ["Marc", "Léa"]
    assert names(person_list(viewer=viewer, q="ssi")) == ["Marc"]


def test_filters_by_unit_subtree_site_and_language(company):
    viewer = company["viewer"]
    assert set(names(person_list(viewer=viewer, org_unit=company["dsi"].pk))) == {"Zoé", "Marc"}
    assert names(person_list(viewer=viewer, org_unit=company["cyber"].pk)) == ["Zoé"]
    assert names(person_list(viewer=viewer, location=company["lyon"].pk)) == ["Zoé"]
    assert names(person_list(viewer=viewer, language="de")) == ["Marc"]
    assert list(person_list(viewer=viewer, org_unit=10**9)) == []


def test_inactive_people_are_not_listed(company):
    company["marc"].is_active = False
    company["marc"].save()
    assert "Marc" not in names(person_list(viewer=company["viewer"], skill="python"))


def test_real_taxonomy_is_bilingual_and_large(db):
    counts = skill_taxonomy_load()
    assert counts["total"] >= 200 and counts["created"] == counts["total"]
    again = skill_taxonomy_load()
    assert again["created"] == 0 and again["updated"] == 0
    kinds = set(Skill.objects.values_list("kind", flat=True))
    assert kinds == {"technical", "domain", "soft"}
    for slug in ["knowledge-transmission", "collaboration", "innovation", "vision"]:
        assert Skill.objects.get(slug=slug).kind == "soft"
    assert Skill.objects.filter(label_fr="Sécurité").exists()
    assert "security" in set(skill_list(q="securite").values_list("slug", flat=True))
    assert "kubernetes" in set(skill_list(q="k8s").values_list("slug", flat=True))
    assert "machine-learning" in set(
        skill_list(q="apprentissage automatique").values_list("slug", flat=True)
    )
    # Every parent exists and no skill is its own ancestor.
    for skill in Skill.objects.select_related("parent"):
        seen = {skill.pk}
        node = skill.parent
        while node is not None:
            assert node.pk not in seen
            seen.add(node.pk)
            node = node.parent
