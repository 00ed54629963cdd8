from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of DOMAIN.md. Each is a Django group of the same name; a person can hold several."""

    UNIT_HEAD = "unit_head", _("Trưởng đơn vị")
    OFFICE_STAFF = "office_staff", _("Phòng Tổ chức - Hành chính")
    COUNCIL_MEMBER = "council_member", _("Thành viên Hội đồng TĐKT")
    COUNCIL_SECRETARY = "council_secretary", _("Thư ký Hội đồng")
    COUNCIL_CHAIR = "council_chair", _("Chủ tịch Hội đồng")
    DIRECTOR = "director", _("Cục trưởng")
    DEPUTY_DIRECTOR = "deputy_director", _("Phó Cục trưởng")
    AUDITOR = "auditor", _("Kiểm tra, thanh tra")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        OFFICE = "office", _("Cục")
        DEPARTMENT = "department", _("Phòng thuộc Cục")
        BRANCH = "branch", _("Chi cục Thống kê")

    code = models.SlugField(_("mã đơn vị"), max_length=32, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["order", "code"]
        # Rights on the unit's nominations, held by the unit's heads group as an object permission on the
        # unit (issue 17). Named as the nomination's own permissions (`nominations.access.UNIT_LEVEL`).
        permissions = [
            ("view_nomination", _("Xem hồ sơ đề nghị của đơn vị")),
            ("change_nomination", _("Sửa hồ sơ đề nghị của đơn vị")),
            ("submit_nomination", _("Gửi, gửi lại, rút hồ sơ đề nghị của đơn vị")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def heads_group_name(self) -> str:
        return f"unit:{self.code}:heads"

    def heads_group(self) -> Group:
        """The group that holds this unit's rights for its head(s), on the unit itself.

        Grants go to the group, not to the person, so replacing a unit head is one change of
        membership and never leaves a former head holding rights on the unit's nominations.
        """
        group, _created = Group.objects.get_or_create(name=self.heads_group_name)
        return group


class PersonCategory(models.TextChoices):
    """The rows of individuals in biểu 0602.N and 0603.N of TT 02/2023/TT-BNV."""

    MINISTRY_LEADER = "ministry_leader", _("Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên")
    DEPARTMENT_LEADER = "department_leader", _("Lãnh đạo cấp vụ, sở, ngành và tương đương")
    ENTREPRENEUR = "entrepreneur", _("Doanh nhân")
    OTHER_LEADER = "other_leader", _("Các cấp lãnh đạo khác từ phó phòng trở lên")
    WORKER = "worker", _("Người trực tiếp công tác, lao động (công nhân, nông dân…)")


class Person(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    statistics_category = models.CharField(
        _("đối tượng thống kê"),
        max_length=20,
        choices=PersonCategory.choices,
        default=PersonCategory.WORKER,
        help_text=_("Dòng cá nhân của biểu thống kê khen thưởng (TT 02/2023/TT-BNV)."),
    )

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["unit__order", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    # Set by `nominations.access.watch_rights` (the app's `ready`): reads what the person holds with their
    # roles, in one query. A hook, not an import: `nominations.access` imports these models.
    read_rights_with_roles: ClassVar[Callable[[Any], None] | None] = None

    @property
    def role_codes(self) -> set[str]:
        cached = getattr(self, "_role_codes", None)
        prefetched = "groups" in getattr(self, "_prefetched_objects_cache", {})
        reader = Person.read_rights_with_roles
        if cached is None and self.pk is not None and not prefetched and reader is not None:
            # Read with what the person holds (one query, kept for the request), which pages read anyway.
            reader(self)
            cached = getattr(self, "_role_codes", None)
        if cached is None:
            values = set(Role.values)
            cached = {g.name for g in self.groups.all() if g.name in values}
            self._role_codes = cached
        return cached

    def forget_roles(self) -> None:
        self.__dict__.pop("_role_codes", None)

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_codes


class Case(models.Model):
    """A pending discipline, investigation, inspection or complaint about a person or a unit.

    While one is open, the nominee cannot be proposed for an award (ND152 Art. 4).
    """

    class Kind(models.TextChoices):
        DISCIPLINE = "discipline", _("kỷ luật")
        INVESTIGATION = "investigation", _("điều tra")
        INSPECTION = "inspection", _("thanh tra, kiểm tra")
        COMPLAINT = "complaint", _("khiếu nại, tố cáo")

    class DisciplineLevel(models.TextChoices):
        REPRIMAND = "khien_trach", _("khiển trách")
        WARNING = "canh_cao", _("cảnh cáo")
        HIGHER = "cao_hon", _("cao hơn cảnh cáo")

        @classmethod
        def from_level(cls, level: str) -> list[str]:
            """`level` and every heavier one (the choices run from the lightest)."""
            values = list(cls.values)
            return values[values.index(level) :]

    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("cá nhân"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cases",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("tập thể"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cases",
    )
    discipline_level = models.CharField(
        _("hình thức kỷ luật"), max_length=16, choices=DisciplineLevel.choices, blank=True
    )
    description = models.TextField(_("nội dung"), blank=True)
    opened_on = models.DateField(_("ngày bắt đầu"))
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("vụ việc (kỷ luật, thanh tra, khiếu nại)")
        verbose_name_plural = _("vụ việc (kỷ luật, thanh tra, khiếu nại)")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, unit__isnull=True)
                | models.Q(person__isnull=True, unit__isnull=False),
                name="case_about_person_xor_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person or self.unit}"
