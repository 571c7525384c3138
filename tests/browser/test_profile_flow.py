"""End-to-end: sign in, declare a skill, endorse a colleague; then an axe-core audit of the pages.

Elements are found by id, name and structure, never by their (translatable) text.
"""

import re
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from vivier.accounts.models import Role
from vivier.accounts.services import api_token_create
from vivier.people.models import Endorsement, JobFamily, JobRole, ProfileSkill
from vivier.people.services import (
    endorsement_create,
    job_role_set_skills,
    location_get_or_create,
    org_unit_save,
    skill_declare,
)
from vivier.social.services import (
    comment_create,
    community_create,
    community_join,
    follow,
    post_create,
    reaction_set,
)

pytestmark = pytest.mark.browser

Level = ProfileSkill.Level
BLOCKING_IMPACTS = {"serious", "critical"}


def _is_htmx_post(path: str):
    return lambda response: response.request.method == "POST" and response.url.endswith(path)


def test_sign_in_add_a_skill_and_endorse_a_colleague(
    transactional_db, make_person, make_skill, new_page, sign_in, password
):
    alice = make_person("alice@example.test", first_name="Alice", last_name="Durand")
    bob = make_person("bob@example.test", first_name="Bob", last_name="Lefèvre")
    carole = make_person("carole@example.test", first_name="Carole", last_name="Petit")
    kubernetes = make_skill("kubernetes", "Kubernetes", aliases=["k8s"])
    python = make_skill("python", "Python", aliases=["py"])
    skill_declare(actor=bob, person=bob, skill_id=python.pk, level=Level.ADVANCED)
    endorsement_create(actor=carole, person_id=bob.pk, skill_id=python.pk)

    page, problems = new_page()
    sign_in(page, alice.email, password)

    # /people/me/ leads to one's own profile.
    page.goto("/people/me/")
    expect(page).to_have_url(re.compile(rf"/people/{alice.pk}/$"))
    form = page.locator("#skills form#skill-add-form")
    expect(form).to_be_visible()
    expect(page.locator(f"#skills tr#skill-{kubernetes.pk}")).to_have_count(0)

    # Declare Kubernetes by its alias; htmx swaps the #skills section in place.
    form.locator("input[name=skill]").fill("k8s")
    form.locator("select[name=level]").select_option(str(Level.EXPERT))
    page.evaluate("() => { window.__sameDocument = true; }")
    with page.expect_response(_is_htmx_post("/me/skills/add/")) as added:
        form.locator("button[type=submit]").click()
    assert added.value.status == 200
    assert added.value.request.headers.get("hx-request") == "true"
    row = page.locator(f"#skills tr#skill-{kubernetes.pk}")
    expect(row.locator("th")).to_have_text("Kubernetes")
    expect(row.locator("select[name=level]")).to_have_value(str(Level.EXPERT))
    expect(page.locator("form#skill-add-form input[name=skill]")).to_have_value("")
    assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded"

    # Persisted: it is still there after a reload, and in the database.
    problems.collect_csp(page)
    page.reload()
    row = page.locator(f"#skills tr#skill-{kubernetes.pk}")
    expect(row.locator("th")).to_have_text("Kubernetes")
    expect(row.locator("select[name=level]")).to_have_value(str(Level.EXPERT))
    assert ProfileSkill.objects.get(user=alice, skill=kubernetes).level == Level.EXPERT

    # A colleague's profile: no add form, an Endorse button per declared skill.
    problems.collect_csp(page)
    page.goto(f"/people/{bob.pk}/")
    expect(page.locator("form#skill-add-form")).to_have_count(0)
    row = page.locator(f"#skills tr#skill-{python.pk}")
    count = row.locator("td").nth(1)
    expect(count).to_have_text(re.compile(r"^\s*1\b"))
    endorse_form = row.locator(f"form[action$='/people/{bob.pk}/skills/{python.pk}/endorse/']")
    expect(endorse_form.locator("input[name=action][value=withdraw]")).to_have_count(0)
    button = endorse_form.locator("button[type=submit]")
    expect(button).to_be_visible()
    expect(button).to_have_accessible_name(re.compile(r"\bPython$"))
    with page.expect_response(_is_htmx_post(f"/skills/{python.pk}/endorse/")) as endorsed:
        button.click()
    assert endorsed.value.status == 200
    assert endorsed.value.request.headers.get("hx-request") == "true"
    expect(count).to_have_text(re.compile(r"^\s*2\b"))
    expect(count).to_contain_text("Alice Durand")
    # The button now withdraws the endorsement.
    expect(endorse_form.locator("input[name=action][value=withdraw]")).to_have_count(1)
    assert Endorsement.objects.filter(endorser=alice, endorsee=bob, skill=python).exists()

    problems.collect_csp(page)
    assert not problems.all(), "\n".join(problems.all())


