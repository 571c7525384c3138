"""The audit log: append-only (ORM and database), what is recorded, the page and exports."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from vivier.accounts.models import Role
from vivier.accounts.services import api_token_create, api_token_revoke, user_set_roles
from vivier.audit.models import AppendOnlyError, AuditEvent, PurgePermit
from vivier.audit.services import audit_purge_before, audit_record


@pytest.fixture
def it_admin(make_person):
    return make_person("it@example.test", first_name="Ivan", last_name="It", roles=[Role.IT_ADMIN])


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


# Append-only


def test_rows_cannot_be_changed_or_deleted_through_the_orm(alice):
    event = audit_record(action="test.thing", actor=alice)
    event.action = "other"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.thing"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'forged'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_refuses_update_and_delete(alice, sql):
    audit_record(action="test.thing", actor=alice)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert actions()[-1] == "test.thing"


def test_only_the_retention_purge_deletes_and_only_older_rows(alice):
    now = timezone.now()
    cutoff = now - timedelta(days=10)
    old = audit_record(action="test.old", actor=alice)
    boundary = audit_record(action="test.boundary", actor=alice)
    recent = audit_record(action="test.recent", actor=alice)
    # Backdate through the purge permit (the trigger's only way through is for DELETE, so
    # build the rows again with their time set at insert).
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(action="test.old2", occurred_at=cutoff - timedelta(seconds=1)),
            AuditEvent(action="test.boundary2", occurred_at=cutoff),
        ]
    )
    assert audit_purge_before(cutoff=cutoff, dry_run=True) == 1
    assert audit_purge_before(cutoff=cutoff) == 1
    remaining = set(actions())
    assert "test.old2" not in remaining and "test.boundary2" in remaining
    assert {old.action, boundary.action, recent.action} <= remaining
    # The permit lives only inside the purge's transaction.
    assert not PurgePermit.objects.exists()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")


# What is recorded


def test_sign_in_success_failure_and_sign_out(alice, client):
    client.post(reverse("accounts:login"), {"username": alice.email, "password": "wrong-one"})
    client.post(reverse("accounts:login"), {"username": alice.email, "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    failed, login, logout = AuditEvent.objects.filter(action__startswith="auth.").order_by("id")
    assert failed.action == "auth.login_failed" and failed.details["email"] == alice.email
    assert failed.actor_id is None and failed.actor_ip == "127.0.0.1" and failed.request_id
    assert "wrong-one" not in json.dumps(failed.details)
    assert (login.action, login.actor_id, login.target_user_id) == (
        "auth.login",
        alice.pk,
        alice.pk,
    )
    assert logout.action == "auth.logout" and logout.actor_id == alice.pk
    assert login.request_id != failed.request_id


def test_request_id_comes_from_the_proxy_when_well_formed(alice, client):
    client.post(
        reverse("accounts:login"),
        {"username": alice.email, "password": "nope"},
        HTTP_X_REQUEST_ID="req-123.abc",
    )
    client.post(
        reverse("accounts:login"),
        {"username": alice.email, "password": "nope"},
        HTTP_X_REQUEST_ID="bad id; drop table",
    )
    first, second = AuditEvent.objects.filter(action__startswith="auth.").order_by("id")
    assert first.request_id == "req-123.abc"
    assert second.request_id != "bad id; drop table" and len(second.request_id) == 32


def test_role_changes_from_both_sides_of_the_relation(alice, it_admin, client_for):
    user_set_roles(user=alice, roles=[Role.HR_ADMIN])
    group = Group.objects.get(name="hr_admin")
    group.user_set.remove(alice)
    alice.groups.add(group)
    alice.groups.clear()
    rows = AuditEvent.objects.filter(action__startswith="role.", target_user=alice).order_by("id")
    assert [(r.action, r.details["roles"]) for r in rows] == [
        ("role.grant", ["hr_admin"]),
        ("role.revoke", ["hr_admin"]),
        ("role.grant", ["hr_admin"]),
        ("role.revoke", ["hr_admin"]),
    ]


def test_flag_changes_and_who_made_them(alice, make_person, client_for):
    root = make_person("root@example.test", first_name="Root")
    root.is_staff = root.is_superuser = True
    root.save()
    client = client_for(root)
    page = client.get(reverse("admin:accounts_user_change", args=[alice.pk]))
    assert page.status_code == 200
    client.post(
        reverse("admin:accounts_user_change", args=[alice.pk]),
        {
            "email": alice.email,
            "first_name": alice.first_name,
            "last_name": alice.last_name,
            "language": "fr",
            "is_active": "on",
            "is_staff": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    flags = AuditEvent.objects.get(action="account.flags", target_user=alice)
    assert flags.actor_id == root.pk and flags.details == {"is_staff": True}
    view = AuditEvent.objects.filter(action="admin.view", target_user=alice).first()
    assert view.actor_id == root.pk and view.target_type == "accounts.user"


def test_token_life_cycle_without_the_secret(alice):
    token, secret = api_token_create(user=alice, name="ci")
    api_token_revoke(user=alice, token_id=token.pk)
    created, revoked = AuditEvent.objects.filter(action__startswith="token.").order_by("id")
    assert (created.action, created.target_id, created.actor_id) == (
        "token.create",
        str(token.pk),
        alice.pk,
    )
    assert revoked.action == "token.revoke"
    dump = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert secret not in dump and token.key_hash not in dump and token.prefix not in dump


def test_hr_pages_showing_personal_data_are_audited(hr_admin, alice, client_for):
    client = client_for(hr_admin)
    assert client.get(reverse("expertise_skills:hidden_experts")).status_code == 200
    assert client.get(reverse("programme:hr")).status_code == 200
    assert client.get(reverse("people:profile_edit", args=[alice.pk])).status_code == 200
    rows = {r.action: r for r in AuditEvent.objects.filter(actor=hr_admin)}
    assert {"hr.hidden_experts.view", "hr.programme_dashboard.view", "hr.profile_edit.view"} <= set(
        rows
    )
    assert rows["hr.profile_edit.view"].target_user_id == alice.pk
    # People editing their own profile are not "accessing personal data" of anyone else.
    client_for(alice).get(reverse("people:profile_edit", args=[alice.pk]))
    assert not AuditEvent.objects.filter(actor=alice, action="hr.profile_edit.view").exists()


def test_refused_hr_pages_are_not_recorded_as_access(alice, client_for):
    assert client_for(alice).get(reverse("programme:hr")).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="hr.").exists()


# The page and exports


def test_audit_log_page_is_for_it_admins(alice, hr_admin, it_admin, client_for, client):
    url = reverse("audit:log")
    assert client.get(url).status_code == 302
    assert client_for(alice).get(url).status_code == 403
    assert client_for(hr_admin).get(url).status_code == 403
    assert client_for(it_admin).get(url).status_code == 200
    assert client_for(alice).get(reverse("audit:export")).status_code == 403


def test_filters_and_keyset_pages(alice, bob, it_admin, client_for, django_assert_max_num_queries):
    for n in range(60):
        audit_record(action="test.many", actor=alice if n % 2 else bob, target_user=bob, n=n)
    audit_record(action="test.other", actor=alice)
    client = client_for(it_admin)
    url = reverse("audit:log")
    with django_assert_max_num_queries(12):
        first = client.get(url, {"action": "test.many", "actor": alice.pk})
    rows = first.context["rows"]
    assert len(rows) == 30 and {r.actor_id for r in rows} == {alice.pk}
    assert first.context["next_cursor"] is None
    everything = client.get(url, {"action": "test.many"})
    assert len(everything.context["rows"]) == 50
    cursor = everything.context["next_cursor"]
    second = client.get(url, {"action": "test.many", "before": cursor})
    assert len(second.context["rows"]) == 10 and second.context["next_cursor"] is None
    seen = [r.pk for r in everything.context["rows"]] + [r.pk for r in second.context["rows"]]
    assert len(set(seen)) == 60 and seen == sorted(seen, reverse=True)
    person = client.get(url, {"person": bob.pk, "action": "test."})
    assert len(person.context["rows"]) == 50
    today = timezone.localdate()
    past = client.get(url, {"until": (today - timedelta(days=1)).isoformat()})
    assert past.context["rows"] == []
    assert client.get(url, {"since": "garbage", "before": "x"}).status_code == 200


def test_exports_are_audited_and_complete(alice, it_admin, client_for):
    audit_record(action="test.thing", actor=alice, note="=HYPERLINK(1)")
    client = client_for(it_admin)
    csv = client.get(reverse("audit:export"), {"format": "csv", "action": "test.thing"})
    body = b"".join(csv.streaming_content).decode()
    assert csv["Content-Type"].startswith("text/csv") and "test.thing" in body
    # Details are one JSON cell, starting with "{": never a formula.
    assert "HYPERLINK" in body and ";=" not in body
    assert body.count("\n") == 2
    jsonl = client.get(reverse("audit:export"), {"format": "jsonl"})
    lines = [json.loads(x) for x in b"".join(jsonl.streaming_content).decode().splitlines()]
    assert {x["action"] for x in lines} >= {"test.thing", "audit.export"}
    exports = AuditEvent.objects.filter(action="audit.export", actor=it_admin)
    assert exports.count() == 2 and exports.first().details["format"] == "jsonl"


def test_audit_api(alice, it_admin, client, token_for):
    audit_record(action="test.thing", actor=alice)
    url = "/api/v1/audit/events"
    assert client.get(url).status_code == 401
    assert client.get(url, **token_for(alice)).status_code == 403
    response = client.get(url, {"action": "test.thing", "limit": 5}, **token_for(it_admin))
    assert response.status_code == 200
    assert [e["action"] for e in response.json()["items"]] == ["test.thing"]
    assert client.get(url, {"since": "nope"}, **token_for(it_admin)).status_code == 422


def test_audit_api_days_at_the_ends_of_the_calendar(alice, it_admin, client, token_for):
    audit_record(action="test.thing", actor=alice)
    url = "/api/v1/audit/events"
    for query in ({"since": "0001-01-01"}, {"until": "9999-12-31"}, {"since": "0001-01-02"}):
        response = client.get(url, {"action": "test.thing", **query}, **token_for(it_admin))
        assert response.status_code == 200, query
        assert [e["action"] for e in response.json()["items"]] == ["test.thing"]
    # Digits are ASCII, as JSON Schema's pattern reads them: an Arabic-Indic date is refused.
    arabic = "".join(chr(0x660 + int(c)) if c.isdigit() else c for c in "2026-01-01")
    arabic = client.get(url, {"since": arabic}, **token_for(it_admin))
    assert arabic.status_code == 422
