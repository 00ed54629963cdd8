"""The demo organisation: Cục Thống kê tỉnh Ninh Thuận and its 2023 emulation plan.

Units, campaigns, theme and motto come from the agency's plan (ke-hoach-thi-dua-2023.txt); the award
catalogue from DOMAIN.md; people are fictional.
"""

from __future__ import annotations

import datetime
from decimal import Decimal as D

D0 = datetime.date

OFFICE = ("ctk", "Cục Thống kê tỉnh Ninh Thuận", "CTK", "office")
UNITS = [
    ("tchc", "Phòng Tổ chức - Hành chính", "TC-HC", "department"),
    ("tkth", "Phòng Thống kê Tổng hợp", "TKTH", "department"),
    ("tkkt", "Phòng Thống kê Kinh tế", "TKKT", "department"),
    ("tkxh", "Phòng Thống kê Xã hội", "TKXH", "department"),
    ("ttth", "Phòng Thu thập thông tin thống kê", "TTTT", "department"),
    ("prtc", "Chi cục Thống kê thành phố Phan Rang - Tháp Chàm", "CCTK PR-TC", "branch"),
    ("nhtb", "Chi cục Thống kê khu vực Ninh Hải - Thuận Bắc", "CCTK NH-TB", "branch"),
    ("nptn", "Chi cục Thống kê khu vực Ninh Phước - Thuận Nam", "CCTK NP-TN", "branch"),
    ("nsba", "Chi cục Thống kê khu vực Ninh Sơn - Bác Ái", "CCTK NS-BA", "branch"),
]

# username, full name, unit code, position, roles
PEOPLE = [
    ("admin", "Quản trị Hệ thống", "tchc", "Chuyên viên công nghệ thông tin", ["administrator"]),
    ("director", "Trần Minh Quang", "ctk", "Cục trưởng", ["director", "council_chair", "council_member"]),
    ("deputy", "Lê Thị Thu Hà", "ctk", "Phó Cục trưởng", ["deputy_director"]),
    ("office1", "Phạm Thị Ngọc Lan", "tchc", "Chuyên viên Phòng TC-HC", ["office_staff"]),
    ("office2", "Đỗ Văn Khải", "tchc", "Chuyên viên Phòng TC-HC", ["office_staff"]),
    ("secretary", "Võ Thị Mỹ Duyên", "tchc", "Thư ký Hội đồng TĐKT", ["council_secretary", "council_member"]),
    ("auditor", "Huỳnh Văn Tâm", "ctk", "Kiểm tra viên", ["auditor"]),
    ("council1", "Nguyễn Thị Bích Thủy", "ctk", "Phó Cục trưởng, Phó Chủ tịch Hội đồng", ["council_member"]),
    ("council2", "Bùi Văn Lộc", "tkth", "Thành viên Hội đồng", ["council_member"]),
    ("council3", "Đặng Thị Kim Oanh", "tkkt", "Thành viên Hội đồng", ["council_member"]),
    ("council4", "Trương Công Danh", "tkxh", "Thành viên Hội đồng", ["council_member"]),
    ("council5", "Lâm Thị Hồng Nhung", "ttth", "Chủ tịch Công đoàn, thành viên Hội đồng", ["council_member"]),
    ("council6", "Châu Văn Phúc", "prtc", "Thành viên Hội đồng", ["council_member"]),
    ("council7", "Mai Thị Thanh Tuyền", "nhtb", "Bí thư Chi đoàn, thành viên Hội đồng", ["council_member"]),
]

