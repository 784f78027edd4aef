from __future__ import annotations

from ninja import NinjaAPI

from naikkelas.api import errors
from naikkelas.api.privacy import router as privacy_router
from naikkelas.api.registry import router as registry_router

api = NinjaAPI(
    title="naikkelas API",
    version="1",
    description="Register UMKM: usaha, pemilik, wilayah. Token: header 'Authorization: Bearer TOKEN'.",
    urls_namespace="api-v1",
)
errors.install(api)
api.add_router("/", registry_router)
api.add_router("/", privacy_router)
api.add_router("/imports", "naikkelas.api.intake.router")
api.add_router("/linkage", "naikkelas.api.linkage.router")
api.add_router("/", "naikkelas.api.programs.router")
api.add_router("/", "naikkelas.api.guidance.router")
api.add_router("/", "naikkelas.api.market.router")
api.add_router("/", "naikkelas.api.kendala.router")
api.add_router("/", "naikkelas.api.association.router")
