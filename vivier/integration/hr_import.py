"""HR import from a CSV file (French Excel or plain): org units, people, managers, in one go.

`hr_import_plan` reads and checks the whole file and says, line by line, what would change;
`hr_import_apply` applies a plan without errors in one transaction, through the people and
accounts services (so search indexing and activity events happen as for any other change).
"""

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.accounts.services import user_deactivate, user_reactivate
from vivier.core.errors import ApplicationError, PermissionDenied
from vivier.people.models import OrgUnit, Profile

COLUMNS = [
    "email",
    "first_name",
    "last_name",
    "job_title",
    "org_unit_path",
    "org_unit_code",
    "manager_email",
    "location",
    "language",
    "active",
]
TRUE_WORDS = {"1", "true", "yes", "oui", "vrai", "actif", "active", "o", "y"}
FALSE_WORDS = {"0", "false", "no", "non", "faux", "inactif", "inactive", "n"}
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass
class LineError:
    """One problem: the file line, the column concerned and what is wrong."""

    line: int
    column: str
    message: str


@dataclass
class Row:
    """What one line asks for and what would be done about it."""

    line: int
    email: str
    values: dict[str, str]
    action: str = "unchanged"  # create, update, unchanged
    changes: list[str] = field(default_factory=list)
    active: bool | None = None
    status_change: str = ""  # deactivate, reactivate


@dataclass
class Plan:
    """The dry run of a whole file."""

    rows: list[Row] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def count_create(self) -> int:
        return self.count("create")

    @property
    def count_update(self) -> int:
        return self.count("update")

    @property
    def deactivations(self) -> int:
        return sum(1 for r in self.rows if r.status_change == "deactivate")

    @property
    def reactivations(self) -> int:
        return sum(1 for r in self.rows if r.status_change == "reactivate")


def _decode(data: bytes, plan: Plan) -> str | None:
    if len(data) > MAX_BYTES:
        plan.errors.append(LineError(0, "", _("The file is larger than 5 MB.")))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        plan.errors.append(
            LineError(
                line,
                "",
                _("This line is not UTF-8 text. In Excel, save as “CSV UTF-8 (comma delimited)”."),
            )
        )
        return None


def _split_path(path: str) -> list[str]:
    return [part.strip() for part in path.replace(">", "/").split("/") if part.strip()]


def _unit_for_path(parts: list[str]) -> OrgUnit | None:
    """The existing unit at this path of names, or None."""
    parent: OrgUnit | None = None
    for name in parts:
        parent = OrgUnit.objects.filter(parent=parent, name__iexact=name).first()
        if parent is None:
            return None
    return parent


def _bool(value: str) -> bool | None:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def hr_import_plan(data: bytes) -> Plan:
    """Read and check the file; say what applying it would do, and what is wrong per line."""
    plan = Plan()
    text = _decode(data, plan)
    if text is None:
        return plan
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        plan.errors.append(LineError(1, "", _("The file is empty.")))
        return plan
    columns = [h.strip().lower().lstrip("\ufeff") for h in header]
    for name in columns:
        if name not in COLUMNS:
            plan.errors.append(
                LineError(1, name, _("Unknown column. Known columns: %s.") % ", ".join(COLUMNS))
            )
    if "email" not in columns:
        plan.errors.append(LineError(1, "email", _("The email column is required.")))
    if plan.errors:
        return plan

    seen: dict[str, int] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(plan.rows) >= MAX_ROWS:
                plan.errors.append(LineError(line, "", _("At most 20,000 lines per file.")))
                break
            if len(values) != len(columns):
                plan.errors.append(
                    LineError(
                        line,
                        "",
                        _("This line has %(got)s cells, the header has %(want)s.")
                        % {"got": len(values), "want": len(columns)},
                    )
                )
                continue
            row_values = {c: v.strip() for c, v in zip(columns, values, strict=True)}
            _check_row(plan, line, row_values, seen)
    except csv.Error as exc:
        plan.errors.append(LineError(reader.line_num, "", str(exc)))
    _check_managers(plan)
    _plan_changes(plan)
    return plan


