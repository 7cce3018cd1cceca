"""``faktura seller create``: a seller with a key, or one line saying which field is wrong."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from faktura.apps.accounts.models import Organization, User
from faktura.apps.accounts.selectors import api_key_authenticate, role_of
from faktura.core.errors import ValidationError
from tests.integration.cli.conftest import faktura

GOOD = [
    "--legal-name=Exemplu Comerț SRL",
    "--country=RO",
    "--vat-id=RO18547290",
    "--registration-number=J52/750/2012",
    "--street=Str. Lipscani 10",
    "--city=București",
    "--postal-code=030031",
    "--time-zone=Europe/Bucharest",
    "--currency=RON",
    "--language=ro",
]


def with_value(option: str, value: str) -> list[str]:
    return [arg for arg in GOOD if not arg.startswith(f"{option}=")] + [f"{option}={value}"]


@pytest.mark.django_db(transaction=True)
def test_a_bad_vat_id_exits_2_naming_the_field_and_stores_nothing() -> None:
    run = faktura("seller", "create", *with_value("--vat-id", "RO18547291"), "--owner-email=ana@example.ro")

    assert run.returncode == 2
    assert run.stderr.startswith("vat_id: RO18547291 is not a valid VAT id of Romania")
    assert "Traceback" not in run.stderr
    assert not Organization.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_good_input_as_a_process_creates_the_seller_and_prints_a_working_key() -> None:
    run = faktura("seller", "create", *GOOD, "--json")

    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    seller = Organization.objects.get(pk=result["seller_id"])
    assert (seller.legal_name, seller.vat_id) == ("Exemplu Comerț SRL", "RO18547290")
    assert seller.time_zone == "Europe/Bucharest"
    key = api_key_authenticate(plaintext=result["api_key"])
    assert key is not None
    assert key.organization_id == seller.pk


@pytest.mark.django_db
def test_an_owner_is_created_with_the_seller() -> None:
    out = StringIO()
    call_command("seller_create", *GOOD, "--owner-email=Ana@Example.ro", "--owner-password=s3cret-pass", stdout=out)

    seller = Organization.objects.get()
    owner = User.objects.get(email__iexact="ana@example.ro")
    assert owner.check_password("s3cret-pass")
    assert role_of(user=owner, organization=seller) == "owner"
    assert f"Created seller #{seller.pk}" in out.getvalue()
    assert "API key (shown only now" in out.getvalue()


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [
        ("--vat-id", "RO18547291", "vat_id"),
        ("--registration-number", "", "registration_number"),
        ("--postal-code", "", "address.postal_code"),
        ("--time-zone", "Europe/Bucharestt", "time_zone"),
        ("--currency", "LEI", "currency"),
    ],
    ids=["vat-id", "missing-trade-register", "missing-postal-code", "time-zone", "currency"],
)
@pytest.mark.django_db
def test_in_process_a_bad_value_raises_the_domain_error_for_its_field(option: str, value: str, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        call_command("seller_create", *with_value(option, value))
    assert caught.value.field == field
    assert not Organization.objects.exists()
