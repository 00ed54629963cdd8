"""The unit's submission over HTTP (API.md § "Unit submissions"): the list, its shared papers, the Excel
import and submitting the whole list in one transaction."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nominations.models import Nomination, State, Submission
from tests.builders.core import PDF_BYTES, annual_campaign, person
from tests.submissions.support import add_staff, row, upload, xlsx_bytes
from workflow.models import AuditEvent

pytestmark = pytest.mark.django_db


def pdf(name: str = "to-trinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _open(api: Any, head: str = "head-tkth") -> dict[str, Any]:
    response = api(head).post("/api/submissions/", {"campaign": annual_campaign().pk})
    assert response.status_code == 201, response.content
    return dict(response.json())


def _nominate(
    api: Any, sub: dict[str, Any], nominee: str, award: str = "LDTT", head: str = "head-tkth"
) -> Any:
    return api(head).post(
        f"/api/submissions/{sub['id']}/nominations/",
        {
            "campaign": sub["campaign"],
            "award": award,
            "nominee_person": person(nominee).pk,
            "summary": "Hoàn thành xuất sắc nhiệm vụ.",
            "rating": "htxs",
        },
    )


def _attach(api: Any, url: str, kind: str, head: str = "head-tkth") -> Any:
    return api(head).post(url, {"file": pdf(f"{kind}.pdf"), "kind": kind}, format="multipart")


def test_unit_head_opens_one_submission_per_campaign(api: Any) -> None:
    sub = _open(api)
    assert sub["unit"] == person("head-tkth").unit_id and sub["state"] == "draft"
    assert sub["nominations"] == [] and sub["files"] == []
    again = api("head-tkth").post("/api/submissions/", {"campaign": annual_campaign().pk})
    assert again.status_code == 409
    assert str(sub["id"]) in again.json()["detail"]


def test_staff_cannot_open_a_submission_and_other_units_do_not_see_it(api: Any) -> None:
    assert (
        api("staff-tkth-1").post("/api/submissions/", {"campaign": annual_campaign().pk}).status_code == 403
    )
    sub = _open(api)
    assert api("head-tkkt").get(f"/api/submissions/{sub['id']}/").status_code == 404
    theirs = api("head-tkkt").get("/api/submissions/").json()["results"]
    assert theirs and sub["id"] not in [s["id"] for s in theirs]  # their own (the demo's) only
    query = f"/api/submissions/?unit={sub['unit']}&campaign={sub['campaign']}"
    assert [s["id"] for s in api("office1").get(query).json()["results"]] == [sub["id"]]


def test_whole_list_is_submitted_with_the_shared_papers_attached_once(api: Any) -> None:
    sub = _open(api)
    ids = []
    for nominee in ("staff-tkth-1", "staff-tkth-2", "staff-tkth-3"):
        created = _nominate(api, sub, nominee)
        assert created.status_code == 201, created.content
        assert created.json()["submission"] == sub["id"]
        ids.append(created.json()["id"])
        response = _attach(api, f"/api/nominations/{created.json()['id']}/attachments/", "bao_cao")
        assert response.status_code == 201
    for kind in ("to_trinh", "bien_ban"):
        assert _attach(api, f"/api/submissions/{sub['id']}/attachments/", kind).status_code == 201
    response = api("head-tkth").post(f"/api/submissions/{sub['id']}/submit/", {})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"
    assert set(Nomination.objects.filter(pk__in=ids).values_list("state", flat=True)) == {State.SUBMITTED}
    # One transition event per nomination in the chained log, as for a single submit.
    events = AuditEvent.objects.filter(nomination_id__in=ids, transition="submit")
    assert events.count() == 3


def test_a_refused_list_submits_none_and_names_every_failing_nominee(api: Any) -> None:
    sub = _open(api)
    good = _nominate(api, sub, "staff-tkth-1").json()["id"]
    _attach(api, f"/api/nominations/{good}/attachments/", "bao_cao")
    bad_a = _nominate(api, sub, "staff-tkth-2").json()["id"]  # no báo cáo thành tích
    bad_b = _nominate(api, sub, "staff-tkth-3").json()["id"]
    _attach(api, f"/api/submissions/{sub['id']}/attachments/", "to_trinh")  # no biên bản for anyone
    response = api("head-tkth").post(f"/api/submissions/{sub['id']}/submit/", {})
    assert response.status_code == 409
    body = response.json()
    assert body["detail"]
    failing = {item["id"]: item["rules"] for item in body["nominations"]}
    assert set(failing) == {good, bad_a, bad_b}
    assert all(r["rule"] == "dossier_complete" for rules in failing.values() for r in rules)
    assert "Điều 84" in failing[bad_a][0]["legal_basis"]
    assert "Báo cáo thành tích" in failing[bad_a][0]["message"]
    assert "Báo cáo thành tích" not in failing[good][0]["message"]
    assert set(Nomination.objects.filter(submission_id=sub["id"]).values_list("state", flat=True)) == {
        State.DRAFT
    }
    assert not AuditEvent.objects.filter(nomination_id__in=[good, bad_a, bad_b], transition="submit").exists()


def test_a_standalone_nomination_still_needs_its_own_papers(api: Any) -> None:
    response = api("head-tkth").post(
        "/api/nominations/",
        {
            "campaign": annual_campaign().pk,
            "award": "LDTT",
            "nominee_person": person("staff-tkth-1").pk,
            "summary": "x",
            "rating": "htxs",
        },
    )
    assert response.status_code == 201 and response.json()["submission"] is None
    pk = response.json()["id"]
    _attach(api, f"/api/nominations/{pk}/attachments/", "bao_cao")
    refused = api("head-tkth").post(f"/api/nominations/{pk}/transitions/submit/", {})
    assert refused.status_code == 409
    assert "Tờ trình" in refused.json()["rules"][0]["message"]


def test_second_nomination_for_the_same_nominee_award_campaign_is_refused_at_creation(api: Any) -> None:
    sub = _open(api)
    first = _nominate(api, sub, "staff-tkth-1")
    second = api("head-tkth").post(
        "/api/nominations/",
        {
            "campaign": annual_campaign().pk,
            "award": "LDTT",
            "nominee_person": person("staff-tkth-1").pk,
            "summary": "x",
            "rating": "htxs",
        },
    )
    assert second.status_code == 409
    assert second.json()["existing"] == first.json()["id"]
    assert str(first.json()["id"]) in second.json()["detail"]
    assert _nominate(api, sub, "staff-tkth-1").status_code == 409
    # A withdrawn one no longer stands: a new one can be made.
    api("head-tkth").post(f"/api/nominations/{first.json()['id']}/transitions/withdraw/", {})
    assert _nominate(api, sub, "staff-tkth-1").status_code == 201


def test_the_database_refuses_a_duplicate_the_service_did_not_see() -> None:
    from django.db import IntegrityError, transaction

    existing = Nomination.objects.filter(state=State.DRAFT).first()
    if existing is None:
        from tests.builders.core import draft

        existing = draft(files=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            campaign=existing.campaign,
            award=existing.award,
            nominating_unit=existing.nominating_unit,
            nominee_person=existing.nominee_person,
            nominee_unit=existing.nominee_unit,
            summary="trùng",
        )


def test_office_returns_the_whole_list_with_one_reason_then_acts_on_each(api: Any) -> None:
    sub = _open(api)
    ids = []
    for nominee in ("staff-tkth-1", "staff-tkth-2"):
        pk = _nominate(api, sub, nominee).json()["id"]
        _attach(api, f"/api/nominations/{pk}/attachments/", "bao_cao")
        ids.append(pk)
    for kind in ("to_trinh", "bien_ban"):
        _attach(api, f"/api/submissions/{sub['id']}/attachments/", kind)
    assert api("head-tkth").post(f"/api/submissions/{sub['id']}/submit/", {}).status_code == 200
    assert api("office1").post(f"/api/submissions/{sub['id']}/return/", {"comment": ""}).status_code == 400
    assert api("head-tkth").post(f"/api/submissions/{sub['id']}/return/", {"comment": "x"}).status_code == 403
    response = api("office1").post(f"/api/submissions/{sub['id']}/return/", {"comment": "Thiếu chữ ký."})
    assert response.status_code == 200 and response.json()["state"] == "returned"
    returned = AuditEvent.objects.filter(nomination_id__in=ids, transition="return")
    assert returned.count() == 2 and set(returned.values_list("comment", flat=True)) == {"Thiếu chữ ký."}
    # Resubmit all, then the office returns one nominee alone; the other goes on.
    assert api("head-tkth").post(f"/api/submissions/{sub['id']}/submit/", {}).status_code == 200
    one = api("office1").post(
        f"/api/nominations/{ids[0]}/transitions/return/", {"comment": "Bổ sung minh chứng."}
    )
    assert one.status_code == 200
    other = api("office1").post(
        f"/api/nominations/{ids[1]}/transitions/evaluate/", {"score": 90, "assessment": "Đạt"}
    )
    assert other.status_code == 200 and other.json()["state"] == "evaluated"


def test_template_is_an_xlsx_with_the_headers_and_lists(api: Any) -> None:
    import io

    from openpyxl import load_workbook

    response = api("head-tkth").get("/api/submissions/template/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "Họ và tên",
        "Tên đăng nhập",
        "Mã đơn vị",
        "Danh hiệu",
        "Xếp loại",
        "Tóm tắt thành tích",
        "Sáng kiến",
    ]
    assert sheet["D2"].value == "LDTT"  # the sample row
    formulas = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert len(formulas) == 2 and all("Danh mục" in f for f in formulas)


def test_import_creates_all_rows_and_the_same_file_twice_creates_nothing(api: Any) -> None:
    sub = _open(api)
    names = [p.full_name for p in add_staff("tkth", 5)]
    rows = [row(name) for name in names] + [row("", "TTLDTT", "htt", unit="tkth")]
    data = xlsx_bytes(rows)
    url = f"/api/submissions/{sub['id']}/import/"
    preview = api("head-tkth").post(url + "?dry_run=1", {"file": upload(data)}, format="multipart")
    assert preview.status_code == 200 and preview.json()["created"] == 6
    assert not Nomination.objects.filter(submission_id=sub["id"]).exists()
    first = api("head-tkth").post(url, {"file": upload(data)}, format="multipart")
    assert first.status_code == 201, first.content
    assert first.json()["created"] == 6 and len(first.json()["nominations"]) == 6
    second = api("head-tkth").post(url, {"file": upload(data)}, format="multipart")
    assert second.status_code == 201
    assert second.json()["created"] == 0 and sorted(second.json()["unchanged"]) == sorted(
        first.json()["nominations"]
    )
    assert Nomination.objects.filter(submission_id=sub["id"]).count() == 6
    created = AuditEvent.objects.filter(nomination__submission_id=sub["id"], kind=AuditEvent.Kind.CREATED)
    assert created.count() == 6


def test_import_with_a_bad_row_creates_nothing_and_names_row_and_column(api: Any) -> None:
    sub = _open(api)
    staff = add_staff("tkth", 2)
    other_unit = add_staff("tkkt", 1, prefix="Người đơn vị khác")[0]
    Nomination_before = Nomination.objects.count()
    rows = [
        row(staff[0].full_name),  # row 2: fine
        row("Không Có Ai"),  # row 3: unknown person
        row(staff[1].full_name, rating=""),  # row 4: rating missing
        row(staff[0].full_name),  # row 5: duplicate of row 2
        row(staff[1].full_name, "TTLDTT"),  # row 6: a collective award for a person
        row(other_unit.full_name),  # row 7: not in my unit
        row(staff[1].full_name, "KHONG_CO"),  # row 8: unknown award
    ]
    response = api("head-tkth").post(
        f"/api/submissions/{sub['id']}/import/", {"file": upload(xlsx_bytes(rows))}, format="multipart"
    )
    assert response.status_code == 400
    errors = {item["row"]: item["errors"] for item in response.json()["rows"]}
    assert set(errors) == {3, 4, 5, 6, 7, 8}
    assert "Họ và tên" in errors[3] and "Xếp loại" in errors[4]
    assert "dòng 2" in errors[5]["Danh hiệu"][0]
    assert "cá nhân" in errors[6]["Danh hiệu"][0] and "Họ và tên" in errors[7] and "Danh hiệu" in errors[8]
    assert Nomination.objects.count() == Nomination_before


def test_import_reports_ambiguous_names_duplicates_of_existing_and_matches_nfd_names(api: Any) -> None:
    sub = _open(api)
    twins = add_staff("tkth", 2, prefix="Trần Thị Ánh")
    for p in twins:  # the same name twice in the unit
        p.full_name = "Trần Thị Ánh"
        p.save()
    nfd = unicodedata.normalize("NFD", person("staff-tkth-2").full_name)
    assert nfd != person("staff-tkth-2").full_name
    api("head-tkth").post(
        "/api/nominations/",
        {
            "campaign": annual_campaign().pk,
            "award": "LDTT",
            "nominee_person": person("staff-tkth-1").pk,
            "summary": "x",
            "rating": "htxs",
        },
    )
    rows = [row("Trần Thị Ánh"), row(person("staff-tkth-1").full_name), row(nfd.upper())]
    response = api("head-tkth").post(
        f"/api/submissions/{sub['id']}/import/", {"file": upload(xlsx_bytes(rows))}, format="multipart"
    )
    errors = {item["row"]: item["errors"] for item in response.json()["rows"]}
    assert "extra-tkth-1" in errors[2]["Họ và tên"][0]  # ambiguous: the usernames are named
    assert "Đã có hồ sơ số" in errors[3]["Danh hiệu"][0]
    assert 4 not in errors  # NFD, upper case: the same person
    fixed = [row("", username="extra-tkth-1"), row(nfd)]
    ok = api("head-tkth").post(
        f"/api/submissions/{sub['id']}/import/", {"file": upload(xlsx_bytes(fixed))}, format="multipart"
    )
    assert ok.status_code == 201 and ok.json()["created"] == 2


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (b"not a spreadsheet at all", "không phải bảng tính Excel"),
        (b"%PDF-1.4\n", "không phải bảng tính Excel"),
        (b"PK\x03\x04broken zip", "không phải bảng tính Excel"),
    ],
)
def test_import_refuses_a_file_that_is_not_a_spreadsheet(api: Any, payload: bytes, fragment: str) -> None:
    sub = _open(api)
    response = api("head-tkth").post(
        f"/api/submissions/{sub['id']}/import/", {"file": upload(payload)}, format="multipart"
    )
    assert response.status_code == 400
    assert fragment in response.json()["file"][0].lower() or fragment in response.json()["file"][0]


def test_import_bad_sheets_get_clear_messages(api: Any) -> None:
    sub = _open(api)
    url = f"/api/submissions/{sub['id']}/import/"
    staff = person("staff-tkth-1").full_name

    def post(data: bytes) -> Any:
        return api("head-tkth").post(url, {"file": upload(data)}, format="multipart")

    empty = post(xlsx_bytes([]))
    assert empty.status_code == 400 and "không có dòng dữ liệu" in empty.json()["file"][0]
    headers = post(xlsx_bytes([row(staff)], headers=["Tên", "Danh hiệu"]))
    assert headers.status_code == 400 and "thiếu cột" in headers.json()["file"][0]
    merged = post(xlsx_bytes([row(staff), row(staff)], merge="A2:A3"))
    assert merged.status_code == 400 and "ô gộp" in merged.json()["file"][0]
    formula = post(xlsx_bytes([[staff, "", "", '="LD"&"TT"', "htxs", "x", ""]]))
    assert formula.status_code == 400
    assert "công thức" in formula.json()["rows"][0]["errors"]["Danh hiệu"][0]
    huge = post(xlsx_bytes([row(staff, summary=f"dòng {i}") for i in range(10_000)]))
    assert huge.status_code == 400 and "tối đa 5000 dòng" in huge.json()["file"][0]
    assert not Nomination.objects.filter(submission_id=sub["id"]).exists()


def test_submission_list_pins_its_query_count(api: Any, django_assert_max_num_queries: Any) -> None:
    for head in ("head-tkth", "head-tkkt", "head-tkxh"):
        _open(api, head)
    client = api("office1")
    client.get("/api/submissions/")  # the token's user, warmed
    with django_assert_max_num_queries(8):
        response = client.get("/api/submissions/")
    assert response.json()["count"] == Submission.objects.count()


def test_list_submit_costs_the_single_submits_and_a_constant(demo: None) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nominations.models import Campaign
    from tests.builders.core import draft
    from workflow.services.submissions import submission_create, submission_submit
    from workflow.services.transitions import nomination_submit

    head = person("head-tkth")
    campaigns = list(Campaign.objects.order_by("pk")[:4])
    costs = []
    for size, campaign in zip((2, 3), campaigns[1:], strict=False):  # one nomination takes the single path
        submission = Submission.objects.filter(
            unit=head.unit, campaign=campaign
        ).first() or submission_create(actor=head, campaign=campaign)
        for nominee in ["staff-tkth-1", "staff-tkth-2", "staff-tkth-3"][:size]:
            n = draft(nominee=nominee, award="GIAY_KHEN", campaign=campaign)
            Nomination.objects.filter(pk=n.pk).update(submission=submission)
        with CaptureQueriesContext(connection) as captured:
            submission_submit(submission=submission, actor=head)
        costs.append(len(captured))
    single = draft(nominee="staff-tkth-1", award="GIAY_KHEN", campaign=campaigns[0])
    with CaptureQueriesContext(connection) as captured:
        nomination_submit(nomination=single, actor=head)
    per_nomination = costs[1] - costs[0]
    # Each costs its rules' reads and its UPDATE (issue #17: grants, audit, process and mail once per list),
    # far less than a single submit; the list's constant is those once-per-list reads and bulk writes.
    assert per_nomination <= 6 < len(captured)
    assert costs[0] - 2 * per_nomination <= 32