def _check_row(plan: Plan, line: int, values: dict[str, str], seen: dict[str, int]) -> None:
    email = values.get("email", "").lower()
    errors_before = len(plan.errors)
    try:
        validate_email(email)
    except ValidationError:
        plan.errors.append(LineError(line, "email", _("“%s” is not an e-mail address.") % email))
    if email in seen:
        plan.errors.append(
            LineError(line, "email", _("This address is already on line %s.") % seen[email])
        )
    seen.setdefault(email, line)
    for column, limit in (
        ("first_name", 150),
        ("last_name", 150),
        ("job_title", 160),
        ("location", 120),
    ):
        if len(values.get(column, "")) > limit:
            plan.errors.append(LineError(line, column, _("At most %s characters.") % limit))
    language = values.get("language", "").lower()
    if language and language not in dict(settings.LANGUAGES):
        plan.errors.append(LineError(line, "language", _("Use fr or en.")))
    active = values.get("active", "")
    if active and _bool(active) is None:
        plan.errors.append(LineError(line, "active", _("Use oui/non (or 1/0, yes/no).")))
    code = values.get("org_unit_code", "")
    if code and values.get("org_unit_path"):
        plan.errors.append(
            LineError(line, "org_unit_code", _("Give org_unit_code or org_unit_path, not both."))
        )
    elif code and not OrgUnit.objects.filter(code=code).exists():
        plan.errors.append(LineError(line, "org_unit_code", _("No org unit has this code.")))
    path = _split_path(values.get("org_unit_path", ""))
    if any(len(part) > 200 for part in path):
        plan.errors.append(
            LineError(line, "org_unit_path", _("A unit name has at most 200 characters."))
        )
    manager = values.get("manager_email", "").lower()
    if manager and manager == email:
        plan.errors.append(
            LineError(line, "manager_email", _("A person cannot be their own manager."))
        )
    if len(plan.errors) == errors_before:
        plan.rows.append(Row(line=line, email=email, values=values))


def _check_managers(plan: Plan) -> None:
    """Unknown managers, and managers that would loop once the file is applied."""
    in_file = {row.email: row for row in plan.rows}
    existing = {email.lower(): pk for email, pk in User.objects.values_list("email", "pk")}
    # The reporting lines after the import: the file's, else what Vivier has.
    by_id = {pk: email for email, pk in existing.items()}
    final: dict[str, str] = {}
    for user_id, manager_id in Profile.objects.filter(manager__isnull=False).values_list(
        "user_id", "manager_id"
    ):
        if user_id in by_id and manager_id in by_id:
            final[by_id[user_id]] = by_id[manager_id]
    for row in plan.rows:
        manager = row.values.get("manager_email", "").lower()
        if "manager_email" not in row.values:
            continue
        if manager and manager not in in_file and manager not in existing:
            plan.errors.append(
                LineError(
                    row.line,
                    "manager_email",
                    _("No one has this e-mail, in the file or in Vivier."),
                )
            )
            continue
        if manager:
            final[row.email] = manager
        else:
            final.pop(row.email, None)
    for row in plan.rows:
        seen = {row.email}
        current = final.get(row.email)
        while current is not None:
            if current in seen:
                plan.errors.append(
                    LineError(
                        row.line,
                        "manager_email",
                        _("These managers report to one another in a loop."),
                    )
                )
                break
            seen.add(current)
            current = final.get(current)


