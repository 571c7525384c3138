"""Integration for the demo company: the identity provider has provisioned everyone over SCIM
(identities, role groups, one group per top-level org unit), holds one SCIM token, and one
person has left the company, so their posts show them as such."""

import random
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from vivier.accounts.models import Role, User
from vivier.accounts.services import token_hash, user_deactivate
from vivier.integration.models import ScimGroup, ScimIdentity, ScimToken
from vivier.integration.scim.tokens import SCIM_TOKEN_PREFIX
from vivier.people.demo import ADMIN_EMAIL
from vivier.people.models import OrgUnit


class IntegrationDemoBuilder:
    """Builds SCIM identities, groups and a token, and one former employee."""

    def __init__(self, *, seed: int) -> None:
        self.rng = random.Random(seed)

    @transaction.atomic
    def build(self) -> dict[str, int]:
        """Create the demo's provisioning records; return counts."""
        admin = User.objects.filter(email=ADMIN_EMAIL).first()
        people = list(User.objects.filter(is_active=True).order_by("pk"))
        if admin is None or not people:
            return {"identities": 0, "groups": 0, "former": 0}
        now = timezone.now()
        # The token's secret is thrown away: the IdP of the demo does not really call.
        ScimToken.objects.create(
            name="Entra ID (production)",
            prefix=SCIM_TOKEN_PREFIX + "Xq3v9a",
            key_hash=token_hash(SCIM_TOKEN_PREFIX + secrets.token_urlsafe(32)),
            created_by=admin,
            last_used_at=now - timedelta(minutes=self.rng.randint(2, 40)),
        )
        existing = set(ScimIdentity.objects.values_list("user_id", flat=True))
        ScimIdentity.objects.bulk_create(
            [
                ScimIdentity(user=u, user_name=u.email, external_id=f"E{100000 + u.pk}")
                for u in people
                if u.pk not in existing
            ],
            batch_size=500,
        )
        groups = [
            ScimGroup(display_name=role.value, role=role.value)
            for role in (Role.HR_ADMIN, Role.IT_ADMIN)
            if not ScimGroup.objects.filter(role=role.value).exists()
        ]
        groups += [
            ScimGroup(display_name=unit.name, org_unit=unit, external_id=f"G-{unit.code}")
            for unit in OrgUnit.objects.filter(depth__lte=1, scim_group__isnull=True).order_by(
                "path"
            )
            if not ScimGroup.objects.filter(display_name__iexact=unit.name).exists()
        ]
        ScimGroup.objects.bulk_create(groups)
        # Someone who wrote posts and manages nobody has left: their posts stay, marked.
        leaver = (
            User.objects.filter(is_active=True, posts__isnull=False, direct_reports__isnull=True)
            .exclude(pk=admin.pk)
            .exclude(managed_units__isnull=False)
            .annotate(n=Count("posts"))
            .order_by("-n", "pk")
            .first()
        )
        if leaver is not None:
            user_deactivate(user=leaver, actor=admin)
        return {
            "identities": len(people) - len(existing),
            "groups": len(groups),
            "former": int(leaver is not None),
        }
