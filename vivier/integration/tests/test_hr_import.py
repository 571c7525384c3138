"""HR import: dry run with a per-line error report, all-or-nothing apply, page and command."""

from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from vivier.accounts.models import Role, User, UserSession
from vivier.accounts.services import user_set_roles
from vivier.core.errors import ApplicationError, PermissionDenied
from vivier.integration.hr_import import hr_import_apply, hr_import_plan
from vivier.people.models import OrgUnit, Profile
from vivier.people.services import person_create
from vivier.search.models import SearchEntry

HEADER = "email;first_name;last_name;job_title;org_unit_path;manager_email;location;language;active"
GOOD = "\n".join(
    [
        HEADER,
        "claire.bernard@entreprise.test;Claire;Bernard;Directrice Data;Direction Data;;Paris;fr;oui",
        "hugo.leroy@entreprise.test;Hugo;Leroy;Data scientist;Direction Data / Data Science;claire.bernard@entreprise.test;Lyon;fr;oui",
        "zoe.moreau@entreprise.test;Zoé;Moreau;Analyste;Direction Data / Data Science;hugo.leroy@entreprise.test;Lyon;en;1",
        "existing@entreprise.test;Paul;Existant;Chef de projet;Direction Data;claire.bernard@entreprise.test;;;non",
    ]
)


@pytest.fixture
def hr(db: Any) -> User:
    admin = person_create(email="rh@entreprise.test", first_name="Rhéa", last_name="RH")
    user_set_roles(user=admin, roles=[Role.HR_ADMIN])
    return admin


def excel(text: str) -> bytes:
    """As French Excel saves it: UTF-8 with a BOM, CRLF line ends."""
    return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")


def test_dry_run_then_apply(hr: User, client: Any) -> None:
    existing = person_create(
        email="existing@entreprise.test", first_name="Paul", last_name="Existant"
    )
    client.force_login(existing)
    plan = hr_import_plan(excel(GOOD))
    assert plan.errors == []
    assert [(r.line, r.action, r.status_change) for r in plan.rows] == [
        (2, "create", ""),
        (3, "create", ""),
        (4, "create", ""),
        (5, "update", "deactivate"),
    ]
    assert plan.new_units == ["Direction Data", "Direction Data / Data Science"]
    assert not User.objects.filter(email="hugo.leroy@entreprise.test").exists()  # dry run

    hr_import_apply(actor=hr, data=excel(GOOD))
    hugo = User.objects.get(email="hugo.leroy@entreprise.test")
    profile = Profile.objects.select_related("org_unit__parent", "manager", "location").get(
        user=hugo
    )
    assert profile.title == "Data scientist"
    assert (profile.org_unit.name, profile.org_unit.parent.name) == (
        "Data Science",
        "Direction Data",
    )
    assert profile.manager.email == "claire.bernard@entreprise.test"
    assert profile.location.name == "Lyon"
    assert User.objects.get(email="zoe.moreau@entreprise.test").language == "en"
    existing.refresh_from_db()
    assert not existing.is_active
    assert not UserSession.objects.filter(user_id=existing.pk).exists()
    # Through the services: the people are in the search index.
    assert SearchEntry.objects.filter(kind="person", object_id=hugo.pk).exists()
    # Applying the same file again changes nothing.
    again = hr_import_plan(excel(GOOD))
    assert [r.action for r in again.rows] == ["unchanged"] * 4


def test_comma_separated_without_bom(hr: User) -> None:
    text = "email,first_name,last_name\nanna@entreprise.test,Anna,Petit\n"
    plan = hr_import_plan(text.encode())
    assert plan.errors == [] and plan.rows[0].action == "create"


