"""Erasure by an administrator, legal holds, and the retention task at its boundaries."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from vivier.accounts.models import ApiToken, Role, User, UserSession
from vivier.audit.models import AuditEvent
from vivier.core.errors import Conflict, PermissionDenied
from vivier.core.models import ActivityEvent
from vivier.mentoring.models import Note
from vivier.people.models import Endorsement, ProfileSkill
from vivier.privacy import services
from vivier.privacy.models import Erasure, LegalHold
from vivier.search.models import SearchEntry
from vivier.social.models import Comment, Follow, Notification, Post


@pytest.fixture
def it_admin(make_person):
    return make_person("it@example.test", first_name="Ivan", roles=[Role.IT_ADMIN])


def test_erasure_keeps_content_as_a_former_employee(world, it_admin, client_for):
    me = world.me
    signed_in = client_for(me)
    assert UserSession.objects.filter(user_id=me.pk).exists()
    services.person_erase(actor=it_admin, person=me)
    me.refresh_from_db()
    assert not me.is_active and not me.has_usable_password()
    assert me.first_name == services.PSEUDONYM_FIRST_NAME and "meline" not in me.email
    assert me.profile.phone == "" and me.profile.bio == "" and me.profile.title == ""
    assert not UserSession.objects.filter(user_id=me.pk).exists()
    assert not ApiToken.objects.filter(user=me).exists()
    assert not Notification.objects.filter(recipient=me).exists()
    assert (
        not Follow.objects.filter(follower=me).exists()
        and not Follow.objects.filter(user=me).exists()
    )
    assert not Endorsement.objects.filter(endorsee=me).exists()
    assert not ProfileSkill.objects.filter(user=me).exists()
    assert list(Note.objects.filter(author=me)) == []
    assert Note.objects.filter(author=world.others[0]).exists()  # the mentor's notes stay
    # Content stays, under the pseudonym.
    assert Post.objects.filter(author=me, deleted_at__isnull=True).count() == 2
    assert not SearchEntry.objects.filter(title__contains="Exportée").exists()
    assert not SearchEntry.objects.filter(body__contains="Architecte données").exists()
    assert signed_in.get(reverse("home")).status_code == 302
    # Audited without the erased data.
    row = AuditEvent.objects.get(action="privacy.erase")
    assert row.actor_id == it_admin.pk and row.target_user_id == me.pk
    assert "meline" not in str(row.details).lower() and row.details["content"] == "keep"
    with pytest.raises(Conflict):
        services.person_erase(actor=it_admin, person=me)


def test_erasure_can_delete_what_they_wrote(world, hr_admin):
    services.person_erase(actor=hr_admin, person=world.me, content="delete")
    assert not Post.objects.filter(author=world.me, deleted_at__isnull=True).exists()
    assert not Comment.objects.filter(author=world.me, deleted_at__isnull=True).exists()
    assert not SearchEntry.objects.filter(kind="post", author_id=world.me.pk).exists()
    # Others' comments on the deleted post are hidden with it, not erased.
    assert Comment.objects.filter(author=world.others[0]).exists()
    assert Erasure.objects.get(user=world.me).content == "delete"


def test_legal_hold_blocks_erasure_with_a_clear_error(world, hr_admin):
    services.legal_hold_set(
        actor=hr_admin, person=world.me, reason="Contentieux prud'homal 2026-17"
    )
    with pytest.raises(Conflict) as refused:
        services.person_erase(actor=hr_admin, person=world.me)
    assert refused.value.code == "legal_hold" and "prud'homal" in str(refused.value.message)
    world.me.refresh_from_db()
    assert world.me.is_active and world.me.first_name == "Méline"  # nothing half-done
    assert not AuditEvent.objects.filter(action="privacy.erase").exists()
    hold_row = AuditEvent.objects.get(action="privacy.legal_hold.set")
    assert "prud" not in str(hold_row.details)
    services.legal_hold_lift(actor=hr_admin, person=world.me)
    services.person_erase(actor=hr_admin, person=world.me)
    assert Erasure.objects.filter(user=world.me).exists()


def test_only_hr_and_it_admins_erase_and_not_themselves(world, hr_admin):
    bob = world.others[0]
    with pytest.raises(PermissionDenied):
        services.person_erase(actor=bob, person=world.me)
    with pytest.raises(PermissionDenied):
        services.legal_hold_set(actor=bob, person=world.me, reason="x")
    with pytest.raises(PermissionDenied):
        services.person_erase(actor=hr_admin, person=hr_admin)


def test_erasure_pages(world, hr_admin, client_for):
    client = client_for(hr_admin)
    assert client.get(reverse("privacy:admin")).status_code == 200
    found = client.get(reverse("privacy:admin"), {"q": world.me.email})
    assert found.status_code == 302
    assert client.get(reverse("privacy:admin"), {"q": "nobody@x.test"}).status_code == 422
    person_url = reverse("privacy:person", args=[world.me.pk])
    assert client.get(person_url).status_code == 200
    assert client_for(world.others[0]).get(person_url).status_code == 403
    bad = client.post(reverse("privacy:hold", args=[world.me.pk]), {"reason": ""})
    assert bad.status_code == 422 and not LegalHold.objects.exists()
    client.post(reverse("privacy:hold", args=[world.me.pk]), {"reason": "Enquête interne"})
    refused = client.post(
        reverse("privacy:erase", args=[world.me.pk]), {"content": "keep", "confirm": "on"}
    )
    assert refused.status_code == 409 and "Enquête interne" in refused.content.decode()
    client.post(reverse("privacy:hold_lift", args=[world.me.pk]))
    unconfirmed = client.post(reverse("privacy:erase", args=[world.me.pk]), {"content": "keep"})
    assert unconfirmed.status_code == 422 and not Erasure.objects.exists()
    done = client.post(
        reverse("privacy:erase", args=[world.me.pk]), {"content": "keep", "confirm": "on"}
    )
    assert done.status_code == 302 and Erasure.objects.filter(user=world.me).exists()
    assert client.get(reverse("privacy:person", args=[999999999])).status_code == 404


def test_erasure_api(world, hr_admin, client, token_for):
    url = f"/api/v1/privacy/people/{world.me.pk}"
    headers = token_for(hr_admin)
    assert (
        client.post(
            f"{url}/erase", {}, content_type="application/json", **token_for(world.others[0])
        ).status_code
        == 403
    )
    held = client.put(
        f"{url}/legal-hold", {"reason": "Audit"}, content_type="application/json", **headers
    )
    assert held.status_code == 200 and held.json()["reason"] == "Audit"
    refused = client.post(f"{url}/erase", {}, content_type="application/json", **headers)
    assert refused.status_code == 409 and refused.json()["code"] == "legal_hold"
    assert client.delete(f"{url}/legal-hold", **headers).status_code == 204
    assert client.delete(f"{url}/legal-hold", **headers).status_code == 404
    bad = client.post(
        f"{url}/erase", {"content": "burn"}, content_type="application/json", **headers
    )
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"
    done = client.post(
        f"{url}/erase", {"content": "keep"}, content_type="application/json", **headers
    )
    assert done.status_code == 200 and done.json()["content"] == "keep"
    assert (
        client.post(
            "/api/v1/privacy/people/999999999/erase", {}, content_type="application/json", **headers
        ).status_code
        == 404
    )


# Retention


DAYS = {
    "VIVIER_RETENTION_ACTIVITY_DAYS": 30,
    "VIVIER_RETENTION_READ_NOTIFICATIONS_DAYS": 10,
    "VIVIER_RETENTION_UNREAD_NOTIFICATIONS_DAYS": 20,
    "VIVIER_RETENTION_INACTIVE_ACCOUNT_DAYS": 100,
    "VIVIER_RETENTION_AUDIT_DAYS": 365,
}


@override_settings(**DAYS)
def test_retention_at_the_boundaries(world, make_person):
    now = timezone.now()
    me = world.me
    ActivityEvent.objects.all().delete()
    # Activity: one just past the limit, one exactly at it.
    old = ActivityEvent.objects.create(actor=me, verb="x", object_type="t")
    edge = ActivityEvent.objects.create(actor=me, verb="y", object_type="t")
    ActivityEvent.objects.filter(pk=old.pk).update(occurred_at=now - timedelta(days=30, seconds=1))
    ActivityEvent.objects.filter(pk=edge.pk).update(occurred_at=now - timedelta(days=30))
    # Notifications: read ones after 10 days, unread ones after 20.
    Notification.objects.all().delete()
    rows = {}
    for name, days, read in (
        ("read_old", 10.001, True),
        ("read_edge", 10, True),
        ("unread_mid", 15, False),
        ("unread_old", 20.001, False),
    ):
        n = Notification.objects.create(recipient=me, type="comment", text=name)
        Notification.objects.filter(pk=n.pk).update(
            created_at=now - timedelta(days=days), read_at=now if read else None
        )
        rows[name] = n.pk
    # Accounts: deactivated long ago (erased), long ago but held (kept), recently (kept).
    gone = make_person("gone@example.test", first_name="Gaston")
    held = make_person("held@example.test", first_name="Hector")
    recent = make_person("recent@example.test", first_name="Rémi")
    for person, days in ((gone, 101), (held, 101), (recent, 99)):
        User.objects.filter(pk=person.pk).update(
            is_active=False,
            last_login=now - timedelta(days=days),
            date_joined=now - timedelta(days=400),
        )
        ActivityEvent.objects.create(
            actor=person, verb="deactivate", object_type="accounts.user", object_id=person.pk
        )
        ActivityEvent.objects.filter(verb="deactivate", object_id=person.pk).update(
            occurred_at=now - timedelta(days=days)
        )
    LegalHold.objects.create(user=held, reason="Litige")
    # Audit rows: one older than a year.
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(action="test.ancient", occurred_at=now - timedelta(days=365, seconds=1)),
            AuditEvent(action="test.edge", occurred_at=now - timedelta(days=365)),
        ]
    )

    dry = services.retention_apply(dry_run=True, now=now)
    assert (
        dry.counts
        == {
            "activity_events": 4,  # `old` and the three deactivations older than 30 days
            "read_notifications": 1,
            "unread_notifications": 1,
            "rate_limit_windows": 0,
            "inactive_accounts": 1,
            "audit_events": 1,
        }
        and dry.held == 1
    )
    assert ActivityEvent.objects.filter(pk=old.pk).exists()  # a dry run changes nothing

    report = services.retention_apply(now=now)
    assert report.counts == dry.counts
    assert not ActivityEvent.objects.filter(pk=old.pk).exists()
    assert ActivityEvent.objects.filter(pk=edge.pk).exists()
    assert set(Notification.objects.values_list("text", flat=True)) == {"read_edge", "unread_mid"}
    assert Erasure.objects.get(user=gone).automatic
    assert not Erasure.objects.filter(user__in=[held, recent]).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert "test.ancient" not in actions and "test.edge" in actions
    assert "privacy.retention" in actions


@override_settings(**DAYS)
def test_retention_command(world, capsys):
    call_command("vivier_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "activity_events: would remove" in out and "audit_events: would remove 0" in out
    call_command("vivier_retention")
    assert "removed" in capsys.readouterr().out
