"""The office's documents (Decree 30/2020/NĐ-CP format): decisions, upward submissions, reports.

Word files with python-docx, the report's tables also with openpyxl, PDF by LibreOffice headless.
See docs/documents.md.
"""

from __future__ import annotations

from nominations.documents.decision import build_decision_docx
from nominations.documents.pdf import PdfUnavailable, docx_to_pdf, pdf_available
from nominations.documents.report import build_report_docx, build_report_xlsx
from nominations.documents.submission import build_submission_docx

__all__ = [
    "PdfUnavailable",
    "build_decision_docx",
    "build_report_docx",
    "build_report_xlsx",
    "build_submission_docx",
    "docx_to_pdf",
    "pdf_available",
]
