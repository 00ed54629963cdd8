"""Spreadsheet imports: reading an uploaded .xlsx safely (`sheet`) and writing its template (`template`).

Shared by every template → preview → commit import (the unit's list of nominees, the award history, the
yearly ratings): what a row means is the caller's business; how a sheet is read, checked and reported
on is here, once.
"""
