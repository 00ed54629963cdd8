"""python manage.py loaddemo [--password PW] — idempotent: a second run changes nothing and says so."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import models, transaction

from nominations import demo_data as demo
from nominations.access import ROLE_PERMS, UNIT_LEVEL
from nominations.documents.certificate import default_layout
from nominations.models import (
    AnnualRating,
    Award,
    AwardRecord,
    AwardRule,
    BaseSalary,
    Campaign,
    Case,
    CertificateLayout,
    Commitment,
    Initiative,
    Nomination,
    OrgUnit,
    Person,
    Role,
    Submission,
)

DEFAULT_PASSWORD = "ThiDua@2023"
ADMIN_MODELS = [
    "orgunit",
    "person",
    "award",
    "awardrule",
    "campaign",
    "commitment",
    "awardrecord",
    "annualrating",
    "initiative",
    "case",
    "basesalary",
    "target",
    "scoringrule",
    "review",
    "certificatelayout",
    "certificateprintsettings",
]


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa của Cục Thống kê tỉnh Ninh Thuận (chạy lại không thay đổi gì)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="Mật khẩu cho mọi tài khoản minh họa (mặc định: %(default)s).",
        )
        parser.add_argument(
            "--reference-only",
            action="store_true",
            help="Chỉ nạp các vai trò (nhóm quyền), danh mục danh hiệu với quy định và lương cơ sở; không tạo "
            "đơn vị, cán bộ, phong trào minh họa (dùng khi cài đặt máy chủ thật, xem docs/operations.md).",
        )

    def handle(self, *args: Any, password: str, reference_only: bool = False, **options: Any) -> None:
        self.changes = 0
        if reference_only:
            with transaction.atomic():
                self._reference()
            self.stdout.write(f"Đã nạp vai trò, danh mục danh hiệu và lương cơ sở: {self.changes} thay đổi.")
            return
        with transaction.atomic():
            self._load(password)
        self._demo_signing_keys()
        if self.changes:
            self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu minh họa: {self.changes} thay đổi."))
        else:
            self.stdout.write("Dữ liệu minh họa đã đầy đủ: không có thay đổi nào.")
        self.stdout.write(f"Mật khẩu của mọi tài khoản minh họa: {password}")
        self.stdout.write(
            "Tài khoản: admin, director, deputy, office1, office2, secretary, auditor, council1…council7,"
            " head-<mã đơn vị>, staff-<mã đơn vị>-<n> (mã: "
            + ", ".join(code for code, *_ in demo.UNITS)
            + ")"
        )

    # -- (certsign) certificates and demo signing keys ---------------------------------------------------
    def _certificate_layouts(self, awards: dict[str, Award]) -> None:
        """The shipped certificate layouts, only where the administrator has made none (theirs are kept)."""
        for award in awards.values():
            if not CertificateLayout.objects.filter(award=award).exists():
                title, lines = default_layout(award.code, award.name)
                CertificateLayout.objects.create(award=award, title=title, lines=lines)
                self.changes += 1

    def _demo_signing_keys(self) -> None:
        """A DEMO CA and keys (Director, Deputy, the organisation) so the demo's decisions are signed."""
        out = io.StringIO()
        call_command("make_demo_signing_keys", stdout=out)
        self.stdout.write(out.getvalue().strip())

    # -- helpers -------------------------------------------------------------------------------------
    def _upsert(self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model._default_manager.create(**lookup, **values)
            self.changes += 1
            return obj
        dirty = [name for name, value in values.items() if getattr(obj, name) != value]
        if dirty:
            for name in dirty:
                setattr(obj, name, values[name])
            obj.save(update_fields=dirty)
            self.changes += 1
        return obj

    def _set_m2m(self, manager: Any, objects: list[Any]) -> None:
        current = set(manager.values_list("pk", flat=True))
        wanted = {obj.pk for obj in objects}
        if current != wanted:
            manager.set(objects)
            self.changes += 1

    # -- the data ------------------------------------------------------------------------------------
    def _reference(self) -> tuple[dict[Role, Group], dict[str, Award]]:
        """What every installation needs, demo or not: the role groups and their rights, the award catalogue
        with its rules (the legal defaults of DOMAIN.md), the base salary."""
        groups = {role: self._upsert(Group, {"name": role.value}, {}) for role in Role}
        self._role_rights(groups)
        awards = self._awards()
        self._award_statistics(awards)
        self._certificate_layouts(awards)
        for amount, start, basis in demo.BASE_SALARIES:
            self._upsert(BaseSalary, {"effective_from": start}, {"amount": amount, "legal_basis": basis})
        return groups, awards

    def _load(self, password: str) -> None:
        groups, awards = self._reference()
        units = self._units()
        people = self._people(units, groups, password)
        self._campaigns(units)
        for username, code, year, number in demo.HISTORY:
            self._upsert(
                AwardRecord,
                {"person": people[username], "award": awards[code], "year": year},
                {"decision_number": number},
            )
        for username, title, year in demo.INITIATIVES:
            self._upsert(
                Initiative,
                {"person": people[username], "title": title},
                {"year": year, "recognised": True, "recognised_by": "Hội đồng sáng kiến Cục Thống kê"},
            )
        for username, person in people.items():
            if person.unit_id is not None:
                self._upsert(
                    AnnualRating,
                    {"person": person, "year": demo.RATING_YEAR},
                    {"rating": demo.RATINGS.get(username, demo.RATING_DEFAULT)},
                )
        for username, kind, description, opened in demo.OPEN_CASES:
            self._upsert(
                Case,
                {"person": people[username], "kind": kind, "opened_on": opened},
                {"description": description, "closed_on": None},
            )
        self._commitments(units, people, awards)
        self._targets(units, people)
        self._statistics(units, people, awards)
        self._award_methods(units, people, awards)
        self._submissions(units, people)

    def _targets(self, units: dict[str, OrgUnit], people: dict[str, Person]) -> None:
        from nominations import demo_targets

        annual = Campaign.objects.get(kind=Campaign.Kind.ANNUAL, name=demo.ANNUAL)
        heads = {code: people[f"head-{code}"] for code in units if f"head-{code}" in people}
        demo_targets.load(self._upsert, annual, units, heads)

    def _role_rights(self, groups: dict[Role, Group]) -> None:
        """Each role group's permissions: the administrator's and the auditor's in the admin, and the
        actions a role holds on every nomination (`ROLE_PERMS`, read by `nominations.access`)."""
        nomination_type = ContentType.objects.get_for_model(Nomination)
        nomination_perms = Permission.objects.filter(content_type=nomination_type)
        manage = Permission.objects.filter(
            content_type__app_label="nominations", content_type__model__in=ADMIN_MODELS
        ).exclude(content_type__model="orgunit", codename__in=UNIT_LEVEL)  # held per unit, not globally
        manage = manage | Permission.objects.filter(
            content_type__app_label="auth", codename__endswith="_group"
        )
        # Auditors read reference data and the log in the admin; nominations through their role's right.
        read = Permission.objects.filter(
            content_type__app_label__in=["nominations", "workflow"], codename__startswith="view_"
        ).exclude(codename="view_nomination")
        for role, group in groups.items():
            if role == Role.ADMINISTRATOR:
                others = list(manage)
            elif role == Role.AUDITOR:
                others = list(read)
            else:  # a role's other permissions are the installation's own
                others = list(group.permissions.exclude(content_type=nomination_type))
            wanted = list(nomination_perms.filter(codename__in=ROLE_PERMS.get(role, ())))
            self._set_m2m(group.permissions, others + wanted)

    def _units(self) -> dict[str, OrgUnit]:
        code, name, short, kind = demo.OFFICE
        office = self._upsert(
            OrgUnit,
            {"code": code},
            {"name": name, "short_name": short, "kind": kind, "parent": None, "order": 0},
        )
        units = {code: office}
        for order, (code, name, short, kind) in enumerate(demo.UNITS, start=1):
            units[code] = self._upsert(
                OrgUnit,
                {"code": code},
                {"name": name, "short_name": short, "kind": kind, "parent": office, "order": order},
            )
        return units

    def _person(
        self,
        username: str,
        full_name: str,
        unit: OrgUnit,
        position: str,
        roles: list[str],
        groups: dict[Role, Group],
        password: str,
    ) -> Person:
        person = self._upsert(
            Person,
            {"username": username},
            {
                "full_name": full_name,
                "unit": unit,
                "position": position,
                "email": f"{username}@thongke-ninhthuan.example",
                "is_staff": Role.ADMINISTRATOR in roles or Role.AUDITOR in roles,
            },
        )
        if not person.has_usable_password() or not person.check_password(password):
            person.set_password(password)
            person.save(update_fields=["password"])
            self.changes += 1
        person.forget_roles()
        missing = [groups[Role(r)] for r in roles if r not in person.role_codes]
        if missing:
            person.groups.add(*missing)
            self.changes += 1
        return person

    def _people(
        self, units: dict[str, OrgUnit], groups: dict[Role, Group], password: str
    ) -> dict[str, Person]:
        people: dict[str, Person] = {}
        for username, full_name, unit, position, roles in demo.PEOPLE:
            people[username] = self._person(
                username, full_name, units[unit], position, roles, groups, password
            )
        names = iter(demo.STAFF_NAMES)
        for code, *_rest in demo.UNITS:
            head_position = "Chi cục trưởng" if units[code].kind == OrgUnit.Kind.BRANCH else "Trưởng phòng"
            people[f"head-{code}"] = self._person(
                f"head-{code}",
                demo.HEAD_NAMES[code],
                units[code],
                head_position,
                [Role.UNIT_HEAD],
                groups,
                password,
            )
            for n in range(1, demo.STAFF_PER_UNIT + 1):
                username = f"staff-{code}-{n}"
                people[username] = self._person(
                    username, next(names), units[code], "Công chức", [], groups, password
                )
        return people

    def _awards(self) -> dict[str, Award]:
        awards = {
            code: self._upsert(
                Award, {"code": code}, {"name": name, "kind": kind, "recipient": recipient, "order": order}
            )
            for code, name, kind, recipient, order in demo.AWARDS
        }
        for code, (article, fields) in demo.RULES.items():
            for start, end, decree in demo.RULE_PERIODS:
                values = dict(fields)
                for key in ("same_year_prerequisite", "prior_award", "member_award", "member_distinction"):
                    if key in values:
                        values[key] = awards[str(values[key])]
                basis = article.format(decree=decree)
                if "{decree}" not in article:
                    basis = f"{article}; {decree}"
                self._upsert(
                    AwardRule,
                    {"award": awards[code], "effective_from": start},
                    {**values, "effective_to": end, "legal_basis": basis},
                )
        return awards

    def _campaigns(self, units: dict[str, OrgUnit]) -> None:
        plan = {
            "theme": demo.THEME,
            "motto": demo.MOTTO,
            "plan_number": "/KH-CTK",
            "plan_date": demo.D0(2023, 1, 16),
        }
        members = [u for code, u in units.items() if code != "ctk"]
        annual = self._upsert(
            Campaign,
            {"name": demo.ANNUAL, "kind": Campaign.Kind.ANNUAL},
            {
                **plan,
                "starts_on": demo.D0(2023, 1, 1),
                "ends_on": demo.D0(2023, 12, 31),
                "parent": None,
                "commitment_deadline": demo.D0(2023, 2, 15),
            },
        )
        self._set_m2m(annual.units, members)
        for name, start, end in demo.PHASES:
            phase = self._upsert(
                Campaign,
                {"name": name, "kind": Campaign.Kind.PHASE},
                {**plan, "starts_on": start, "ends_on": end, "parent": annual},
            )
            self._set_m2m(phase.units, members)
        for name, end, notice in demo.THEMATIC:
            thematic = self._upsert(
                Campaign,
                {"name": f"Phong trào thi đua “{name}”", "kind": Campaign.Kind.THEMATIC},
                {
                    **plan,
                    "starts_on": demo.D0(2023, 1, 1),
                    "ends_on": end,
                    "parent": annual,
                    "notice_days": notice,
                },
            )
            self._set_m2m(thematic.units, members)

    def _submissions(self, units: dict[str, OrgUnit], people: dict[str, Person]) -> None:
        """One unit submission (hồ sơ đề nghị của đơn vị, still being prepared) per unit with a head, for the
        second phase of the year: its list is empty, ready for the unit head to fill or import."""
        phase = Campaign.objects.filter(kind=Campaign.Kind.PHASE, name=demo.PHASES[1][0]).first()
        if phase is None:
            return
        for code, unit in units.items():
            head = people.get(f"head-{code}")
            if head is not None:
                self._upsert(Submission, {"unit": unit, "campaign": phase}, {"created_by": head})

    def _commitments(
        self, units: dict[str, OrgUnit], people: dict[str, Person], awards: dict[str, Award]
    ) -> None:
        annual = Campaign.objects.get(kind=Campaign.Kind.ANNUAL, name=demo.ANNUAL)
        # Most units registered at the start of the year; two have not (the office's page shows them).
        for code in ["tchc", "tkth", "tkkt", "tkxh", "prtc", "nhtb", "nptn"]:
            head = people[f"head-{code}"]
            self._upsert(
                Commitment,
                {"campaign": annual, "unit": units[code], "person": None, "award": awards["TTLDTT"]},
                {"registered_by": head},
            )
            for n in range(1, demo.STAFF_PER_UNIT + 1):
                self._upsert(
                    Commitment,
                    {
                        "campaign": annual,
                        "unit": units[code],
                        "person": people[f"staff-{code}-{n}"],
                        "award": awards["LDTT"],
                    },
                    {"registered_by": head},
                )
            self._upsert(
                Commitment,
                {
                    "campaign": annual,
                    "unit": units[code],
                    "person": people[f"staff-{code}-1"],
                    "award": awards["CSTDCS"],
                },
                {"registered_by": head},
            )

    # -- the statistics of TT 02/2023/TT-BNV -----------------------------------------------------------
    def _award_statistics(self, awards: dict[str, Award]) -> None:
        for code, category in demo.AWARD_STATISTICS.items():
            self._upsert(Award, {"pk": awards[code].pk}, {"statistics_category": category})

    def _award_methods(
        self, units: dict[str, OrgUnit], people: dict[str, Person], awards: dict[str, Award]
    ) -> None:
        """A few of the province's awards of 2023 by each method of award (biểu 0603.N rows 11–17)."""
        for kind, key, code, number, day, method in demo.STATISTICS_METHOD_HISTORY:
            nominee = (
                {"person": people[key], "unit": None}
                if kind == "person"
                else {"person": None, "unit": units[key]}
            )
            self._upsert(
                AwardRecord,
                {**nominee, "award": awards[code], "year": demo.STATISTICS_HISTORY_YEAR},
                {"decision_number": number, "decision_date": day, "method": method},
            )

    def _statistics(
        self, units: dict[str, OrgUnit], people: dict[str, Person], awards: dict[str, Award]
    ) -> None:
        """Who launched the demo's campaigns, who leads, and the awards of 2023 decided above the office."""
        for name, (level, scope) in demo.THEMATIC_LEVELS.items():
            campaign = Campaign.objects.get(name=f"Phong trào thi đua “{name}”", kind=Campaign.Kind.THEMATIC)
            self._upsert(Campaign, {"pk": campaign.pk}, {"launched_level": level, "scope": scope})
        categories = {username: demo.LEADER_CATEGORY for username in demo.LEADERS}
        categories.update({f"head-{code}": demo.HEAD_CATEGORY for code, *_rest in demo.UNITS})
        for username, category in categories.items():
            self._upsert(Person, {"pk": people[username].pk}, {"statistics_category": category})
        for kind, key, code, number, day in demo.STATISTICS_HISTORY:
            nominee = (
                {"person": people[key], "unit": None}
                if kind == "person"
                else {"person": None, "unit": units[key]}
            )
            self._upsert(
                AwardRecord,
                {**nominee, "award": awards[code], "year": demo.STATISTICS_HISTORY_YEAR},
                {"decision_number": number, "decision_date": day},
            )
