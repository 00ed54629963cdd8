"""The language of texts that outlive the request.

The pages answer in the reader's language (Vietnamese, or English after the switch), but e-mails and the
comments the system writes into the audit log are read later by other people, who did not choose the
actor's language: they are written in the office's language (settings.LANGUAGE_CODE), and the links in
them carry no /en/ prefix. The office's documents (decision, submission, report, minutes) are official
Vietnamese texts and are built in that language too.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def site_language() -> translation.override:
    return translation.override(settings.LANGUAGE_CODE)
