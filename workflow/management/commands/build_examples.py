"""python manage.py build_examples [--output docs/examples] — the example documents of the README.

Builds demo nominations through the real services (create, dossier, submit, evaluate, council, decision,
forwarding, outcome, report) inside one transaction that is rolled back at the end, with uploads in a
temporary folder: the database and the media folder are left as they were. Writes the decision, the
upward submission and the report as .docx (and the report as .xlsx), converts them to PDF with
LibreOffice and renders the PDF pages to PNG with pdftoppm (poppler-utils) where those are installed.
Run it on a database without nominations of the demo (e.g. a fresh SQLite file after `migrate`).
"""

from __future__ import annotations

import datetime
import io
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.test import override_settings

from nominations import documents
from nominations.documents.pdf import pdf_to_png
from nominations.models import Award, Campaign, CouncilSession, DossierFile, Nomination, Person
from workflow.base.errors import TransitionRefused
from workflow.services import decisions as decision_services
from workflow.services import nominations as nomination_services
from workflow.services import reports as report_services
from workflow.services import transitions as t
from workflow.services import upward_submissions as upward_services

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DECISION_DAY = datetime.date(2024, 1, 10)
SUBMISSION_DAY = datetime.date(2024, 1, 12)
REPORT_DAY = datetime.date(2024, 3, 15)

# (award, nominee username or unit code, rating, summary). The units' TTLĐTT and TTLĐXS need ≥ 70% of
# their members LĐTT (four of five) and, for TTLĐXS, one CSTĐCS: their members' nominations come first.
DIRECTOR_AWARDS = [
    (
        "LDTT",
        "staff-tkth-1",
        "htxs",
        "Hoàn thành xuất sắc nhiệm vụ tổng hợp số liệu kinh tế - xã hội năm 2023.",
    ),
    ("CSTDCS", "staff-tkth-1", "htxs", "Có sáng kiến được công nhận, hoàn thành xuất sắc nhiệm vụ năm 2023."),
    ("LDTT", "staff-tkth-2", "htt", "Hoàn thành tốt nhiệm vụ được giao."),
    ("LDTT", "staff-tkth-3", "htt", "Hoàn thành tốt nhiệm vụ được giao."),
    ("LDTT", "council2", "htt", "Hoàn thành tốt nhiệm vụ được giao."),
    ("LDTT", "staff-tkkt-1", "htxs", "Hoàn thành xuất sắc điều tra giá tiêu dùng."),
    ("CSTDCS", "staff-tkkt-1", "htxs", "Có sáng kiến được công nhận, hoàn thành xuất sắc nhiệm vụ năm 2023."),
    ("LDTT", "staff-tkkt-2", "htt", "Hoàn thành tốt điều tra giá tiêu dùng."),
    ("LDTT", "staff-tkkt-3", "htt", "Hoàn thành tốt điều tra doanh nghiệp."),
    ("LDTT", "council3", "htt", "Hoàn thành tốt nhiệm vụ được giao."),
    ("LDTT", "staff-tkxh-1", "htt", "Hoàn thành tốt điều tra lao động việc làm."),
    ("LDTT", "staff-ttth-2", "htt", "Hoàn thành tốt công tác thu thập thông tin."),
    ("LDTT", "staff-prtc-1", "htxs", "Hoàn thành xuất sắc nhiệm vụ tại Chi cục."),
    ("LDTT", "staff-prtc-2", "htt", "Hoàn thành tốt nhiệm vụ tại Chi cục."),
    ("LDTT", "staff-prtc-3", "htt", "Hoàn thành tốt nhiệm vụ tại Chi cục."),
    ("LDTT", "council6", "htt", "Hoàn thành tốt nhiệm vụ tại Chi cục."),
    ("LDTT", "staff-nhtb-3", "htt", "Hoàn thành tốt nhiệm vụ tại Chi cục."),
    ("GIAY_KHEN", "staff-nptn-1", "htxs", "Thành tích xuất sắc trong Tổng điều tra kinh tế năm 2023."),
    ("TTLDTT", "tkth", "htt", "Tập thể hoàn thành tốt nhiệm vụ năm 2023."),
    ("TTLDTT", "prtc", "htt", "Tập thể hoàn thành tốt nhiệm vụ năm 2023."),
    ("GIAY_KHEN", "nhtb", "htxs", "Tập thể có thành tích xuất sắc trong công tác chuyển đổi số."),
]
DECLINED = ("LDTT", "staff-nptn-3", "htt", "Hoàn thành nhiệm vụ được giao.")
UPWARD = [
    (
        "BANG_KHEN",
        "staff-prtc-1",
        "htxs",
        "Hai năm liên tục đạt danh hiệu Chiến sĩ thi đua cơ sở (2021, 2022).",
    ),
    ("TTLDXS", "tkkt", "htxs", "Tập thể hoàn thành xuất sắc nhiệm vụ năm 2023."),
]


