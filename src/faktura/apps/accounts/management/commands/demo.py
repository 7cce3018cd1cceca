"""``faktura demo [--json]``: load the demo seller and print how to sign in and call the API.

Idempotent: a second run keeps the demo data and only issues a new API key and
new passwords (see ``faktura.apps.accounts.management.demo_seller``). With
``--json`` stdout holds exactly one JSON object:
``{"seller_id", "channels": [{"id", "code", "name"}], "api_key", "user": {"email",
"password"}, "admin": {"email", "password"}, "url", "admin_url"}``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from faktura.apps.accounts.management.base import FakturaCommand
from faktura.apps.accounts.management.demo_seller import DemoResult, demo_load
from faktura.demo import data


class Command(FakturaCommand):
    help = "Create the demo seller (or refresh its credentials) and print the login and a new API key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print one JSON object instead of text.")
        parser.add_argument(
            "--password", default="", help="Password for the demo accounts (default: a new random one each run)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_load(password=options["password"])
        url = settings.FAKTURA_BASE_URL.rstrip("/") + "/"
        if options["json"]:
            self.write_json(
                {
                    "seller_id": result.organization.pk,
                    "channels": result.channels,
                    "api_key": result.api_key,
                    "user": {"email": data.USER_EMAIL, "password": result.password},
                    "admin": {"email": data.ADMIN_EMAIL, "password": result.password},
                    "url": url,
                    "admin_url": url + "admin/",
                }
            )
            return
        self.stdout.write(_text(result, url))


def _text(result: DemoResult, url: str) -> str:
    organization = result.organization
    lines = [
        "",
        "Faktura demo is ready.",
        "",
        f"  Web app    {url}",
        f"  Admin      {url}admin/",
        f"  Seller     {organization.legal_name} (#{organization.pk}), {organization.vat_id}",
        f"  Login      {data.USER_EMAIL} / {result.password}   (owner of the demo seller)",
        f"  Operator   {data.ADMIN_EMAIL} / {result.password}   (superuser, for the admin)",
        f"  API key    {result.api_key}",
        "             (new on every run; earlier demo keys are revoked). Try it:",
        f"             curl -H 'Authorization: Bearer {result.api_key}' {url}api/v1/me",
        f"  API docs   {url}api/docs",
        "",
    ]
    if result.created:
        lines.append("Created:")
        lines += [f"  - {item}" for item in result.created_items]
    else:
        lines.append(
            "The demo seller existed already: its data is kept as it was; the API key and the passwords above are new."
        )
    channels = ", ".join(f"{c['name']} (#{c['id']}, {c['code']})" for c in result.channels)
    lines += [f"Channels: {channels}", ""]
    return "\n".join(lines)