HEAD_NAMES = {
    "tchc": "Ngô Thị Phương Thảo",
    "tkth": "Hồ Văn Thịnh",
    "tkkt": "Tạ Thị Minh Nguyệt",
    "tkxh": "Kiều Văn Sang",
    "ttth": "La Thị Diễm My",
    "prtc": "Phan Văn Hậu",
    "nhtb": "Dương Thị Kim Chi",
    "nptn": "Thái Văn Nghĩa",
    "nsba": "Quách Thị Hồng Vân",
}
STAFF_NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Vũ Thị Giang",
    "Đinh Văn Hòa",
    "Cao Thị Hương",
    "Lý Văn Kiên",
    "Tôn Nữ Lệ",
    "Hà Văn Minh",
    "Âu Thị Nga",
    "Lưu Văn Phong",
    "Mạc Thị Quyên",
    "Triệu Văn Sơn",
    "Đoàn Thị Trang",
    "Kha Văn Út",
    "Văn Thị Vy",
    "Ông Văn Xuân",
    "Từ Thị Yến",
    "Giáp Văn Bảo",
    "Lò Thị Cúc",
    "Nông Văn Đạt",
    "Sầm Thị Hạnh",
    "Vi Văn Khánh",
    "Chu Thị Loan",
    "Khổng Văn Mạnh",
]
STAFF_PER_UNIT = 3

THEME = "Đoàn kết, sáng tạo, thi đua xây dựng và bảo vệ Tổ quốc"
MOTTO = "Đoàn kết, thích ứng, sáng tạo, kỷ cương, phát triển, hiệu quả"
ANNUAL = (
    "Phát động thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội năm 2023, chào mừng kỷ niệm "
    "75 năm Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc"
)
PHASES = [
    (
        "Đợt 1 năm 2023: Thi đua đặc biệt chào mừng 75 năm Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc "
        "(11/6/1948 - 11/6/2023)",
        D0(2023, 1, 1),
        D0(2023, 6, 30),
    ),
    (
        "Đợt 2 năm 2023: Thi đua về đích sớm, vượt mức các chỉ tiêu Kế hoạch phát triển kinh tế - xã hội của tỉnh "
        "năm 2023",
        D0(2023, 7, 1),
        D0(2023, 12, 31),
    ),
]
THEMATIC = [
    ("Toàn dân chung sức xây dựng nông thôn mới", D0(2023, 12, 31), 0),
    ("Vì người nghèo - Không để ai bị bỏ lại phía sau", D0(2023, 12, 31), 0),
    ("Doanh nghiệp Ninh Thuận hội nhập và phát triển", D0(2025, 12, 31), 0),
    ("Toàn dân chung sức xây dựng Ninh Thuận xanh - sạch - đẹp", D0(2023, 12, 31), 0),
    ("Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở", D0(2023, 12, 31), 0),
    ("Chuyển đổi số trên địa bàn tỉnh Ninh Thuận", D0(2023, 12, 31), 0),
    ("Cải cách hành chính", D0(2023, 12, 31), 5),
    ("Lao động sản xuất, kinh doanh giỏi", D0(2023, 12, 31), 0),
    ("Phát huy sáng kiến, cải tiến kỹ thuật", D0(2023, 12, 31), 0),
    ("Toàn dân bảo vệ an ninh Tổ quốc", D0(2023, 12, 31), 0),
]

# code, name, kind, recipient, order
AWARDS = [
    ("LDTT", "Lao động tiên tiến", "title", "individual", 1),
    ("CSTDCS", "Chiến sĩ thi đua cơ sở", "title", "individual", 2),
    ("TTLDTT", "Tập thể lao động tiên tiến", "title", "collective", 3),
    ("TTLDXS", "Tập thể lao động xuất sắc", "title", "collective", 4),
    ("GIAY_KHEN", "Giấy khen của Cục trưởng", "commendation", "both", 5),
    ("CSTD_TINH", "Chiến sĩ thi đua cấp bộ, ngành, tỉnh", "title", "individual", 6),
    ("BANG_KHEN", "Bằng khen của Bộ trưởng / Chủ tịch UBND tỉnh", "commendation", "both", 7),
    ("CO_THI_DUA", "Cờ thi đua của Bộ / UBND tỉnh", "title", "collective", 8),
    # The State's awards (decided by the President or the Prime Minister), for the statistics of
    # TT 02/2023/TT-BNV (biểu 0602.N): the office proposes them upward like the ministry's.
    ("HUAN_CHUONG_LD3", "Huân chương Lao động hạng Ba", "commendation", "both", 9),
    ("HUY_CHUONG_HUU_NGHI", "Huy chương Hữu nghị", "commendation", "individual", 10),
    ("ANH_HUNG_LD", "Danh hiệu vinh dự nhà nước “Anh hùng Lao động”", "title", "both", 11),
    ("CO_THI_DUA_CP", "Cờ thi đua của Chính phủ", "title", "collective", 12),
    ("BANG_KHEN_TTG", "Bằng khen của Thủ tướng Chính phủ", "commendation", "both", 13),
    ("CSTD_TOAN_QUOC", "Chiến sĩ thi đua toàn quốc", "title", "individual", 14),
]

