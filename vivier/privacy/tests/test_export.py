"""'Export my data': my own data, complete, and nobody else's."""

import io
import json
import zipfile

from django.urls import reverse

from vivier.audit.models import AuditEvent
from vivier.privacy.export import covered_relations, export_zip, user_relations


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_every_relation_to_a_person_is_exported_or_excluded_on_purpose():
    missing = user_relations() - covered_relations()
    assert not missing, (
        f"New relations to a person: add them to SECTIONS or EXCLUDED in "
        f"vivier/privacy/export.py: {sorted(missing)}"
    )
    assert covered_relations() - user_relations() == set()


def test_the_export_holds_my_data(world):
    files = unzip(export_zip(world.me))
    data = {name: json.loads(text) for name, text in files.items() if name.endswith(".json")}
    assert data["accounts/account.json"]["email"] == "meline.export@example.test"
    assert data["people/profile.json"][0]["phone"] == "+33 1 23 45 67 89"
    assert {p["title"] for p in data["social/posts.json"]} == {"", "Avro ?"}
    assert [c["body"] for c in data["social/comments.json"]] == ["Merci pour ce retour !"]
    assert data["social/comments_mentioning_me.json"] == {"count": 0}
    assert data["social/posts_mentioning_me.json"] == {"count": 1}
    assert data["social/followers.json"] == {"count": 1}
    assert [e["skill__slug"] for e in data["people/endorsements_received.json"]] == ["python"]
    assert [e["skill__slug"] for e in data["people/endorsements_given.json"]] == ["python"]
    assert data["social/notifications.json"][0]["type"] == "comment"
    assert data["mentoring/as_mentee.json"][0]["message"] == "Je voudrais progresser en Python."
    assert [n["body"] for n in data["mentoring/notes.json"]] == ["Ma note privée"]
    assert data["opportunities/applications.json"][0]["message"] == "Motivée"
    assert data["programme/nominations_about_me.json"][0]["motivation"] == "Très solide"
    assert data["voice/ideas.json"][0]["title"] == "Potager"
    assert data["accounts/api_tokens.json"][0]["name"] == "laptop"
    assert {a["action"] for a in data["audit/about_me.json"]} >= {"hr.profile_edit.view"}
    assert "anonymous" in files["README.txt"]


def test_the_export_holds_no_one_elses_personal_data(world):
    text = "\n".join(unzip(export_zip(world.me)).values())
    for other in world.others:
        for value in (other.email, other.first_name, other.last_name, str(other.pk)):
            assert value not in text, f"{value!r} of another person is in the export"
        assert other.email.split("@")[0] not in text
    # Their free text, which names them, stays out too.
    for words in ("Barnabé", "Capucine", "Hortense", "signé", "Avis de", "Revue de"):
        assert words not in text


def test_export_page_and_api_are_mine_only_and_audited(world, client_for, client, token_for):
    assert client.get(reverse("privacy:export")).status_code == 302
    assert client.get("/api/v1/me/export").status_code == 401
    me = client_for(world.me)
    page = me.get(reverse("privacy:me"))
    assert page.status_code == 200 and reverse("privacy:export") in page.content.decode()
    response = me.get(reverse("privacy:export"))
    assert response["Content-Type"] == "application/zip"
    assert "meline.export@example.test" in unzip(response.content)["accounts/account.json"]
    api = client.get("/api/v1/me/export", **token_for(world.me))
    assert api.status_code == 200 and api["Content-Type"] == "application/zip"
    # Bob's export: his own post says "@meline.export" (his words, exported as written), but
    # nothing of mine comes from the data itself.
    other = "\n".join(
        unzip(client.get("/api/v1/me/export", **token_for(world.others[0])).content).values()
    )
    assert "@meline.export pour" in other
    for value in ("meline.export@example.test", "Exportée", "424242", "Ma note privée"):
        assert value not in other
    assert AuditEvent.objects.filter(action="privacy.export", actor=world.me).count() == 2
