from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def deployment(request: HttpRequest) -> dict[str, object]:
    return {"NAIKKELAS_AREA_CODE": settings.NAIKKELAS_AREA_CODE}
