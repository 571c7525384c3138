"""Audit log and privacy for the demo company: a month of sign-ins and HR access, a legal hold,
and a former employee whose account was erased (their posts stay, under a pseudonym)."""

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from vivier.accounts.models import User
from vivier.audit.models import AuditEvent
from vivier.people.demo import ADMIN_EMAIL
from vivier.people.models import OrgUnit, Profile
from vivier.privacy.models import LegalHold
from vivier.privacy.services import legal_hold_set, person_erase

HOLD_REASON = (
    "Contentieux prud'homal en cours — dossier 2026-014 (conservation demandée par la DRH)"
)


class PrivacyDemoBuilder:
    """Writes plausible audit rows for the last 30 days, one legal hold and one erasure."""

    def __init__(self, *, seed: int, days: int = 30) -> None:
        self.rng = random.Random(seed)
        self.days = days

    def _ip(self) -> str:
        return (
            f"10.{self.rng.randint(10, 40)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"
        )

    def build(self) -> dict[str, int]:
        """Create the demo's audit rows, hold and erasure; return counts."""
        admin = User.objects.filter(email=ADMIN_EMAIL).first()
        people = list(User.objects.filter(is_active=True).exclude(email=ADMIN_EMAIL).order_by("id"))
        if admin is None or len(people) < 10:
            return {"audit_events": 0, "holds": 0, "erasures": 0}
        now = timezone.now()
        rows: list[AuditEvent] = []
        active = self.rng.sample(people, k=min(len(people), max(len(people) * 2 // 3, 1)))
        for person in active:
            ip = self._ip()
            for _ in range(self.rng.randint(1, 8)):
                at = now - timedelta(minutes=self.rng.randint(5, self.days * 24 * 60))
                rows.append(self._row(at, "auth.login", person.pk, ip, person.pk, "accounts.user"))
                if self.rng.random() < 0.04:
                    rows.append(
                        self._row(
                            at - timedelta(seconds=30),
                            "auth.login_failed",
                            None,
                            ip,
                            None,
                            "",
                            email=person.email,
                        )
                    )
        for email in ("admin@vivier.tset", "root@vivier.test", "test@vivier.test"):
            at = now - timedelta(minutes=self.rng.randint(60, self.days * 24 * 60))
            rows.append(
                self._row(at, "auth.login_failed", None, "185.220.101.7", None, "", email=email)
            )
        admin_ip = self._ip()
        for day in range(self.days):
            at = now - timedelta(days=day, hours=self.rng.randint(0, 8))
            if self.rng.random() < 0.3:
                rows.append(
                    self._row(
                        at, "hr.hidden_experts.view", admin.pk, admin_ip, None, "", format="html"
                    )
                )
            if self.rng.random() < 0.2:
                rows.append(
                    self._row(at, "hr.programme_dashboard.view", admin.pk, admin_ip, None, "")
                )
            if self.rng.random() < 0.15:
                person = self.rng.choice(people)
                rows.append(
                    self._row(
                        at, "hr.profile_edit.view", admin.pk, admin_ip, person.pk, "accounts.user"
                    )
                )
        for person in self.rng.sample(people, k=min(3, len(people))):
            at = now - timedelta(days=self.rng.randint(1, self.days))
            rows.append(
                self._row(at, "token.create", person.pk, self._ip(), person.pk, "accounts.apitoken")
            )
        rows.sort(key=lambda r: r.occurred_at)
        AuditEvent.objects.bulk_create(rows, batch_size=1000)
        # A legal hold, and a former employee erased with their content kept.
        # A former employee who managed nobody, so the org chart stays whole.
        managers = set(Profile.objects.exclude(manager=None).values_list("manager_id", flat=True))
        managers |= set(OrgUnit.objects.exclude(manager=None).values_list("manager_id", flat=True))
        plain = [p for p in people if p.pk not in managers]
        held, erased = plain[-1], plain[-2]
        legal_hold_set(actor=admin, person=held, reason=HOLD_REASON)
        person_erase(actor=admin, person=erased)
        return {
            "audit_events": AuditEvent.objects.count(),
            "holds": LegalHold.objects.count(),
            "erasures": 1,
        }

    def _row(
        self,
        at: Any,
        action: str,
        actor: Any,
        ip: str,
        target_user: Any,
        target_type: str,
        **details: Any,
    ) -> AuditEvent:
        return AuditEvent(
            occurred_at=at,
            action=action,
            actor_id=actor,
            actor_ip=ip,
            target_type=target_type,
            target_id=str(target_user or ""),
            target_user_id=target_user,
            details=details,
            request_id=f"{self.rng.getrandbits(128):032x}",
        )
