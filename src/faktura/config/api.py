"""The REST API's composition root: version 1, its auth, its errors and the apps' routers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from faktura.apps.accounts.api import ApiKeyAuth
from faktura.apps.accounts.api import router as accounts_router
from faktura.apps.automation.api import router as automation_router
from faktura.apps.delivery.api import router as delivery_router
from faktura.apps.integrations.api import router as integrations_router
from faktura.apps.invoicing.api import router as invoicing_router
from faktura.apps.layouts.api import router as layouts_router
from faktura.apps.sales.api import router as sales_router
from faktura.platform.api_errors import install_error_handlers
from faktura.platform.api_parser import DecimalJsonParser

api = NinjaAPI(
    title="Faktura API",
    version="1",
    description="Orders in, documents out. Every error is `{code, message, field}` with a 4xx status.",
    auth=ApiKeyAuth(),
    urls_namespace="api-v1",
    docs_url=None,
    parser=DecimalJsonParser(),
)
install_error_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/", sales_router)
api.add_router("/", invoicing_router)
api.add_router("/", automation_router)
api.add_router("/", integrations_router)
api.add_router("/", delivery_router)
api.add_router("/", layouts_router)


def api_docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI at /api/docs, served from the bundled static files (no CDN)."""
    return Swagger().render_page(request, api)