# --- Accessibility ----------------------------------------------------------------------------


@pytest.fixture
def organisation(transactional_db, make_person, make_skill, make_unit):
    """Enough people, units, roles, skills and endorsements for every page to have content."""
    head = make_unit("DG", "Direction générale")
    tech = make_unit("TECH", "Direction technique", parent=head)
    data = make_unit("DATA", "Data et IA", parent=tech)
    make_unit("FIN", "Finance", parent=head)

    family = JobFamily.objects.create(code="data", name_fr="Data", name_en="Data")
    engineer = JobRole.objects.create(
        family=family, code="data-engineer", title_fr="Ingénieur data", title_en="Data engineer"
    )
    expert = JobRole.objects.create(
        family=family,
        code="data-expert",
        title_fr="Expert data",
        title_en="Data expert",
        track=JobRole.Track.EXPERT,
        level=3,
    )
    lead = JobRole.objects.create(
        family=family,
        code="data-lead",
        title_fr="Responsable data",
        title_en="Data lead",
        track=JobRole.Track.MANAGEMENT,
        level=3,
    )
    skills = {
        "python": make_skill("python", "Python", aliases=["py"]),
        "sql": make_skill("sql", "SQL"),
        "kubernetes": make_skill("kubernetes", "Kubernetes", aliases=["k8s"]),
        "security": make_skill("security", "Sécurité", "Security", kind="technical"),
        "negotiation": make_skill("negotiation", "Négociation", "Negotiation", kind="soft"),
    }
    job_role_set_skills(role=engineer, slugs=["python", "sql"])
    job_role_set_skills(role=expert, slugs=["python", "kubernetes"])
    lyon = location_get_or_create(name="Lyon")

    boss = make_person(
        "boss@example.test",
        first_name="Hélène",
        last_name="Bernard",
        title="Directrice technique",
        org_unit=tech,
        job_role=lead,
        location=lyon,
    )
    tech.manager = boss
    org_unit_save(actor=None, unit=tech)
    alice = make_person(
        "alice@example.test",
        first_name="Alice",
        last_name="Durand",
        title="Ingénieure data",
        org_unit=data,
        job_role=engineer,
        manager=boss,
        location=lyon,
        languages=["fr", "en"],
        phone="+33 4 00 00 00 00",
        bio="J'aime **Python** et les *pipelines* de données.\n\n- Airflow\n- dbt",
        interests="MLOps, mentorat",
        availability_percent=20,
        availability_note="Disponible pour du mentorat",
    )
    bob = make_person(
        "bob@example.test",
        first_name="Bob",
        last_name="Lefèvre",
        title="Expert data",
        org_unit=data,
        job_role=expert,
        manager=boss,
        availability_status="busy",
    )
    chloe = make_person("chloe@example.test", first_name="Chloé", last_name="Moreau", org_unit=tech)
    hr = make_person(
        "hr@example.test", first_name="Hugo", last_name="Rh", roles=[Role.HR_ADMIN], org_unit=head
    )
    for person, slug, level in [
        (alice, "python", Level.ADVANCED),
        (alice, "sql", Level.PRACTICE),
        (bob, "python", Level.EXPERT),
        (bob, "kubernetes", Level.ADVANCED),
        (bob, "security", Level.NOTIONS),
        (bob, "negotiation", Level.PRACTICE),
        (boss, "python", Level.PRACTICE),
        (chloe, "security", Level.EXPERT),
    ]:
        skill_declare(actor=person, person=person, skill_id=skills[slug].pk, level=level)
    for endorser, endorsee, slug in [
        (bob, alice, "python"),
        (alice, bob, "python"),
        (chloe, bob, "python"),
        (boss, bob, "kubernetes"),
    ]:
        endorsement_create(actor=endorser, person_id=endorsee.pk, skill_id=skills[slug].pk)
    api_token_create(user=alice, name="Script de synchronisation")
    community = community_create(
        actor=bob,
        name="Communauté Data",
        description="Entraide data",
        rules="Soyez **bienveillants**.",
    )
    community_join(actor=alice, community=community)
    follow(actor=alice, user=bob)
    post = post_create(
        actor=bob,
        community=community,
        body="Nouveau pipeline #python en production, merci @alice !",
    )
    comment = comment_create(actor=alice, post=post, body="Bravo, on en parle jeudi ?")
    comment_create(actor=bob, post=post, body="Avec plaisir", parent=comment)
    reaction_set(actor=alice, post=post, kind="celebrate")
    article = post_create(
        actor=alice,
        kind="article",
        title="Retour d'expérience dbt",
        body="## Contexte\nNous avons migré.\n\n## Résultats\n- plus rapide\n- testé",
    )
    return SimpleNamespace(
        alice=alice,
        bob=bob,
        hr=hr,
        units={"tech": tech, "data": data},
        skills=skills,
        community=community,
        post=post,
        article=article,
    )


