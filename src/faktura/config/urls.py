"""URL map of the whole instance: admin for operators; API and web app join here."""

import logging

from django.contrib import admin
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_GET
from django.views.generic import RedirectView

from faktura.config.api import api, api_docs

logger = logging.getLogger(__name__)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("webhooks/", include("faktura.apps.integrations.urls")),
    path("d/", include("faktura.apps.delivery.urls")),
    path("my/", include("faktura.apps.portal.urls")),
    path("api/docs", api_docs, name="api-docs"),
    path("app/", include("faktura.web.urls")),
    path("app/", include("faktura.apps.accounts.web_urls")),
    path("app/", include("faktura.apps.automation.web_urls")),
    path("app/", include("faktura.apps.layouts.web_urls")),
    path("app/", include("faktura.apps.delivery.web_urls")),
    path("app/", include("faktura.apps.invoicing.web_urls")),
    path("app/", include("faktura.apps.sales.web_urls")),
    path("app/", include("faktura.apps.exports.web_urls")),
    path("", RedirectView.as_view(url="/app/"), name="home"),
]
