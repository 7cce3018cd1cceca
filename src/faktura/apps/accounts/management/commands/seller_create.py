"""``faktura seller create``: a new, empty seller with an API key, for operators and scripts.

Every value goes through ``organization_create``, so the checks are those of
the web app and the API: a bad value prints ``field: message`` on stderr and
exits with status 2, and nothing is stored. With ``--owner-email`` the person
becomes the seller's owner (an account is created when none exists; give it
a password with ``--owner-password``). The API key is printed once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction

from faktura.apps.accounts.management.base import FakturaCommand
from faktura.apps.accounts.models import User
from faktura.apps.accounts.services import SellerDetails, api_key_create, organization_create, user_create
from faktura.core.actors import CLI
from faktura.core.errors import Conflict

# --legal-name fills SellerDetails.legal_name, and so on
_DETAILS = (
    ("--legal-name", "Legal name as registered, e.g. 'Exemplu Comerț SRL'."),
    ("--trade-name", "Name the buyers know, if different."),
    ("--country", "ISO 3166 country code of the seat, e.g. RO."),
    ("--vat-id", "VAT id with its country prefix, e.g. RO18547290."),
    ("--tax-id", "National tax id, for sellers not registered for VAT (see --no-vat)."),
    ("--registration-number", "Trade register number, e.g. J52/750/2012 (required in Romania)."),
    ("--street", "Street and number."),
    ("--city", "City."),
    ("--postal-code", "Postal code."),
    ("--region", "County or region."),
    ("--email", "Contact email printed on documents."),
    ("--phone", "Contact phone printed on documents."),
    ("--website", "Website printed on documents."),
    ("--time-zone", "IANA time zone, e.g. Europe/Bucharest; decides the date and year of every number."),
    ("--currency", "Accounting currency (ISO 4217), e.g. RON."),
    ("--language", "Default document language, e.g. ro."),
)


class Command(FakturaCommand):
    help = "Create a seller (organization) and print its id and a new API key."

    def add_arguments(self, parser: CommandParser) -> None:
        for option, text in _DETAILS:
            parser.add_argument(option, default="", help=text)
        parser.add_argument("--no-vat", action="store_true", help="The seller is not registered for VAT.")
        parser.add_argument("--owner-email", default="", help="Make this person the owner (created if new).")
        parser.add_argument("--owner-password", default="", help="Password for a new owner account.")
        parser.add_argument("--api-key-name", default="Command line", help="Name of the API key created.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object instead of text.")

    def handle(self, *args: Any, **options: Any) -> None:
        given = {_field(option): options[_field(option)].strip() for option, _ in _DETAILS}
        details = SellerDetails(**given, vat_registered=not options["no_vat"])
        details.validated()  # every field checked before any account is created
        with transaction.atomic():
            owner = _owner(options["owner_email"].strip(), options["owner_password"])
            organization = organization_create(actor=CLI, details=details, owner=owner)
            _, api_key = api_key_create(actor=CLI, organization=organization, name=options["api_key_name"])
        if options["json"]:
            self.write_json(
                {
                    "seller_id": organization.pk,
                    "legal_name": organization.legal_name,
                    "vat_id": organization.vat_id,
                    "owner": owner.email if owner else None,
                    "api_key": api_key,
                }
            )
            return
        self.stdout.write(f"Created seller #{organization.pk}: {organization.legal_name}")
        if owner is not None:
            self.stdout.write(f"Owner: {owner.email}")
        self.stdout.write(f"API key (shown only now; store it safely): {api_key}")


def _field(option: str) -> str:
    return option.removeprefix("--").replace("-", "_")


def _owner(email: str, password: str) -> User | None:
    if not email:
        if password:
            raise Conflict("give --owner-email too, or leave out --owner-password", field="owner_password")
        return None
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        return user_create(email=email, password=password or None)
    if password:
        raise Conflict(
            f"{existing.email} already has an account; leave out --owner-password to make them the owner",
            field="owner_password",
        )
    return existing
