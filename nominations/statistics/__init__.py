"""The statistics of the Home Affairs sector (Thông tư 02/2023/TT-BNV), computed from the domain's rows.

Pure reads of `nominations.models`: the forms (`forms.py`) as data and their figures for a year
(`compute.py`). The pages, the API and the files (`nominations.documents.statistics_*`) all use these.
"""

from __future__ import annotations

from nominations.statistics.compute import StatisticsTable, statistics_table
from nominations.statistics.forms import FORMS, FormSpec

__all__ = ["FORMS", "FormSpec", "StatisticsTable", "statistics_table"]