class Command(BaseCommand):
    help = (
        "Tạo các văn bản mẫu (quyết định, tờ trình, báo cáo) từ dữ liệu minh họa, không để lại dữ liệu nào."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="docs/examples", help="Thư mục ghi văn bản mẫu.")
        parser.add_argument("--resolution", type=int, default=80, help="Độ phân giải ảnh PNG (dpi).")

    def handle(self, *args: Any, output: str, resolution: int, **options: Any) -> None:
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        with (
            tempfile.TemporaryDirectory(prefix="thidua-examples-") as media,
            override_settings(MEDIA_ROOT=media),
        ):
            files = self._build(folder)
        for path in files:
            self.stdout.write(f"  {path}")
        for name in ("quyet-dinh-khen-thuong", "to-trinh", "bao-cao"):
            self._render(folder / f"{name}.docx", resolution)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi văn bản mẫu vào {folder}/"))

    # --- the demo story, through the services ------------------------------------------------------
    def _build(self, folder: Path) -> list[Path]:
        written: list[Path] = []
        with transaction.atomic():
            call_command("loaddemo", stdout=io.StringIO())
            if Nomination.objects.exists():
                raise CommandError("Cơ sở dữ liệu đã có hồ sơ đề nghị: hãy chạy trên một cơ sở dữ liệu mới.")
            try:
                written = self._story(folder)
            except TransitionRefused as exc:
                raise CommandError(f"Không dựng được dữ liệu mẫu: {exc}") from exc
            transaction.set_rollback(True)
        return written

    def _story(self, folder: Path) -> list[Path]:
        people = {p.username: p for p in Person.objects.select_related("unit")}
        director, office, secretary = people["director"], people["office1"], people["secretary"]
        campaign = Campaign.objects.get(kind=Campaign.Kind.ANNUAL)
        session = CouncilSession.objects.create(
            name="Phiên họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm 2023",
            date=datetime.date(2023, 12, 28),
            state=CouncilSession.State.OPEN,
        )
        session.members.set(
            Person.objects.filter(
                username__in=["director", "secretary", *[f"council{i}" for i in range(1, 8)]]
            )
        )

        def propose(award: str, nominee: str, rating: str, summary: str) -> Nomination:
            person = people.get(nominee)
            unit_code = person.unit.code if person and person.unit else nominee  # a unit is named by its code
            head = people[f"head-{unit_code}"]
            nomination = nomination_services.nomination_create(
                actor=head,
                campaign=campaign,
                award=Award.objects.get(code=award),
                nominee_person=person,
                nominee_unit=head.unit if person is None else None,
                summary=summary,
                rating=rating,
            )
            for kind in (
                DossierFile.Kind.SUBMISSION,
                DossierFile.Kind.ACHIEVEMENT_REPORT,
                DossierFile.Kind.EVALUATION_MINUTES,
                DossierFile.Kind.PROOF,
            ):
                upload = SimpleUploadedFile("ho-so.pdf", PDF_BYTES, content_type="application/pdf")
                nomination_services.dossier_file_add(
                    nomination=nomination, actor=head, upload=upload, kind=kind
                )
            nomination = t.nomination_submit(nomination=nomination, actor=head)
            nomination = t.nomination_evaluate(
                nomination=nomination,
                actor=office,
                score=95,
                assessment="Đủ điều kiện, đề nghị Hội đồng xét.",
            )
            nomination = t.nomination_schedule(nomination=nomination, actor=secretary, session=session)
            # The council's ballots belong to the council area; here the example records a unanimous tally.
            return t.nomination_close_vote(
                nomination=nomination, actor=secretary, passed=True, tally={"yes": 9, "no": 0, "abstain": 0}
            )

        decided = [propose(*row) for row in DIRECTOR_AWARDS]
        declined = propose(*DECLINED)
        upward = [propose(*row) for row in UPWARD]
        decision = decision_services.decision_issue(
            nominations=decided, actor=director, number="15/QĐ-CTK", date=DECISION_DAY, signer=director
        )
        decision_services.decision_decline(
            nomination=declined, actor=director, reason="Chưa có thành tích tiêu biểu."
        )
        submission = upward_services.upward_submission_create(
            nominations=upward,
            actor=director,
            number="03/TTr-CTK",
            date=SUBMISSION_DAY,
            addressee="ministry",
            signer=director,
        )
        upward_services.upward_outcome_record(
            nomination=upward[0],
            actor=office,
            granted=True,
            decision_number="215/QĐ-BKHĐT",
            decision_date="2024-02-28",
        )
        upward_services.upward_outcome_record(
            nomination=upward[1],
            actor=office,
            granted=True,
            decision_number="98/QĐ-TCTK",
            decision_date="2024-02-20",
        )
        report = report_services.report_create(
            campaign=campaign, actor=office, number="45/BC-CTK", date=REPORT_DAY, signer=director
        )
        report = report_services.report_issue(report=report, actor=office)

        outputs = {
            "quyet-dinh-khen-thuong.docx": documents.build_decision_docx(decision),
            "to-trinh.docx": documents.build_submission_docx(submission),
            "bao-cao.docx": documents.build_report_docx(report),
            "bao-cao.xlsx": documents.build_report_xlsx(report),
        }
        paths = []
        for name, content in outputs.items():
            path = folder / name
            path.write_bytes(content)
            paths.append(path)
        return paths

    # --- PDF and PNG ---------------------------------------------------------------------------------
    def _render(self, docx: Path, resolution: int) -> None:
        if not documents.pdf_available():
            self.stdout.write(self.style.WARNING("LibreOffice không có: bỏ qua PDF và PNG."))
            return
        pdf = docx.with_suffix(".pdf")
        pdf.write_bytes(documents.docx_to_pdf(docx.read_bytes()))
        self.stdout.write(f"  {pdf}")
        pages = pdf_to_png(pdf, resolution=resolution)
        if not pages:
            self.stdout.write(self.style.WARNING("pdftoppm (poppler-utils) không có: bỏ qua PNG."))
        for png in pages:
            self.stdout.write(f"  {png}")