ND98 = "Nghị định 98/2023/NĐ-CP"
ND152 = "Nghị định 152/2025/NĐ-CP"
SIMPLE = {
    "requires_vote": True,
    "secret_ballot": False,
    "threshold": D("0.5"),
    "threshold_inclusive": False,
    "threshold_base": "votes_cast",
}
SECRET_80 = {
    "requires_vote": True,
    "secret_ballot": True,
    "threshold": D("0.8"),
    "threshold_inclusive": True,
    "threshold_base": "all_members",
}

# code -> (law article, rule fields); the same fields in force under ND98 and then ND152.
RULES: dict[str, tuple[str, dict[str, object]]] = {
    "LDTT": (
        "Luật Thi đua, Khen thưởng 2022, Điều 24",
        {**SIMPLE, "authority": "director", "min_rating": "htt", "reward_multiple": D("0.3")},
    ),
    "CSTDCS": (
        "Luật Thi đua, Khen thưởng 2022, Điều 23; {decree}, Điều 30 khoản 7",
        {
            **SECRET_80,
            "authority": "director",
            "excellent_or_initiative": True,
            "same_year_prerequisite": "LDTT",
            "reward_multiple": D("1.0"),
        },
    ),
    "TTLDTT": (
        "Luật Thi đua, Khen thưởng 2022, Điều 28",
        {
            **SIMPLE,
            "authority": "director",
            "min_rating": "htt",
            "member_award": "LDTT",
            "min_member_share": D("0.7"),
            "member_discipline_limit": "canh_cao",
            "reward_multiple_collective": D("0.8"),
        },
    ),
    "TTLDXS": (
        "Luật Thi đua, Khen thưởng 2022, Điều 27",
        {
            **SIMPLE,
            "authority": "forwarded",
            "forwarded_to": "Tổng cục Thống kê",
            "min_rating": "htxs",
            "all_members_completed": True,
            "member_award": "LDTT",
            "min_member_share": D("0.7"),
            "member_distinction": "CSTDCS",
            "min_member_distinctions": 1,
            "member_discipline_limit": "canh_cao",
            "reward_multiple_collective": D("1.5"),
        },
    ),
    "GIAY_KHEN": (
        "Luật Thi đua, Khen thưởng 2022, Điều 75",
        {
            **SIMPLE,
            "authority": "director",
            "min_rating": "htt",
            "reward_multiple": D("0.3"),
            "reward_multiple_collective": D("0.6"),
        },
    ),
    "CSTD_TINH": (
        "Luật Thi đua, Khen thưởng 2022, Điều 22",
        {
            **SECRET_80,
            "authority": "forwarded",
            "forwarded_to": "Bộ Kế hoạch và Đầu tư / UBND tỉnh",
            "same_year_prerequisite": "CSTDCS",
            "prior_award": "CSTDCS",
            "prior_years": 2,
            "initiative_required": True,
            "reward_multiple": D("3.0"),
        },
    ),
    "BANG_KHEN": (
        "Luật Thi đua, Khen thưởng 2022, Điều 74",
        {
            **SIMPLE,
            "authority": "forwarded",
            "forwarded_to": "Bộ Kế hoạch và Đầu tư / UBND tỉnh",
            "prior_award": "CSTDCS",
            "prior_years": 2,
            "min_rating": "htxs",
            "reward_multiple": D("1.0"),
            "reward_multiple_collective": D("2.0"),
        },
    ),
    "CO_THI_DUA": (
        "Luật Thi đua, Khen thưởng 2022, Điều 26",
        {
            **SECRET_80,
            "authority": "forwarded",
            "forwarded_to": "Bộ Kế hoạch và Đầu tư / UBND tỉnh",
            "min_rating": "htxs",
            "reward_multiple_collective": D("4.5"),
        },
    ),
}
STATE_LEVEL = {"authority": "forwarded", "min_rating": "htxs"}
RULES.update(
    {
        "HUAN_CHUONG_LD3": (
            "Luật Thi đua, Khen thưởng 2022 (Huân chương Lao động)",
            {**SIMPLE, **STATE_LEVEL, "forwarded_to": "Chủ tịch nước"},
        ),
        "HUY_CHUONG_HUU_NGHI": (
            "Luật Thi đua, Khen thưởng 2022 (Huy chương Hữu nghị)",
            {**SIMPLE, **STATE_LEVEL, "forwarded_to": "Chủ tịch nước"},
        ),
        "ANH_HUNG_LD": (
            "Luật Thi đua, Khen thưởng 2022 (danh hiệu vinh dự nhà nước)",
            {**SECRET_80, **STATE_LEVEL, "forwarded_to": "Chủ tịch nước"},
        ),
        "CO_THI_DUA_CP": (
            "Luật Thi đua, Khen thưởng 2022, Điều 25",
            {**SECRET_80, **STATE_LEVEL, "forwarded_to": "Thủ tướng Chính phủ"},
        ),
        "BANG_KHEN_TTG": (
            "Luật Thi đua, Khen thưởng 2022, Điều 73",
            {**SIMPLE, **STATE_LEVEL, "forwarded_to": "Thủ tướng Chính phủ"},
        ),
        "CSTD_TOAN_QUOC": (
            "Luật Thi đua, Khen thưởng 2022, Điều 21",
            {**SECRET_80, **STATE_LEVEL, "forwarded_to": "Thủ tướng Chính phủ", "initiative_required": True},
        ),
    }
)
# The column of TT 02/2023/TT-BNV's forms each award is counted in (biểu 0602.N and 0603.N).
AWARD_STATISTICS = {
    "BANG_KHEN": "bang_khen",
    "CSTD_TINH": "cstd_bo_tinh",
    "CO_THI_DUA": "co_thi_dua",
    "HUAN_CHUONG_LD3": "huan_chuong",
    "HUY_CHUONG_HUU_NGHI": "huy_chuong",
    "ANH_HUNG_LD": "danh_hieu_vinh_du",
    "CO_THI_DUA_CP": "co_thi_dua_cp",
    "BANG_KHEN_TTG": "bang_khen_ttg",
    "CSTD_TOAN_QUOC": "cstd_toan_quoc",
}
RULE_PERIODS = [(D0(2023, 1, 1), D0(2025, 6, 30), ND98), (D0(2025, 7, 1), None, ND152)]

