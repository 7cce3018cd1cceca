"""Countries, languages, time zones, party identifiers and seller data.

Valid numbers are the examples of python-stdnum's own doctests (and, for
IBANs, the examples of the SWIFT IBAN registry); invalid ones change one digit
of a valid one.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from faktura.core.countries import (
    DOCUMENT_LANGUAGES,
    EU_MEMBER_STATES,
    country,
    country_name,
    language,
    time_zone,
    vat_prefix,
)
from faktura.core.errors import InvalidValue, MissingValue
from faktura.core.identifiers import bic, iban, registration_number, tax_id, vat_id
from faktura.core.parties import Address, PartyDetails, validate_address, validate_seller

# countries, languages, time zones


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("RO", "RO"), (" sk ", "SK"), ("hu", "HU"), ("XK", "XK")],
    ids=["upper", "padded-lower", "lower", "kosovo-user-assigned"],
)
def test_a_country_code_is_trimmed_and_uppercased(typed: str, expected: str) -> None:
    assert country(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("XX", "XX is not an ISO 3166-1 country code"),
        ("EU", "EU is not an ISO 3166-1 country code"),
        ("IC", "IC is not an ISO 3166-1 country code"),
        ("ROU", "ROU is not an ISO 3166-1 country code"),
        ("EL", "EL is not an ISO 3166-1 country code; use GR"),
        ("UK", "UK is not an ISO 3166-1 country code; use GB"),
    ],
    ids=["unknown", "eu-is-no-country", "canary-islands-reserved", "alpha-3", "greek-vat-prefix", "uk"],
)
def test_a_country_that_is_not_an_iso_code_is_refused_with_a_hint(typed: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        country(typed, field="buyer.address.country")
    assert (caught.value.field, caught.value.message) == ("buyer.address.country", message)


def test_an_empty_country_is_missing() -> None:
    with pytest.raises(MissingValue, match="the country is required"):
        country("  ")


def test_greece_is_gr_as_a_country_and_el_as_a_vat_prefix() -> None:
    assert (country("gr"), vat_prefix("gr"), country_name("GR")) == ("GR", "EL", "Greece")


def test_the_eu_has_27_member_states_all_known_to_babel() -> None:
    assert len(EU_MEMBER_STATES) == 27
    assert {country(cc) for cc in EU_MEMBER_STATES} == EU_MEMBER_STATES


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ro", "ro"),
        ("SK", "sk"),
        ("hu-HU", "hu"),
        ("cs_CZ", "cs"),
        (" en ", "en"),
        ("de", "de"),
        ("pl", "pl"),
    ],
    ids=["ro", "upper", "with-region", "underscore-region", "padded", "de", "pl"],
)
def test_a_document_language_is_normalised_to_its_iso_639_1_code(typed: str, expected: str) -> None:
    assert language(typed) == expected


def test_the_document_languages_are_those_of_f5_4() -> None:
    assert DOCUMENT_LANGUAGES == ("ro", "sk", "hu", "cs", "en", "de", "pl")


@pytest.mark.parametrize("typed", ["fr", "cz", "xx"], ids=["unsupported", "country-code-for-czech", "unknown"])
def test_a_language_without_templates_is_refused_with_the_list(typed: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        language(typed)
    assert caught.value.field == "language"
    assert caught.value.message == f"{typed} is not a document language; use ro, sk, hu, cs, en, de or pl"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Europe/Bucharest", "Europe/Bucharest"), ("europe/bratislava", "Europe/Bratislava"), ("UTC", "UTC")],
    ids=["canonical", "lowercase", "utc"],
)
def test_a_time_zone_is_returned_in_its_canonical_iana_spelling(typed: str, expected: str) -> None:
    assert time_zone(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["Europe/Bucuresti", "CET+1", "Romania/Bucharest"],
    ids=["romanian-spelling", "offset", "no-such-area"],
)
def test_a_time_zone_not_in_the_tz_database_is_refused(typed: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        time_zone(typed, field="seller.time_zone")
    assert caught.value.field == "seller.time_zone"
    assert caught.value.message == f"{typed} is not an IANA time zone name such as Europe/Bucharest"


# VAT ids


@pytest.mark.parametrize(
    ("typed", "cc", "expected"),
    [
        ("RO 185 472 90", "RO", "RO18547290"),
        ("185 472 90", "RO", "RO18547290"),
        ("SK 202 274 96 19", "SK", "SK2022749619"),
        ("HU-12892312", "HU", "HU12892312"),
        ("CZ 25123891", "CZ", "CZ25123891"),
        ("7103192745", "CZ", "CZ7103192745"),
        ("PL 8567346215", "PL", "PL8567346215"),
        ("DE 136,695 976", "DE", "DE136695976"),
        ("ATU 57194903", "AT", "ATU57194903"),
        ("BE697449992", "BE", "BE0697449992"),
        ("FR 61 954 506 077", "FR", "FR61954506077"),
        ("EL 094259216 ", "GR", "EL094259216"),
        ("GR094259216", "GR", "EL094259216"),
        ("094259216", "GR", "EL094259216"),
        ("GB 980 7806 84", "GB", "GB980780684"),
        ("XI 980 7806 84", "GB", "XI980780684"),
        ("NO 995 525 828 MVA", "NO", "NO995525828MVA"),
        ("CHE-107.787.577 IVA", "CH", "CHE107787577IVA"),
        ("12-3456789", "US", "US123456789"),
    ],
    ids=[
        "ro",
        "ro-without-prefix",
        "sk",
        "hu",
        "cz-legal-entity",
        "cz-birth-number",
        "pl",
        "de-with-separators",
        "at",
        "be-old-9-digits",
        "fr",
        "gr-with-el",
        "gr-with-iso-code",
        "gr-without-prefix",
        "gb",
        "northern-ireland",
        "norway",
        "switzerland",
        "us-without-stdnum-module",
    ],
)
def test_a_valid_vat_id_comes_back_compact_with_its_prefix(typed: str, cc: str, expected: str) -> None:
    assert vat_id(typed, country=cc) == expected


@pytest.mark.parametrize(
    ("typed", "cc", "message"),
    [
        ("RO 185 472 91", "RO", "RO18547291 is not a valid VAT id of Romania (checksum does not match)"),
        ("RO18547290123", "RO", "RO18547290123 is not a valid VAT id of Romania (wrong length)"),
        ("ROABC", "RO", "ROABC is not a valid VAT id of Romania (wrong format)"),
        (
            "SK 202 274 96 18",
            "SK",
            "SK2022749618 is not a valid VAT id of Slovakia (checksum does not match)",
        ),
        ("HU-12892313", "HU", "HU12892313 is not a valid VAT id of Hungary (checksum does not match)"),
        ("25123890", "CZ", "CZ25123890 is not a valid VAT id of Czechia (checksum does not match)"),
        ("PL 8567346216", "PL", "PL8567346216 is not a valid VAT id of Poland (checksum does not match)"),
        ("136695978", "DE", "DE136695978 is not a valid VAT id of Germany (checksum does not match)"),
        ("EL 123456781", "GR", "EL123456781 is not a valid VAT id of Greece (checksum does not match)"),
        (
            "802311781",
            "GB",
            "GB802311781 is not a valid VAT id of the United Kingdom (checksum does not match)",
        ),
        (
            "NO 995 525 829 MVA",
            "NO",
            "NO995525829MVA is not a valid VAT id of Norway (checksum does not match)",
        ),
        (
            "CHE-107.787.578 IVA",
            "CH",
            "CHE107787578IVA is not a valid VAT id of Switzerland (checksum does not match)",
        ),
        ("12#", "US", "US12# is not a valid VAT id of the United States (wrong format)"),
    ],
    ids=[
        "ro-checksum",
        "ro-length",
        "ro-format",
        "sk-checksum",
        "hu-checksum",
        "cz-checksum",
        "pl-checksum",
        "de-checksum",
        "gr-checksum",
        "gb-checksum",
        "no-checksum",
        "ch-checksum",
        "us-charset",
    ],
)
def test_an_invalid_vat_id_is_refused_with_the_reason(typed: str, cc: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        vat_id(typed, country=cc)
    assert (caught.value.field, caught.value.message) == ("vat_id", message)


@pytest.mark.parametrize(
    ("typed", "cc", "message"),
    [
        ("DE136695976", "RO", "DE136695976 is a VAT id of Germany, not of Romania"),
        ("HU12892312", "SK", "HU12892312 is a VAT id of Hungary, not of Slovakia"),
        ("EL094259216", "CY", "EL094259216 is a VAT id of Greece, not of Cyprus"),
        ("XI980780684", "IE", "XI980780684 is a VAT id of Northern Ireland, not of Ireland"),
        ("RO18547290", "GB", "RO18547290 is a VAT id of Romania, not of the United Kingdom"),
    ],
    ids=["de-for-ro", "hu-for-sk", "el-for-cy", "xi-for-ie", "eu-id-for-non-eu-country"],
)
def test_a_vat_id_of_another_country_is_refused_as_such(typed: str, cc: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        vat_id(typed, country=cc, field="buyer.vat_id")
    assert (caught.value.field, caught.value.message) == ("buyer.vat_id", message)


def test_an_empty_vat_id_is_missing() -> None:
    with pytest.raises(MissingValue) as caught:
        vat_id(" - ", country="RO")
    assert (caught.value.field, caught.value.message) == ("vat_id", "the VAT id is required")


def test_a_vat_id_for_an_unknown_country_names_the_country_field() -> None:
    with pytest.raises(InvalidValue) as caught:
        vat_id("RO18547290", country="ZZ")
    assert caught.value.field == "country"


# registration numbers and domestic tax ids


@pytest.mark.parametrize(
    ("typed", "cc", "expected"),
    [
        ("J52/750/2012", "RO", "J52/750/2012"),
        ("j 52/750/2012", "RO", "J52/750/2012"),
        ("J2012000750528", "RO", "J2012000750528"),
        ("Aachen HRA 11223", "DE", "Aachen HRA 11223"),
        ("HRA 11223, Amtsgericht Aachen", "DE", "Aachen HRA 11223"),
        ("192598184", "PL", "192598184"),
        ("12345678512347", "PL", "12345678512347"),
        ("0000123456", "PL", "0000123456"),
        ("25123891", "CZ", "25123891"),
        ("123 456", "SK", "00123456"),
        ("Cg. 01-09-123456", "HU", "Cg. 01-09-123456"),
        (" 12  345 ", "FR", "12 345"),
    ],
    ids=[
        "ro-old-format",
        "ro-old-format-lowercase",
        "ro-2024-format",
        "de-court-first",
        "de-with-amtsgericht",
        "pl-regon-9",
        "pl-regon-14",
        "pl-krs-has-no-check-digit",
        "cz-ico",
        "sk-ico-zero-padded-format-only",
        "hu-kept-as-typed",
        "elsewhere-whitespace-collapsed",
    ],
)
def test_a_registration_number_is_checked_where_its_rule_is_known(typed: str, cc: str, expected: str) -> None:
    assert registration_number(typed, country=cc) == expected


@pytest.mark.parametrize(
    ("typed", "cc", "message"),
    [
        (
            "J2012000750529",
            "RO",
            "J2012000750529 is not a valid trade register number of Romania (checksum does not match)",
        ),
        (
            "X52/750/2012",
            "RO",
            "X52/750/2012 is not a valid trade register number of Romania (unknown type letter, county or year)",
        ),
        (
            "Aachen HRC 44123",
            "DE",
            "Aachen HRC 44123 is not a valid Handelsregister number of Germany (wrong format)",
        ),
        (
            "Nirgendwo HRA 11223",
            "DE",
            "Nirgendwo HRA 11223 is not a valid Handelsregister number of Germany (unknown register court)",
        ),
        (
            "192598183",
            "PL",
            "192598183 is not a valid KRS or REGON number of Poland (checksum does not match)",
        ),
        ("12345", "PL", "12345 is not a valid KRS or REGON number of Poland (wrong length)"),
        ("25123890", "CZ", "25123890 is not a valid IČO of Czechia (checksum does not match)"),
        ("123456789", "SK", "123456789 is not a valid IČO of Slovakia (wrong length)"),
    ],
    ids=[
        "ro-checksum",
        "ro-type-letter",
        "de-register-type",
        "de-court",
        "pl-checksum",
        "pl-length",
        "cz-checksum",
        "sk-length",
    ],
)
def test_an_invalid_registration_number_is_refused_with_the_reason(typed: str, cc: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        registration_number(typed, country=cc)
    assert (caught.value.field, caught.value.message) == ("registration_number", message)


@pytest.mark.parametrize(
    ("typed", "cc", "expected"),
    [
        ("RO 185 472 90", "RO", "18547290"),
        ("185 472 90", "RO", "18547290"),
        # the 8-digit core is stdnum's example; the VAT code and county digits are only shaped
        ("12892312-2-41", "HU", "12892312-2-41"),
        ("PL 8567346215", "PL", "8567346215"),
        ("25123891", "CZ", "25123891"),
        ("181/815/0815 5", "DE", "18181508155"),
        ("2022749619", "SK", "2022749619"),
    ],
    ids=["ro-cui-with-prefix", "ro-cui", "hu-adoszam", "pl-nip", "cz-dic", "de-steuernummer", "sk-dic"],
)
def test_a_domestic_tax_id_is_checked_where_its_rule_is_known(typed: str, cc: str, expected: str) -> None:
    assert tax_id(typed, country=cc) == expected


@pytest.mark.parametrize(
    ("typed", "cc", "message"),
    [
        (
            "185 472 91",
            "RO",
            "185 472 91 is not a valid tax id (CUI/CIF) of Romania (checksum does not match)",
        ),
        (
            "12892313-2-41",
            "HU",
            "12892313-2-41 is not a valid tax number (adószám) of Hungary (checksum does not match)",
        ),
        ("12892312", "HU", "12892312 is not a valid tax number (adószám) of Hungary (wrong length)"),
        ("8567346216", "PL", "8567346216 is not a valid tax id (NIP) of Poland (checksum does not match)"),
    ],
    ids=["ro-checksum", "hu-checksum", "hu-eu-vat-number-is-too-short", "pl-checksum"],
)
def test_an_invalid_tax_id_is_refused_with_the_reason(typed: str, cc: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        tax_id(typed, country=cc)
    assert (caught.value.field, caught.value.message) == ("tax_id", message)


# bank identifiers


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("GR16 0110 1050 0000 1054 7023 795", "GR1601101050000010547023795"),
        ("BE31435411161155", "BE31435411161155"),
        ("ro49 aaaa 1b31 0075 9384 0000", "RO49AAAA1B31007593840000"),
        ("SK31 1200 0000 1987 4263 7541", "SK3112000000198742637541"),
        ("HU42 1177 3016 1111 1018 0000 0000", "HU42117730161111101800000000"),
        ("CZ65 0800 0000 1920 0014 5399", "CZ6508000000192000145399"),
        ("PL61 1090 1014 0000 0712 1981 2874", "PL61109010140000071219812874"),
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ],
    ids=["gr", "be", "ro-lowercase", "sk", "hu", "cz", "pl", "de"],
)
def test_a_valid_iban_comes_back_compact(typed: str, expected: str) -> None:
    assert iban(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "RO49AAAA1B31007593840001",
            "RO49AAAA1B31007593840001 is not a valid IBAN (checksum does not match)",
        ),
        # one character short, check digits recomputed: the checksum holds, the Romanian layout does not
        ("RO23AAAA1B3100759384000", "RO23AAAA1B3100759384000 is not a valid IBAN (wrong format)"),
    ],
    ids=["checksum", "layout-of-its-country"],
)
def test_an_invalid_iban_is_refused_with_the_reason(typed: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        iban(typed, field="bank_accounts[0].iban")
    assert (caught.value.field, caught.value.message) == ("bank_accounts[0].iban", message)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("AGRIFRPP882", "AGRIFRPP882"), ("ABNA BE 2A", "ABNABE2A"), ("agrifrpp", "AGRIFRPP")],
    ids=["with-branch", "spaced", "lowercase"],
)
def test_a_valid_bic_comes_back_compact(typed: str, expected: str) -> None:
    assert bic(typed) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("AGRIFRPP8", "wrong length"), ("AGRIF2PP", "wrong format")],
    ids=["length", "format"],
)
def test_an_invalid_bic_is_refused_with_the_reason(typed: str, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        bic(typed)
    assert (caught.value.field, caught.value.message) == ("bic", f"{typed} is not a valid BIC ({reason})")


# addresses and sellers

OFFICE = Address(street=" Str. Lipscani 10 ", city="București", postal_code="030031", country="ro")
SELLER = PartyDetails(
    legal_name="Exemplu SRL",
    address=OFFICE,
    vat_registered=True,
    vat_id="RO 185 472 90",
    registration_number="J52/750/2012",
)


def test_a_valid_address_comes_back_trimmed_with_an_iso_country() -> None:
    assert validate_address(OFFICE) == Address(
        street="Str. Lipscani 10", city="București", postal_code="030031", country="RO", region=None
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"street": ""}, "address.street"),
        ({"city": "  "}, "address.city"),
        ({"country": ""}, "address.country"),
        ({"postal_code": ""}, "address.postal_code"),
    ],
    ids=["street", "city", "country", "postal-code-in-the-eu"],
)
def test_a_missing_address_field_is_named(change: dict[str, str], field: str) -> None:
    with pytest.raises(MissingValue) as caught:
        validate_address(replace(OFFICE, **change))
    assert caught.value.field == field


def test_the_first_missing_address_field_is_the_one_reported() -> None:
    with pytest.raises(MissingValue) as caught:
        validate_address(replace(OFFICE, street="", city=""), field="buyer.address")
    assert caught.value.field == "buyer.address.street"


@pytest.mark.parametrize("cc", ["IE", "AE", "US"], ids=["ireland", "no-postal-codes", "outside-the-eu"])
def test_a_postal_code_is_optional_where_not_every_address_has_one(cc: str) -> None:
    assert validate_address(replace(OFFICE, country=cc, postal_code="")).postal_code == ""


def test_a_complete_romanian_seller_comes_back_with_compact_ids() -> None:
    seller = validate_seller(SELLER)
    assert (seller.vat_id, seller.registration_number, seller.address.country) == (
        "RO18547290",
        "J52/750/2012",
        "RO",
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"legal_name": " "}, "legal_name", "the legal name is required"),
        ({"vat_id": None}, "vat_id", "the VAT id is required for sellers registered for VAT"),
        (
            {"registration_number": ""},
            "registration_number",
            "the trade register number is required in Romania",
        ),
        (
            {"vat_registered": False, "vat_id": None},
            "tax_id",
            "the tax id is required in Romania when not registered for VAT",
        ),
    ],
    ids=["legal-name", "vat-id-when-registered", "ro-trade-register-number", "ro-cui-when-not-registered"],
)
def test_a_seller_missing_mandatory_data_is_refused_naming_the_field(
    change: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(MissingValue) as caught:
        validate_seller(replace(SELLER, **change))  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.message) == (field, message)


def test_a_seller_field_path_can_be_prefixed() -> None:
    with pytest.raises(MissingValue) as caught:
        validate_seller(replace(SELLER, address=replace(OFFICE, city="")), field="seller")
    assert caught.value.field == "seller.address.city"


def test_a_seller_with_a_malformed_vat_id_is_refused_as_invalid() -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_seller(replace(SELLER, vat_id="RO18547291"))
    assert caught.value.field == "vat_id"


def test_a_romanian_seller_not_registered_for_vat_gives_the_cui() -> None:
    seller = validate_seller(replace(SELLER, vat_registered=False, vat_id=None, tax_id="185 472 90"))
    assert (seller.vat_id, seller.tax_id) == (None, "18547290")


def test_a_hungarian_seller_always_gives_the_adoszam() -> None:
    hungarian = replace(
        SELLER,
        address=replace(OFFICE, country="HU", postal_code="1051", city="Budapest"),
        vat_id="HU12892312",
        registration_number=None,
    )
    with pytest.raises(MissingValue) as caught:
        validate_seller(hungarian)
    assert (caught.value.field, caught.value.message) == ("tax_id", "the tax id is required in Hungary")


def test_a_slovak_seller_needs_no_registration_number() -> None:
    slovak = replace(
        SELLER,
        address=replace(OFFICE, country="SK", postal_code="811 01", city="Bratislava"),
        vat_id="SK2022749619",
        registration_number=None,
    )
    assert validate_seller(slovak).registration_number is None
