"""API: the one body of every attachment endpoint (a nomination's dossier file, a unit's shared paper):
validate the multipart form, add the file through its service (which checks who, the state and the
content), answer 201 with the stored file in its one shape (`serializers.StoredFileSerializer`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from workflow.api.serializers import StoredFileSerializer
from workflow.base.inputs import InputSerializer


def attach(
    request: Request,
    *,
    form: type[InputSerializer],
    add: Callable[..., Any],
    shape: type[StoredFileSerializer],
) -> Response:
    """`form`: the endpoint's input (`file`, `kind`); `add(upload=, kind=)`: its service call."""
    data = form(data=request.data)
    data.is_valid(raise_exception=True)
    row = add(upload=data.validated_data["file"], kind=data.validated_data["kind"])
    return Response(shape(row).data, status=status.HTTP_201_CREATED)