def test_error_report_per_line_and_nothing_applied(hr: User) -> None:
    person_create(email="a@entreprise.test")
    person_create(email="b@entreprise.test")
    text = "\n".join(
        [
            HEADER,
            "ok@entreprise.test;Ok;Ok;;;;;;",
            "not-an-email;X;Y;;;;;;",
            "ok@entreprise.test;Dup;Dup;;;;;;",
            "c@entreprise.test;C;C;;;ghost@entreprise.test;;;",
            "d@entreprise.test;D;D;;;e@entreprise.test;;;",
            "e@entreprise.test;E;E;;;d@entreprise.test;;;",
            "f@entreprise.test;F;F;;;;;de;peut-être",
            "g@entreprise.test;G;G",
        ]
    )
    plan = hr_import_plan(text.encode())
    report = {(e.line, e.column) for e in plan.errors}
    assert report == {
        (3, "email"),
        (4, "email"),
        (5, "manager_email"),
        (6, "manager_email"),
        (7, "manager_email"),
        (8, "language"),
        (8, "active"),
        (9, ""),
    }
    count = User.objects.count()
    with pytest.raises(ApplicationError):
        hr_import_apply(actor=hr, data=text.encode())
    assert User.objects.count() == count
    assert not OrgUnit.objects.exists()


def test_cycle_with_existing_reporting_lines(hr: User) -> None:
    boss = person_create(email="boss@entreprise.test")
    worker = person_create(email="worker@entreprise.test", manager=boss)
    assert worker.profile.manager == boss
    plan = hr_import_plan(b"email;manager_email\nboss@entreprise.test;worker@entreprise.test\n")
    assert [(e.line, e.column) for e in plan.errors] == [(2, "manager_email")]
    # Turning the line around in one file is fine.
    text = b"email;manager_email\nboss@entreprise.test;worker@entreprise.test\nworker@entreprise.test;\n"
    assert hr_import_plan(text).errors == []
    hr_import_apply(actor=hr, data=text)
    assert Profile.objects.get(user=boss).manager == worker


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"email;shoe_size\na@entreprise.test;42\n", 1),
        ("email;first_name\na@entreprise.test;Zoé\n".encode("cp1252"), 2),
        (b"first_name\nAnna\n", 1),
    ],
)
def test_unknown_column_encoding_and_missing_email(hr: User, data: bytes, line: int) -> None:
    plan = hr_import_plan(data)
    assert plan.errors and plan.errors[0].line == line


def test_only_hr_admins_apply(db: Any) -> None:
    someone = person_create(email="someone@entreprise.test")
    with pytest.raises(PermissionDenied):
        hr_import_apply(actor=someone, data=b"email\nx@entreprise.test\n")


def test_page_preview_and_apply(hr: User, client: Any) -> None:
    client.force_login(hr)
    page = client.get("/integration/hr-import/")
    assert page.status_code == 200
    upload = SimpleUploadedFile("rh.csv", excel(GOOD), content_type="text/csv")
    preview = client.post("/integration/hr-import/", {"file": upload})
    assert preview.status_code == 200
    assert "hugo.leroy@entreprise.test" in preview.content.decode()
    assert not User.objects.filter(email="hugo.leroy@entreprise.test").exists()
    done = client.post("/integration/hr-import/", {"apply": "1"})
    assert done.status_code == 302
    assert User.objects.filter(email="hugo.leroy@entreprise.test").exists()
    broken = SimpleUploadedFile(
        "rh.csv", b"email;nope\nx@entreprise.test;1\n", content_type="text/csv"
    )
    response = client.post("/integration/hr-import/", {"file": broken})
    assert response.status_code == 422
    assert 'id="import-errors"' in response.content.decode()


def test_page_is_for_hr_admins(client: Any, db: Any) -> None:
    someone = person_create(email="someone@entreprise.test")
    client.force_login(someone)
    assert client.get("/integration/hr-import/").status_code == 403
    assert client.get("/integration/scim-tokens/").status_code == 403
    assert client.get("/integration/").status_code == 403


def test_command(hr: User, tmp_path: Any) -> None:
    path = tmp_path / "rh.csv"
    path.write_bytes(excel(GOOD))
    out = StringIO()
    call_command("vivier_hr_import", str(path), "--dry-run", stdout=out)
    assert "Dry run: 4 to create, 0 to update, 1 to deactivate" in out.getvalue()
    assert not User.objects.filter(email="hugo.leroy@entreprise.test").exists()
    call_command("vivier_hr_import", str(path), stdout=StringIO())
    assert User.objects.filter(email="hugo.leroy@entreprise.test").exists()
    path.write_bytes(b"email;nope\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("vivier_hr_import", str(path), stdout=StringIO(), stderr=err)
    assert "line 1 [nope]" in err.getvalue()