BASE_SALARIES = [
    (1_490_000, D0(2019, 7, 1), "Nghị định 38/2019/NĐ-CP"),
    (1_800_000, D0(2023, 7, 1), "Nghị định 24/2023/NĐ-CP"),
    (2_340_000, D0(2024, 7, 1), "Nghị định 73/2024/NĐ-CP"),
]

# Award history of earlier years (username, award, year, decision number): some staff are eligible
# for the forwarded awards of 2023, some are not. Bằng khen and CSTĐ cấp tỉnh need CSTĐCS in 2021 and
# 2022: staff-tkth-1 and staff-prtc-1 have both; staff-tkkt-1 (2022 only), staff-nhtb-2 (2020 and
# 2022, not consecutive) and staff-tkxh-1 (LĐTT only) do not.
HISTORY = [
    ("staff-tkth-1", "LDTT", 2020, "08/QĐ-CTK"),
    ("staff-tkth-1", "GIAY_KHEN", 2020, "10/QĐ-CTK"),
    ("staff-tkth-1", "CSTDCS", 2021, "15/QĐ-CTK"),
    ("staff-tkth-1", "CSTDCS", 2022, "12/QĐ-CTK"),
    ("staff-tkth-1", "LDTT", 2021, "14/QĐ-CTK"),
    ("staff-tkth-1", "LDTT", 2022, "11/QĐ-CTK"),
    ("staff-prtc-1", "CSTDCS", 2021, "15/QĐ-CTK"),
    ("staff-prtc-1", "CSTDCS", 2022, "12/QĐ-CTK"),
    ("staff-prtc-1", "LDTT", 2021, "14/QĐ-CTK"),
    ("staff-prtc-1", "LDTT", 2022, "11/QĐ-CTK"),
    ("staff-tkkt-1", "CSTDCS", 2022, "12/QĐ-CTK"),
    ("staff-tkkt-1", "LDTT", 2022, "11/QĐ-CTK"),
    ("staff-tkxh-1", "LDTT", 2021, "14/QĐ-CTK"),
    ("staff-tkxh-1", "LDTT", 2022, "11/QĐ-CTK"),
    ("staff-nhtb-2", "CSTDCS", 2020, "09/QĐ-CTK"),
    ("staff-nhtb-2", "CSTDCS", 2022, "12/QĐ-CTK"),
    ("staff-nhtb-2", "LDTT", 2020, "08/QĐ-CTK"),
    ("staff-nhtb-2", "LDTT", 2022, "11/QĐ-CTK"),
]
INITIATIVES = [
    ("staff-tkth-1", "Ứng dụng phần mềm tổng hợp nhanh số liệu điều tra doanh nghiệp", 2023),
    ("staff-tkkt-1", "Quy trình kiểm tra, làm sạch dữ liệu giá tiêu dùng trên thiết bị di động", 2023),
    ("staff-prtc-1", "Bản đồ số địa bàn điều tra thành phố Phan Rang - Tháp Chàm", 2023),
]
# Yearly quality ratings (đánh giá, xếp loại) of 2023, made before the year-end review: everyone
# "htt" except these. A collective's TTLĐXS needs every member rated at least "ht".
RATING_YEAR = 2023
RATING_DEFAULT = "htt"
RATINGS = {
    "director": "htxs",
    "staff-tkth-1": "htxs",
    "staff-tkkt-1": "htxs",
    "staff-prtc-1": "htxs",
    "staff-nptn-1": "htxs",
    "staff-nptn-3": "ht",
}
OPEN_CASES = [("staff-nsba-2", "discipline", "Đang xem xét kỷ luật (dữ liệu minh họa)", D0(2023, 10, 2))]