def _plan_changes(plan: Plan) -> None:
    users = {
        u.email.lower(): u
        for u in User.objects.filter(email__in=[r.email for r in plan.rows]).select_related(
            "profile__org_unit", "profile__manager", "profile__location"
        )
    }
    new_units: set[str] = set()
    for row in plan.rows:
        values = row.values
        if values.get("active"):
            row.active = _bool(values["active"])
        path = _split_path(values.get("org_unit_path", ""))
        if path and _unit_for_path(path) is None:
            new_units.add(" / ".join(path))
        user = users.get(row.email)
        if user is None:
            row.action = "create"
            if row.active is False:
                row.status_change = "deactivate"
            continue
        profile = getattr(user, "profile", None)
        current = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "job_title": profile.title if profile else "",
            "manager_email": (profile.manager.email if profile and profile.manager else ""),
            "location": (profile.location.name if profile and profile.location else ""),
            "language": user.language,
        }
        if not values.get("language"):
            current.pop("language")  # an empty language cell keeps the person's choice
        for column, old in current.items():
            if column in values and values[column].lower() != (old or "").lower():
                row.changes.append(column)
        if "org_unit_code" in values or "org_unit_path" in values:
            unit = (
                OrgUnit.objects.filter(code=values["org_unit_code"]).first()
                if values.get("org_unit_code")
                else _unit_for_path(path)
                if path
                else None
            )
            old_unit = profile.org_unit if profile else None
            if (unit is None and (path or old_unit)) or (unit is not None and unit != old_unit):
                row.changes.append("org_unit")
        if row.active is False and user.is_active:
            row.status_change = "deactivate"
        elif row.active is True and not user.is_active:
            row.status_change = "reactivate"
        row.action = "update" if row.changes else "unchanged"
    plan.new_units = sorted(new_units)


def _unit_for_path_create(parts: list[str], actor: User) -> OrgUnit:
    from vivier.integration.scim.services import unit_code_for
    from vivier.people.services import org_unit_save

    parent: OrgUnit | None = None
    for name in parts:
        unit = OrgUnit.objects.filter(parent=parent, name__iexact=name).first()
        if unit is None:
            unit = org_unit_save(
                actor=actor, unit=OrgUnit(name=name, code=unit_code_for(name), parent=parent)
            )
        parent = unit
    assert parent is not None
    return parent


@transaction.atomic
def hr_import_apply(*, actor: User, data: bytes) -> Plan:
    """Apply the file in one transaction; refuse (ApplicationError) when the dry run has errors."""
    from vivier.people.services import location_get_or_create, person_create, profile_update

    if not is_hr_admin(actor):
        raise PermissionDenied("hr_import_denied", _("Only HR administrators import HR files."))
    plan = hr_import_plan(data)
    if plan.errors:
        raise ApplicationError("hr_import_errors", _("The file has errors: nothing was imported."))
    users: dict[str, User] = {
        u.email.lower(): u for u in User.objects.filter(email__in=[r.email for r in plan.rows])
    }
    # People and placements first; managers once everyone exists, cleared first so that a
    # reporting line turned around in the file never loops half-way.
    for row in plan.rows:
        values = row.values
        user = users.get(row.email)
        if user is None:
            user = person_create(
                email=row.email,
                first_name=values.get("first_name", ""),
                last_name=values.get("last_name", ""),
                language=values.get("language", "").lower() or settings.LANGUAGE_CODE,
            )
            users[row.email] = user
        elif values.get("language") and user.language != values["language"].lower():
            user.language = values["language"].lower()
            user.save(update_fields=["language"])
        data_: dict[str, Any] = {}
        for column, key in (
            ("first_name", "first_name"),
            ("last_name", "last_name"),
            ("job_title", "title"),
        ):
            if column in values:
                data_[key] = values[column]
        if "location" in values:
            data_["location"] = (
                location_get_or_create(name=values["location"]) if values["location"] else None
            )
        if values.get("org_unit_code"):
            data_["org_unit"] = OrgUnit.objects.get(code=values["org_unit_code"])
        elif "org_unit_path" in values:
            path = _split_path(values["org_unit_path"])
            data_["org_unit"] = _unit_for_path_create(path, actor) if path else None
        if "manager_email" in values:
            data_["manager"] = None
        profile_update(actor=actor, person=user, data=data_)
    for row in plan.rows:
        manager = row.values.get("manager_email", "").lower()
        if manager:
            manager_user = users.get(manager) or User.objects.get(email__iexact=manager)
            profile_update(actor=actor, person=users[row.email], data={"manager": manager_user})
    for row in plan.rows:
        user = users[row.email]
        if row.active is False and user.is_active:
            user_deactivate(user=user, actor=actor)
        elif row.active is True and not user.is_active:
            user_reactivate(user=user, actor=actor)
    return plan