# What the Content-Security-Policy blocks (no 'unsafe-inline'): listed before axe is injected,
# since the audit context bypasses CSP and would otherwise apply them.
INLINE_CODE = """() => [
  ...[...document.querySelectorAll("script:not([src])")].map((e) => "<script> " + e.outerHTML),
  ...[...document.querySelectorAll("style")].map((e) => "<style> " + e.outerHTML),
  ...[...document.querySelectorAll("[style]")].map((e) => "style= " + e.outerHTML),
  ...[...document.querySelectorAll("*")].flatMap((e) => [...e.attributes]
    .filter((a) => a.name.startsWith("on") || a.value.trim().startsWith("javascript:"))
    .map((a) => a.name + "= " + e.outerHTML)),
].map((text) => text.slice(0, 200))"""


def _audit(page: Any, axe_path: Any) -> dict[str, Any]:
    """Run axe-core on the current page: its violations (with their nodes), passes, to-review."""
    inline_code = page.evaluate(INLINE_CODE)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_path))
    return {"inline_code": inline_code} | page.evaluate(
        """async () => {
          const results = await axe.run(document, {resultTypes: ["violations"]});
          return {
            passes: results.passes.length,
            incomplete: results.incomplete.map((v) => v.id),
            violations: results.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({
              target: n.target.join(" "),
              summary: n.failureSummary,
              html: n.html.slice(0, 200),
            })),
          })),
          };
        }"""
    )


def _report(results: dict[str, dict[str, Any]], impacts: set[str] | None = None) -> str:
    lines = []
    for label, result in results.items():
        for v in result["violations"]:
            if impacts is not None and v["impact"] not in impacts:
                continue
            lines.append(f"{label}: [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"][:10]:
                summary = " / ".join((node["summary"] or "").splitlines()[1:3])
                lines.append(f"    {node['target']} -> {summary}")
                lines.append(f"        {node['html']}")
    return "\n".join(lines)


