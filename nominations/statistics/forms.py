"""The three forms of TT 02/2023/TT-BNV's statistics of emulation and commendation, as data.

Each form has lettered columns (A: the indicator, B: its code, C: its unit of measure) and numbered
columns of figures; a total row or column names the parts it is the sum of, so the totals can be
checked (1 = 2 + 3 …). Labels are Vietnamese, as the circular prints them; see docs/documents.md for what
was taken from the circular and what follows the structure of issue #16.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CIRCULAR = "Thông tư số 02/2023/TT-BNV ngày 23 tháng 3 năm 2023 của Bộ trưởng Bộ Nội vụ"
RECEIVED_ON = "15/12"


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    number: int
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnGroup:
    """A heading over several numbered columns ("Chia theo hình thức khen thưởng")."""

    label: str | Promise
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    code: str
    label: str | Promise
    unit_of_measure: str | Promise
    parts: tuple[str, ...] = ()
    indent: int = 0
    # Other sets of rows that add up to this total too (0601.N: by scope, by duration, by method).
    also: tuple[tuple[str, ...], ...] = ()
    # The heading of the breakdown this row opens ("1. Chia theo phạm vi tổ chức thi đua").
    section: str | Promise = ""


@dataclass(frozen=True)
class FormSpec:
    code: str
    form: str
    title: str | Promise
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    groups: tuple[ColumnGroup, ...] = field(default=())

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def row(self, code: str) -> Row:
        return next(r for r in self.rows if r.code == code)

    @property
    def leaf_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.parts)

    @property
    def leaf_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if not r.parts)


def _sum_label(number: int, parts: tuple[int, ...]) -> str:
    return f"{number}={'+'.join(str(p) for p in parts)}"


# --- 0601.N: số phong trào thi đua --------------------------------------------------------------------
SCOPE_ROWS = ("02", "03", "04", "05")
DURATION_ROWS = ("06", "07", "08", "09", "10")
METHOD_ROWS = ("11", "12")
CAMPAIGNS = FormSpec(
    code="0601",
    form="0601.N/BNV-TĐKT",
    title=_("Số phong trào thi đua"),
    columns=(
        Column("total", _("Tổng số"), 1, parts=("central", "ministry_province", "agency")),
        Column("central", _("Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)"), 2),
        Column(
            "ministry_province",
            _("Cấp bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương"),
            3,
        ),
        Column("agency", _("Cơ quan, tổ chức, đơn vị"), 4),
    ),
    groups=(
        ColumnGroup(
            _("Số phong trào thi đua chia theo cấp chủ trì phát động thi đua"),
            ("central", "ministry_province", "agency"),
        ),
    ),
    rows=(
        Row("01", _("Tổng số"), _("Phong trào"), parts=SCOPE_ROWS, also=(DURATION_ROWS, METHOD_ROWS)),
        Row(
            "02", _("Toàn quốc"), _("Phong trào"), indent=1, section=_("1. Chia theo phạm vi tổ chức thi đua")
        ),
        Row("03", _("Bộ, ban, ngành, đoàn thể, địa phương"), _("Phong trào"), indent=1),
        Row(
            "04",
            _("Cụm, khối thi đua do Hội đồng Thi đua - Khen thưởng các cấp tổ chức"),
            _("Phong trào"),
            indent=1,
        ),
        Row("05", _("Cơ quan, tổ chức, đơn vị"), _("Phong trào"), indent=1),
        Row("06", _("Dưới 1 năm"), _("Phong trào"), indent=1, section=_("2. Chia theo thời hạn thi đua")),
        Row("07", _("1 năm"), _("Phong trào"), indent=1),
        Row("08", _("Từ 1 năm đến dưới 3 năm"), _("Phong trào"), indent=1),
        Row("09", _("Từ 3 năm đến dưới 5 năm"), _("Phong trào"), indent=1),
        Row("10", _("Từ 5 năm trở lên"), _("Phong trào"), indent=1),
        Row(
            "11",
            _("Thi đua theo chuyên đề"),
            _("Phong trào"),
            indent=1,
            section=_("3. Chia theo phương thức tổ chức phong trào thi đua"),
        ),
        Row("12", _("Thi đua thường xuyên hằng năm"), _("Phong trào"), indent=1),
    ),
)

# --- rows by recipient, shared by 0602.N and 0603.N ---------------------------------------------------
RECIPIENT_ROWS = (
    Row("01", _("Tổng số"), _("Lượt"), parts=("02", "04", "05")),
    Row("02", _("Tập thể"), _("Tập thể"), indent=1, section=_("1. Chia theo đối tượng khen thưởng")),
    Row("03", _("Trong đó: Doanh nghiệp"), _("Doanh nghiệp"), indent=2),
    Row("04", _("Hộ gia đình"), _("Hộ"), indent=1),
    Row("05", _("Cá nhân"), _("Người"), parts=("06", "07", "08", "09", "10"), indent=1),
    Row("06", _("Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên"), _("Người"), indent=2),
    Row("07", _("Lãnh đạo cấp vụ, sở, ngành và tương đương"), _("Người"), indent=2),
    Row("08", _("Doanh nhân"), _("Người"), indent=2),
    Row("09", _("Các cấp lãnh đạo khác từ phó phòng trở lên"), _("Người"), indent=2),
    Row(
        "10",
        _(
            "Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu (công nhân, nông dân…)"
        ),
        _("Người"),
        indent=2,
    ),
)
# 0603.N's second breakdown of its total: one row per method of award (AwardMethod), in this order.
AWARD_METHOD_ROWS = ("11", "12", "13", "14", "15", "16", "17")
MINISTRY_ROWS = (
    Row("01", _("Tổng số"), _("Lượt"), parts=("02", "04", "05"), also=(AWARD_METHOD_ROWS,)),
    *RECIPIENT_ROWS[1:],
    Row(
        "11",
        _("Khen thưởng thường xuyên"),
        _("Lượt"),
        indent=1,
        section=_("2. Chia theo phương thức khen thưởng"),
    ),
    Row("12", _("Khen thưởng theo chuyên đề"), _("Lượt"), indent=1),
    Row("13", _("Khen thưởng đột xuất"), _("Lượt"), indent=1),
    Row("14", _("Khen thưởng đối ngoại"), _("Lượt"), indent=1),
    Row("15", _("Khen thưởng quá trình cống hiến"), _("Lượt"), indent=1),
    Row("16", _("Khen thưởng theo niên hạn"), _("Lượt"), indent=1),
    Row("17", _("Khen thưởng thành tích kháng chiến"), _("Lượt"), indent=1),
)
# Row 03 is "of which" (trong đó) of row 02, not a part of the total.
OF_WHICH = {"03": "02"}

# --- 0602.N: số lượng khen thưởng cấp Nhà nước ----------------------------------------------------------
STATE_AWARDS = FormSpec(
    code="0602",
    form="0602.N/BNV-TĐKT",
    title=_("Số lượng khen thưởng cấp Nhà nước"),
    columns=(
        Column(
            "total",
            _("Tổng số"),
            1,
            parts=(
                "huan_chuong",
                "huy_chuong",
                "danh_hieu_vinh_du",
                "co_thi_dua_cp",
                "bang_khen_ttg",
                "cstd_toan_quoc",
            ),
        ),
        Column("huan_chuong", _("Huân chương"), 2),
        Column("huy_chuong", _("Huy chương"), 3),
        Column("danh_hieu_vinh_du", _("Danh hiệu vinh dự nhà nước"), 4),
        Column("co_thi_dua_cp", _("Cờ thi đua của Chính phủ"), 5),
        Column("bang_khen_ttg", _("Bằng khen của Thủ tướng Chính phủ"), 6),
        Column("cstd_toan_quoc", _("Chiến sĩ thi đua toàn quốc"), 7),
    ),
    groups=(
        ColumnGroup(
            _("Chia theo hình thức khen thưởng"),
            (
                "huan_chuong",
                "huy_chuong",
                "danh_hieu_vinh_du",
                "co_thi_dua_cp",
                "bang_khen_ttg",
                "cstd_toan_quoc",
            ),
        ),
    ),
    rows=RECIPIENT_ROWS,
)

# --- 0603.N: số lượng khen thưởng cấp bộ, ban, ngành, tỉnh ---------------------------------------------
MINISTRY_KEYS = ("bang_khen", "cstd_bo_tinh", "co_thi_dua", "ky_niem_chuong")
MINISTRY_AWARDS = FormSpec(
    code="0603",
    form="0603.N/BNV-TĐKT",
    title=_("Số lượng khen thưởng cấp bộ, ban, ngành, tỉnh"),
    columns=(
        Column("total", _("Tổng số"), 1, parts=MINISTRY_KEYS),
        Column("bang_khen", _("Bằng khen"), 2),
        Column("cstd_bo_tinh", _("Chiến sĩ thi đua cấp bộ, cấp tỉnh"), 3),
        Column(
            "co_thi_dua",
            _("Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương"),
            4,
        ),
        Column(
            "ky_niem_chuong",
            _(
                "Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc "
                "Trung ương"
            ),
            5,
        ),
    ),
    groups=(ColumnGroup(_("Chia ra"), MINISTRY_KEYS),),
    rows=MINISTRY_ROWS,
)

FORMS: dict[str, FormSpec] = {spec.code: spec for spec in (CAMPAIGNS, STATE_AWARDS, MINISTRY_AWARDS)}


def column_heading(spec: FormSpec, column: Column) -> str:
    """The number printed under a column's label: "1=2+3" for a total, else "2"."""
    if not column.parts:
        return str(column.number)
    return _sum_label(column.number, tuple(spec.column(k).number for k in column.parts))
