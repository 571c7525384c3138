"""HR's hidden experts report: who is listed, permissions, filters, pagination, CSV and API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from vivier.accounts.models import Role
from vivier.expertise.inference import infer_skills
from vivier.expertise.models import ExpertLabel, InferredSkill
from vivier.expertise.services import label_grant
from vivier.people.services import profile_update, skill_declare
from vivier.social.services import post_create

pytestmark = pytest.mark.django_db

URL = "/rh/experts-caches/"
API = "/api/v1/reports/hidden-experts"


def _writes_about(person, topic, n=2):
    for i in range(n):
        post_create(actor=person, body=f"{topic} au quotidien, épisode {i}")


@pytest.fixture
def company(make_person, make_unit, hr_admin, python_skill, security_skill):
    """Five people who write about Python; only two of them are hidden experts."""
    tech = make_unit("TECH", "Technique")
    web = make_unit("WEB", "Web", parent=tech)
    sales = make_unit("SALES", "Ventes")
    people = {
        "hidden": make_person(first_name="Inès", last_name="Cachée"),
        "declared": make_person(first_name="Denis", last_name="Déclaré"),
        "hid": make_person(first_name="Hugo", last_name="Masqué"),
        "labelled": make_person(first_name="Lina", last_name="Labellisée"),
        "expired": make_person(first_name="Eva", last_name="Expirée"),
    }
    for key, person in people.items():
        _writes_about(person, "Python", n=3 if key == "hidden" else 2)
        unit = web if key == "hidden" else sales
        profile_update(actor=hr_admin, person=person, data={"org_unit": unit})
    skill_declare(
        actor=people["declared"], person=people["declared"], skill_id=python_skill.pk, level=1
    )
    label_grant(actor=hr_admin, user=people["labelled"], skill_id=python_skill.pk)
    label = label_grant(actor=hr_admin, user=people["expired"], skill_id=python_skill.pk)
    ExpertLabel.objects.filter(pk=label.pk).update(expires_at=timezone.now() - timedelta(days=1))
    infer_skills()
    InferredSkill.objects.filter(user=people["hid"]).update(status="hidden")
    return people | {"tech": tech, "web": web, "sales": sales}


def test_only_undeclared_unhidden_unlabelled_skills_are_listed(client_for, hr_admin, company):
    response = client_for(hr_admin).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Inès Cachée" in page and "Eva Expirée" in page
    for name in ("Denis Déclaré", "Hugo Masqué", "Lina Labellisée"):
        assert name not in page
    # strongest first: three texts before two
    assert page.index("Inès Cachée") < page.index("Eva Expirée")
    assert "Web" in page and "épisode" not in page  # counts and dates, never the texts


@pytest.mark.parametrize(
    ("who", "page", "csv", "api"),
    [
        ("employee", 403, 403, 403),
        ("hr_admin", 200, 200, 200),
        ("it_admin", 403, 403, 403),
        ("anonymous", 302, 302, 401),
    ],
)
def test_permission_matrix(
    client, client_for, token_for, make_person, hr_admin, company, who, page, csv, api
):
    if who == "anonymous":
        browser, headers = client, {}
    else:
        user = {
            "employee": make_person(),
            "hr_admin": hr_admin,
            "it_admin": make_person(roles=[Role.IT_ADMIN]),
        }[who]
        browser, headers = client_for(user), token_for(user)
    assert browser.get(URL).status_code == page
    assert browser.get(URL + "?format=csv").status_code == csv
    response = client.get(API, **headers)
    assert response.status_code == api
    if api == 403:
        assert response.json()["code"] == "hr_admin_required"
        # Not even whether a unit exists is told.
        assert client.get(f"{API}?org_unit=999999", **headers).status_code == 403
    if api == 401:
        assert response.json()["code"] == "unauthenticated"


def test_filters_by_skill_text_and_unit_with_sub_units(client_for, hr_admin, company, make_person):
    other = make_person(first_name="Sam", last_name="Sécu")
    _writes_about(other, "Sécurité")
    infer_skills(other)
    client = client_for(hr_admin)
    page = client.get(URL, {"skill": "securite"}).content.decode()
    assert "Sam Sécu" in page and "Inès Cachée" not in page
    page = client.get(URL, {"org_unit": company["tech"].pk}).content.decode()
    assert "Inès Cachée" in page and "Eva Expirée" not in page
    results = client.get(URL, {"skill": "pyth"}, HTTP_HX_REQUEST="true").content.decode()
    assert results.startswith('<div id="results"') and "Sam Sécu" not in results


@pytest.mark.parametrize(
    "query", [{"skill": "py\x00"}, {"org_unit": "abc"}, {"org_unit": "99999999999999999999"}]
)
def test_bad_filters_never_fail(client_for, hr_admin, company, query):
    assert client_for(hr_admin).get(URL, query).status_code == 200


def test_pagination(client_for, hr_admin, company, monkeypatch):
    from vivier.expertise import views_skills

    monkeypatch.setattr(views_skills, "REPORT_PAGE_SIZE", 1)
    client = client_for(hr_admin)
    first = client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()
    assert "Inès Cachée" in first and "Eva Expirée" not in first
    assert "Eva Expirée" in second and 'rel="prev"' in second


def test_csv_for_french_excel(client_for, hr_admin, company, make_person):
    sly = make_person(first_name="=HYPERLINK(1)", last_name="Dupont")
    profile_update(actor=hr_admin, person=sly, data={"title": "x"})
    _writes_about(sly, "Python", n=4)
    infer_skills(sly)
    response = client_for(hr_admin).get(URL, {"format": "csv", "skill": "python"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "person_id;name;email;org_unit;skill_slug;skill;score;evidence_count;last_evidence_at"
    )
    assert len(lines) == 4
    first = lines[1].split(";")
    assert first[1] == "'=HYPERLINK(1) Dupont"  # never run as a formula
    assert first[4:6] == ["python", "Python"] and first[7] == "4"
    assert "," in first[6]  # decimal comma
    assert first[8] == timezone.localdate().isoformat()


def test_csv_cells_are_escaped():
    from vivier.core.csv_export import safe_cell as _csv_cell

    for value in ("=1+1", "+33", "-2", "@SUM(A1)", "\tx"):
        assert _csv_cell(value) == "'" + value
    assert _csv_cell("Dupont") == "Dupont" and _csv_cell(3) == 3


def test_api_report(client, token_for, hr_admin, company):
    headers = token_for(hr_admin)
    body = client.get(API, **headers).json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first["person"]["name"] == "Inès Cachée"
    assert first["org_unit"]["name"] == "Web"
    assert first["skill"]["slug"] == "python"
    assert first["evidence_count"] == 3 and first["last_evidence_at"]
    page = client.get(API, {"limit": 1, "offset": 1}, **headers).json()
    assert [i["person"]["name"] for i in page["items"]] == ["Eva Expirée"]
    unit = client.get(API, {"org_unit": company["tech"].pk}, **headers).json()
    assert unit["count"] == 1


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"org_unit": 999999}, 404, "org_unit_not_found"),
        ({"org_unit": "abc"}, 422, "validation_error"),
        ({"skill": "py\x00"}, 422, "validation_error"),
        ({"limit": 0}, 422, "validation_error"),
        ({"offset": -1}, 422, "validation_error"),
    ],
)
def test_api_bad_input(client, token_for, hr_admin, company, query, status, code):
    response = client.get(API, query, **token_for(hr_admin))
    assert (response.status_code, response.json()["code"]) == (status, code)


def test_hr_admin_finds_the_report_from_their_profile(client_for, hr_admin, alice):
    page = client_for(hr_admin).get(f"/people/{hr_admin.pk}/").content.decode()
    assert URL in page
    assert URL not in client_for(alice).get(f"/people/{alice.pk}/").content.decode()