# --- the statistics of TT 02/2023/TT-BNV (biểu 0601.N, 0602.N, 0603.N) ---------------------------------
# Who launched each thematic movement the office takes part in, and whom it reaches (the annual plan and
# its phases are the office's own: cơ quan, tổ chức, đơn vị, both as the launcher and as the scope).
THEMATIC_LEVELS = {
    "Toàn dân chung sức xây dựng nông thôn mới": ("central", "national"),
    "Vì người nghèo - Không để ai bị bỏ lại phía sau": ("central", "national"),
    "Doanh nghiệp Ninh Thuận hội nhập và phát triển": ("ministry_province", "ministry_local"),
    "Toàn dân chung sức xây dựng Ninh Thuận xanh - sạch - đẹp": ("ministry_province", "ministry_local"),
    "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở": ("central", "national"),
    "Chuyển đổi số trên địa bàn tỉnh Ninh Thuận": ("ministry_province", "ministry_local"),
    "Cải cách hành chính": ("ministry_province", "ministry_local"),
    "Lao động sản xuất, kinh doanh giỏi": ("central", "national"),
    "Phát huy sáng kiến, cải tiến kỹ thuật": ("ministry_province", "ministry_local"),
    "Toàn dân bảo vệ an ninh Tổ quốc": ("central", "national"),
}
# The rows of individuals: the Director and the Deputies rank with a provincial department (lãnh đạo cấp vụ,
# sở, ngành), the heads of units are "lãnh đạo khác từ phó phòng trở lên"; everyone else works directly.
LEADERS = ["director", "deputy", "council1"]
LEADER_CATEGORY = "department_leader"
HEAD_CATEGORY = "other_leader"
# Awards of 2023 decided above the office (award history: person username or unit code, award, number,
# date), so that biểu 0602.N and 0603.N of 2023 are not all zeros. Nobody here is nominated in the demo
# walk of build_examples for the same award.
STATISTICS_HISTORY_YEAR = 2023
STATISTICS_HISTORY = [
    ("unit", "tkth", "HUAN_CHUONG_LD3", "1567/QĐ-CTN", D0(2023, 11, 20)),
    ("unit", "prtc", "CO_THI_DUA_CP", "189/QĐ-TTg", D0(2023, 3, 2)),
    ("person", "head-tkth", "BANG_KHEN_TTG", "1234/QĐ-TTg", D0(2023, 10, 16)),
    ("person", "staff-ttth-2", "BANG_KHEN_TTG", "1234/QĐ-TTg", D0(2023, 10, 16)),
    ("person", "head-nptn", "BANG_KHEN", "2150/QĐ-UBND", D0(2023, 12, 5)),
    ("person", "staff-ttth-1", "BANG_KHEN", "2150/QĐ-UBND", D0(2023, 12, 5)),
    ("unit", "nptn", "BANG_KHEN", "2150/QĐ-UBND", D0(2023, 12, 5)),
    ("person", "head-tkkt", "CSTD_TINH", "2151/QĐ-UBND", D0(2023, 12, 5)),
    ("unit", "tkkt", "CO_THI_DUA", "2152/QĐ-UBND", D0(2023, 12, 5)),
]
# More awards of the province for 2023, each with its method (phương thức khen thưởng; biểu 0603.N rows
# 11–17). The rows of STATISTICS_HISTORY above are thường xuyên (the default).
STATISTICS_METHOD_HISTORY = [
    ("person", "staff-nhtb-3", "BANG_KHEN", "1620/QĐ-UBND", D0(2023, 9, 2), "thematic"),
    ("unit", "nhtb", "BANG_KHEN", "1620/QĐ-UBND", D0(2023, 9, 2), "thematic"),
    ("person", "staff-prtc-3", "BANG_KHEN", "1480/QĐ-UBND", D0(2023, 8, 15), "ad_hoc"),
    ("person", "staff-nsba-3", "BANG_KHEN", "1480/QĐ-UBND", D0(2023, 8, 15), "ad_hoc"),
    ("person", "staff-tkth-3", "BANG_KHEN", "1905/QĐ-UBND", D0(2023, 10, 20), "foreign"),
    ("person", "head-prtc", "BANG_KHEN", "2153/QĐ-UBND", D0(2023, 12, 5), "dedication"),
    ("person", "head-nsba", "BANG_KHEN", "2153/QĐ-UBND", D0(2023, 12, 5), "dedication"),
    ("person", "staff-ttth-3", "BANG_KHEN", "2154/QĐ-UBND", D0(2023, 12, 5), "seniority"),
    ("person", "staff-tchc-3", "BANG_KHEN", "2155/QĐ-UBND", D0(2023, 12, 5), "resistance"),
]
