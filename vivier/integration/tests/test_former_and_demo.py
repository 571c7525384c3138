"""Deactivated people: marked "Left the company" beside their content, gone from lists."""

from io import StringIO
from typing import Any

from django.core.management import call_command

from vivier.accounts.models import User
from vivier.accounts.services import user_deactivate
from vivier.integration.models import ScimGroup, ScimIdentity, ScimToken
from vivier.people.services import person_create
from vivier.social.services import post_create

LEFT = "A quitté l\u2019entreprise"  # the French badge


def test_former_employee_is_marked_and_not_listed(client: Any, db: Any) -> None:
    viewer = person_create(email="viewer@entreprise.test", first_name="Vera", last_name="Vue")
    leaver = person_create(
        email="leaver@entreprise.test", first_name="Lou", last_name="Départ", title="Comptable"
    )
    post = post_create(actor=leaver, body="Mon dernier rapport trimestriel est en ligne.")
    user_deactivate(user=leaver, actor=viewer)
    client.force_login(viewer)
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert "Lou Départ" in page and LEFT in page
    profile = client.get(f"/people/{leaver.pk}/")
    assert profile.status_code == 200
    assert LEFT in profile.content.decode()
    assert "Lou Départ" not in client.get("/people/?q=Lou").content.decode()
    assert "Lou Départ" not in client.get("/experts/?q=comptabilite").content.decode()
    # Active colleagues carry no such mark.
    assert "A quitté" not in client.get(f"/people/{viewer.pk}/").content.decode()


def test_demo_provisioning(db: Any) -> None:
    out = StringIO()
    call_command("vivier_demo", "--people", "60", "--posts", "40", "--seed", "3", stdout=out)
    assert "people provisioned over SCIM" in out.getvalue()
    assert ScimToken.objects.filter(revoked_at__isnull=True).count() == 1
    assert ScimIdentity.objects.count() == User.objects.filter(is_active=True).count() + 1
    assert ScimGroup.objects.filter(role="hr_admin").exists()
    assert ScimGroup.objects.filter(org_unit__isnull=False).exists()
    # The privacy demo also erases someone (never provisioned): the leaver is the one SCIM knows.
    former = User.objects.get(is_active=False, scim_identity__isnull=False)
    assert former.posts.exists()
