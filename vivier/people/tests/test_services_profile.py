"""Profile edits: who may change what, and bad input refused without half-saving."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from vivier.core.errors import ApplicationError, PermissionDenied
from vivier.people.models import OrgUnit, Profile
from vivier.people.selectors import profile_completeness
from vivier.people.services import (
    org_unit_save,
    profile_set_photo,
    profile_update,
    skill_declare,
)


def test_person_edits_own_profile_and_bio_is_sanitised(alice):
    profile = profile_update(
        actor=alice,
        person=alice,
        data={
            "title": "  Ingénieure data ",
            "bio": "Hello **world** <script>alert(1)</script> [x](javascript:alert(1))",
            "languages": ["FR", "en", "fr"],
            "availability_percent": 20,
        },
    )
    profile.refresh_from_db()
    assert profile.title == "Ingénieure data"
    assert "<strong>world</strong>" in profile.bio_html
    # Raw HTML is shown as text and dangerous links are not links.
    assert "<script" not in profile.bio_html and "&lt;script&gt;" in profile.bio_html
    assert 'href="javascript' not in profile.bio_html
    assert profile.languages == ["fr", "en"]
    assert profile.languages_text == ",fr,en,"
    assert "ingenieure data" in profile.search_text


def test_nobody_edits_someone_elses_profile(alice, bob):
    with pytest.raises(PermissionDenied):
        profile_update(actor=bob, person=alice, data={"title": "Hacked"})
    assert Profile.objects.get(user=alice).title == ""


def test_placement_is_for_hr_only(alice, hr_admin, make_unit):
    unit = make_unit("DSI")
    with pytest.raises(PermissionDenied) as exc:
        profile_update(actor=alice, person=alice, data={"org_unit": unit})
    assert exc.value.code == "placement_edit_denied"
    profile_update(actor=hr_admin, person=alice, data={"org_unit": unit, "manager": hr_admin})
    profile = Profile.objects.get(user=alice)
    assert profile.org_unit == unit and profile.manager == hr_admin


def test_manager_cycles_are_refused(alice, bob, hr_admin):
    profile_update(actor=hr_admin, person=bob, data={"manager": alice})
    with pytest.raises(ApplicationError) as exc:
        profile_update(actor=hr_admin, person=alice, data={"manager": bob})
    assert exc.value.code == "manager_cycle"
    with pytest.raises(ApplicationError) as exc:
        profile_update(actor=hr_admin, person=alice, data={"manager": alice})
    assert exc.value.code == "manager_self"
    assert Profile.objects.get(user=alice).manager is None


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"availability_percent": 101}, "availability_invalid"),
        ({"availability_percent": -5}, "availability_invalid"),
        ({"availability_percent": "50"}, "availability_invalid"),
        ({"languages": ["french"]}, "languages_invalid"),
        ({"languages": 12}, "languages_invalid"),
        ({"availability_status": "sleeping"}, "status_invalid"),
        ({"title": "x" * 161}, "field_too_long"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(alice, data, code):
    with pytest.raises(ApplicationError) as exc:
        profile_update(actor=alice, person=alice, data={"phone": "0102030405", **data})
    assert exc.value.code == code
    assert Profile.objects.get(user=alice).phone == ""


def _image_bytes(fmt: str = "PNG", size: tuple[int, int] = (800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_photo_is_reencoded_and_bounded(alice, fmt, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("me.exe", _image_bytes(fmt), content_type="application/x-msdos")
    profile = profile_set_photo(actor=alice, person=alice, upload=upload)
    with profile.photo.open("rb") as handle:
        image = Image.open(handle)
        assert image.format == "JPEG"
        assert max(image.size) <= settings.VIVIER_PHOTO_SIZE
    assert profile.photo.name.endswith(".jpg") and "me.exe" not in profile.photo.name


@pytest.mark.parametrize(
    "payload",
    [b"not an image at all", b"%PDF-1.4 fake", b"\x89PNG\r\n\x1a\n truncated", b""],
)
def test_non_images_are_refused(alice, payload, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("photo.png", payload, content_type="image/png")
    with pytest.raises(ApplicationError) as exc:
        profile_set_photo(actor=alice, person=alice, upload=upload)
    assert exc.value.code == "photo_not_image"
    assert not Profile.objects.get(user=alice).photo


def test_oversized_photo_is_refused(alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with override_settings(VIVIER_PHOTO_MAX_BYTES=1000):
        upload = SimpleUploadedFile("big.png", _image_bytes("PNG", (2000, 2000)))
        with pytest.raises(ApplicationError) as exc:
            profile_set_photo(actor=alice, person=alice, upload=upload)
    assert exc.value.code == "photo_too_large" and exc.value.status == 413


def test_decompression_bombs_are_refused(alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with override_settings(VIVIER_PHOTO_MAX_PIXELS=10_000):
        upload = SimpleUploadedFile("bomb.png", _image_bytes("PNG", (1000, 1000)))
        with pytest.raises(ApplicationError) as exc:
            profile_set_photo(actor=alice, person=alice, upload=upload)
    assert exc.value.code == "photo_too_many_pixels"


def test_org_unit_paths_follow_moves(make_unit, hr_admin):
    root = make_unit("ROOT")
    a = make_unit("A", parent=root)
    b = make_unit("B", parent=a)
    c = make_unit("C", parent=root)
    assert b.path == f"/{root.pk}/{a.pk}/{b.pk}/" and b.depth == 2
    a.parent = c
    org_unit_save(actor=hr_admin, unit=a)
    b.refresh_from_db()
    assert b.path == f"/{root.pk}/{c.pk}/{a.pk}/{b.pk}/" and b.depth == 3
    c.parent = b
    with pytest.raises(ApplicationError) as exc:
        org_unit_save(actor=hr_admin, unit=c)
    assert exc.value.code == "org_unit_cycle"
    assert OrgUnit.objects.get(pk=c.pk).parent_id == root.pk


def test_completeness_says_what_each_missing_part_brings(alice, python_skill):
    profile = Profile.objects.get(user=alice)
    empty = profile_completeness(profile=profile)
    assert empty.percent == 0
    assert {p.key for p in empty.missing} >= {"skills", "photo", "bio", "languages"}
    skill_declare(actor=alice, person=alice, skill_id=python_skill.pk, level=4)
    profile_update(actor=alice, person=alice, data={"title": "Dev", "languages": ["fr"]})
    profile.refresh_from_db()
    partial = profile_completeness(profile=profile)
    assert partial.percent == 20
    skills_part = next(p for p in partial.parts if p.key == "skills")
    assert not skills_part.done and "Python" in skills_part.benefit