def test_main_pages_have_no_serious_accessibility_violations(
    organisation, new_page, sign_in, password, axe_path
):
    org = organisation
    # axe is injected as an inline <script>, which the site's strict CSP would block: this
    # context bypasses CSP (the main-path test checks CSP with it enforced).
    page, problems = new_page(bypass_csp=True)
    results: dict[str, dict[str, Any]] = {}
    statuses: dict[str, int] = {}

    def audit(label: str, path: str) -> None:
        response = page.goto(path)
        statuses[label] = response.status if response else 0
        # A redirect (to the login page, say) would audit the wrong page.
        assert urlsplit(page.url).path == urlsplit(path).path, f"{path} led to {page.url}"
        results[label] = _audit(page, axe_path)

    audit("login (signed out)", "/accounts/login/")
    sign_in(page, org.alice.email, password)
    skill = org.skills["python"]
    for label, path in [
        ("home", "/"),
        ("directory", "/people/"),
        ("directory ?q=a", "/people/?q=a"),
        ("own profile", f"/people/{org.alice.pk}/"),
        ("colleague's profile", f"/people/{org.bob.pk}/"),
        ("profile edit", f"/people/{org.alice.pk}/edit/"),
        ("skills", "/skills/"),
        ("skill page", f"/skills/{skill.slug}/"),
        ("org chart", "/org/"),
        ("org unit", f"/org/{org.units['data'].pk}/"),
        ("org unit with sub-units", f"/org/{org.units['tech'].pk}/"),
        ("job map", "/jobs/"),
        ("settings", "/accounts/settings/"),
        ("tokens", "/accounts/tokens/"),
        ("discover", "/discover/"),
        ("post", f"/posts/{org.post.pk}/"),
        ("article", f"/posts/{org.article.pk}/"),
        ("new post", "/posts/new/?kind=article"),
        ("communities", "/communities/"),
        ("community", f"/communities/{org.community.slug}/"),
        ("community members", f"/communities/{org.community.slug}/members/"),
        ("new community", "/communities/new/"),
        ("tag", "/tags/python/"),
        ("notifications", "/notifications/"),
        ("notification settings", "/notifications/settings/"),
    ]:
        audit(label, path)

    # The add-a-skill form showing an error (htmx swap).
    page.goto(f"/people/{org.alice.pk}/")
    form = page.locator("form#skill-add-form")
    form.locator("input[name=skill]").fill("zzz-no-such-skill")
    with page.expect_response(_is_htmx_post("/me/skills/add/")):
        form.locator("button[type=submit]").click()
    expect(page.locator("#skill-error")).to_be_visible()
    results["own profile, skill form error"] = _audit(page, axe_path)

    # HR sees the placement fieldset on someone else's edit page.
    hr_page, hr_problems = new_page(bypass_csp=True)
    sign_in(hr_page, org.hr.email, password)
    response = hr_page.goto(f"/people/{org.bob.pk}/edit/")
    statuses["profile edit (HR)"] = response.status if response else 0
    expect(hr_page.locator("input[name=hr-manager_email]")).to_be_visible()
    results["profile edit (HR)"] = _audit(hr_page, axe_path)

    print("\naxe-core: rules passed, to review by hand, violations per page")
    for label, result in results.items():
        print(
            f"  {label}: {result['passes']} passed, "
            f"incomplete {result['incomplete']}, {len(result['violations'])} violations"
        )
    print("axe-core violations (all impacts):\n" + (_report(results) or "none"))
    not_ok = {label: status for label, status in statuses.items() if status != 200}
    assert not not_ok, f"pages not answering 200: {not_ok}"
    errors = problems.all() + hr_problems.all()
    assert not errors, "\n".join(errors)
    inline_code = {label: r["inline_code"] for label, r in results.items() if r["inline_code"]}
    assert not inline_code, f"inline code the CSP blocks: {inline_code}"
    blocking = _report(results, BLOCKING_IMPACTS)
    assert not blocking, "serious or critical accessibility violations:\n" + blocking
