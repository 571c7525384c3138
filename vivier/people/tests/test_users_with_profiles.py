"""users_with_profiles() loads what the ORM's select_related loads, in one statement."""

import pytest
from django.contrib.auth import get_user_model

from vivier.accounts.models import User
from vivier.people.models import Location, OrgUnit, Profile
from vivier.people.selectors import PERSON_CARD_FIELDS, users_with_profiles
from vivier.people.services import profile_update


def _same(model, got, expected):
    for field in model._meta.concrete_fields:
        assert getattr(got, field.attname) == getattr(expected, field.attname), field.name
        assert type(getattr(got, field.attname)) is type(getattr(expected, field.attname))


def test_users_with_profiles_matches_select_related(
    make_person, make_unit, hr_admin, django_assert_num_queries
):
    dsi = make_unit("DSI", "DSI")
    lyon = Location.objects.create(name="Lyon", city="Lyon", country="FR")
    both = make_person(first_name="Zoé", last_name="Éloïse")
    unit_only = make_person()
    bare = make_person()
    profile_update(actor=hr_admin, person=both, data={"org_unit": dsi})
    profile_update(
        actor=both,
        person=both,
        data={"location": lyon, "languages": ["fr", "en"], "bio": "**Sécurité** réseau"},
    )
    profile_update(actor=hr_admin, person=unit_only, data={"org_unit": dsi})
    unit_only.is_active = False
    unit_only.save()
    no_profile = get_user_model().objects.create_user(email="scim@example.test", password="x" * 12)
    Profile.objects.filter(user=no_profile).delete()
    ids = [both.pk, unit_only.pk, bare.pk, no_profile.pk, 999_999]

    expected = User.objects.select_related(
        "profile", "profile__org_unit", "profile__location"
    ).in_bulk(ids)
    with django_assert_num_queries(1):
        got = users_with_profiles(ids)
        # Everything select_related loads is read without a further query.
        for user in got.values():
            profile = getattr(user, "profile", None)
            if profile is not None:
                assert profile.user is user
                _unit, _place = profile.org_unit, profile.location
    assert set(got) == set(expected) == {both.pk, unit_only.pk, bare.pk, no_profile.pk}
    for pk, user in got.items():
        _same(User, user, expected[pk])
        if pk == no_profile.pk:
            with pytest.raises(Profile.DoesNotExist):
                user.profile  # noqa: B018 (the same error as the ORM's)
            continue
        _same(Profile, user.profile, expected[pk].profile)
        for name, model in (("org_unit", OrgUnit), ("location", Location)):
            related, wanted = getattr(user.profile, name), getattr(expected[pk].profile, name)
            assert (related is None) == (wanted is None)
            if related is not None:
                _same(model, related, wanted)
    assert got[both.pk].profile.location.name == "Lyon"
    assert got[both.pk].profile.languages == ["fr", "en"]
    assert got[unit_only.pk].is_active is False and got[unit_only.pk].profile.location is None
    assert got[bare.pk].profile.org_unit is None
    assert users_with_profiles([]) == {}


def test_card_loads_the_card_fields_only(
    make_person, make_unit, hr_admin, django_assert_num_queries
):
    """With card=True: the card's fields as the ORM has them, the rest deferred; reading what a
    card or a notification reads costs no further query."""
    dsi = make_unit("DSI", "DSI")
    lyon = Location.objects.create(name="Lyon", city="Lyon", country="FR")
    person = make_person(first_name="Zoé", last_name="Éloïse")
    profile_update(actor=hr_admin, person=person, data={"org_unit": dsi})
    profile_update(actor=person, person=person, data={"location": lyon, "bio": "**Bière**"})
    expected = User.objects.select_related("profile", "profile__org_unit", "profile__location").get(
        pk=person.pk
    )
    with django_assert_num_queries(1):
        got = users_with_profiles([person.pk], card=True)[person.pk]
        profile = got.profile
        shown = (got.get_full_name(), got.initials, got.language, got.is_active, got.is_staff)
        shown += (profile.title, profile.photo.name, profile.expert_level)
        shown += (profile.availability_status, profile.org_unit.name, profile.location.name)
    assert shown[0] == "Zoé Éloïse" and shown[-2:] == ("DSI", "Lyon")
    pairs = [
        (User, got, expected),
        (Profile, got.profile, expected.profile),
        (OrgUnit, got.profile.org_unit, expected.profile.org_unit),
        (Location, got.profile.location, expected.profile.location),
    ]
    for model, loaded, wanted in pairs:
        card = {model._meta.get_field(name).attname for name in PERSON_CARD_FIELDS[model]}
        every = {f.attname for f in model._meta.concrete_fields}
        assert loaded.get_deferred_fields() == every - card
        for attname in card:
            assert getattr(loaded, attname) == getattr(wanted, attname), attname
    # A deferred field is still there, at the cost of a query.
    with django_assert_num_queries(1):
        assert got.profile.bio == "**Bière**"
