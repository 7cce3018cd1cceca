"""A Romanian online shop with two sales channels, its buyers and a week of orders.

Every identifier is checksum-valid (python-stdnum's own examples or computed
check digits) and belongs to no real company or account; names are invented.
Prices are gross (VAT included) at the rates in force in Romania since
2025-08-01: 21 % standard, 11 % reduced (food, books). The intra-EU order sells
at net prices with 0 % under category ``intra_eu`` (the buyer self-assesses).

The seller is recognised by ``SELLER["legal_name"]`` and ``SELLER["vat_id"]``
together: ``faktura demo`` reuses a seller that has both instead of creating a
second one.

>>> sorted(channel.code for channel in CHANNELS)
['magazin', 'ovoko']
>>> [line.sku for line in ORDERS[0].lines], ORDERS[0].issue
(['CANA-350', 'MIERE-500'], 'invoice')
>>> all(line.sku in PRODUCTS for order in ORDERS for line in order.lines)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SELLER: dict[str, Any] = {  # the fields of accounts.services.SellerDetails
    "legal_name": "Casa Verde Demo SRL",
    "trade_name": "Casa Verde",
    "country": "RO",
    "vat_id": "RO18547290",
    "registration_number": "J52/750/2012",
    "street": "Str. Lipscani 10",
    "city": "București",
    "postal_code": "030031",
    "region": "București",
    "email": "facturi@casaverde.example",
    "phone": "+40 21 555 0100",
    "website": "https://casaverde.example",
    "time_zone": "Europe/Bucharest",
    "currency": "RON",
    "language": "ro",
}

BANK_ACCOUNT: dict[str, str] = {
    "iban": "RO49AAAA1B31007593840000",
    "currency": "RON",
    "bank_name": "Banca Exemplu",
    "label": "Cont curent RON",
}

USER_EMAIL = "demo@faktura.local"
ADMIN_EMAIL = "admin@faktura.local"
API_KEY_NAME = "Demo key"


@dataclass(frozen=True)
class SeriesSpec:
    document_type: str
    name: str
    pattern: str = ""  # as a seller writes it, e.g. FARRRRCCC
    prefix: str = ""  # or a bare prefix: OVO -> OVO{RRRR}{CCCC}


@dataclass(frozen=True)
class Channel:
    code: str
    name: str
    kind: str
    series: tuple[SeriesSpec, ...]


# Debit and credit documents are numbered apart (F3.1), and no two patterns can
# produce the same number: FA / PF / FS differ in a letter, OVO / OVOP / OVOC
# are followed by a digit or by a different letter.
CHANNELS: tuple[Channel, ...] = (
    Channel(
        code="magazin",
        name="Magazin online",
        kind="own_shop",
        series=(
            SeriesSpec("invoice", "Facturi magazin", pattern="FARRRRCCC"),
            SeriesSpec("proforma", "Proforme magazin", pattern="PFRRRRCCC"),
            SeriesSpec("credit_note", "Facturi storno magazin", pattern="FSRRRRCCC"),
        ),
    ),
    Channel(
        code="ovoko",
        name="Ovoko",
        kind="marketplace",
        series=(
            SeriesSpec("invoice", "Facturi Ovoko", prefix="OVO"),
            SeriesSpec("proforma", "Proforme Ovoko", prefix="OVOP"),
            SeriesSpec("credit_note", "Facturi storno Ovoko", prefix="OVOC"),
        ),
    ),
)


@dataclass(frozen=True)
class Buyer:
    key: str
    name: str
    country: str
    email: str
    street: str
    city: str
    postal_code: str
    is_business: bool = False
    vat_id: str = ""
    registration_number: str = ""
    language: str = ""


BUYERS: tuple[Buyer, ...] = (
    Buyer("ana", "Ana Popescu", "RO", "ana.popescu@example.ro", "Bd. Eroilor 5, ap. 12", "Cluj-Napoca", "400129"),
    Buyer("mihai", "Mihai Ionescu", "RO", "mihai.ionescu@example.ro", "Str. Lăpușneanu 14", "Iași", "700057"),
    Buyer("elena", "Elena Dumitrescu", "RO", "elena.d@example.ro", "Str. Republicii 21", "Brașov", "500030"),
    Buyer("andrei", "Andrei Stan", "RO", "andrei.stan@example.ro", "Str. Alba Iulia 3", "Timișoara", "300077"),
    Buyer(
        "cafenea",
        "Cafeneaua Veche SRL",
        "RO",
        "achizitii@cafeneauaveche.example",
        "Str. Smârdan 7",
        "București",
        "030072",
        is_business=True,
        vat_id="RO34567892",
        registration_number="J40/1234/2015",
    ),
    Buyer(
        "keramia",
        "Kerámia Design Kft.",
        "HU",
        "beszerzes@keramia.example",
        "Váci utca 12",
        "Budapest",
        "1052",
        is_business=True,
        vat_id="HU12892312",
        language="hu",
    ),
)


@dataclass(frozen=True)
class Product:
    name: str
    gross_price: Decimal
    vat_rate: Decimal
    vat_category: str = "standard"


_21, _11 = Decimal(21), Decimal(11)
PRODUCTS: dict[str, Product] = {
    "CANA-350": Product("Cană ceramică pictată manual, 350 ml", Decimal("45.00"), _21),
    "PAHARE-6": Product("Set 6 pahare din sticlă reciclată", Decimal("89.90"), _21),
    "LUMANARE-SOIA": Product("Lumânare parfumată din ceară de soia", Decimal("54.00"), _21),
    "FULAR-MERINOS": Product("Fular din lână merinos", Decimal("129.00"), _21),
    "TAVA-30": Product("Tavă ceramică pentru copt, 30 cm", Decimal("119.00"), _21),
    "MIERE-500": Product("Miere de salcâm, borcan 500 g", Decimal("38.50"), _11, "reduced"),
    "CEAI-TEI": Product("Ceai de tei, 50 g", Decimal("14.90"), _11, "reduced"),
    "CARTE-BUCATE": Product("Carte: Bucătăria tradițională românească", Decimal("59.00"), _11, "reduced"),
}


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: Decimal
    unit_price: Decimal | None = None  # the product's gross price unless given
    vat_category: str = ""  # the product's unless given
    vat_rate: Decimal | None = None


def _lines(*items: tuple[str, int]) -> tuple[Line, ...]:
    return tuple(Line(sku, Decimal(quantity)) for sku, quantity in items)


def _intra_eu(sku: str, quantity: int, net_price: str) -> Line:
    return Line(sku, Decimal(quantity), Decimal(net_price), "intra_eu", Decimal(0))


@dataclass(frozen=True)
class Order:
    channel: str
    number: str
    buyer: str
    days_ago: int
    payment_method: str
    status: str
    lines: tuple[Line, ...]
    shipping: Decimal = Decimal(0)
    pricing_mode: str = "gross"
    issue: str = ""  # the document type issued for it, if any
    cancel_reason: str = ""  # cancel the issued document with this reason
    credit: tuple[Line, ...] = ()  # then a partial credit note taking these back
    credit_reason: str = ""


SHIPPING = Decimal("19.99")

ORDERS: tuple[Order, ...] = (
    Order(
        "magazin",
        "10231",
        "ana",
        4,
        "card",
        "shipped",
        _lines(("CANA-350", 2), ("MIERE-500", 1)),
        shipping=SHIPPING,
        issue="invoice",
        credit=_lines(("CANA-350", -1)),
        credit_reason="O cană a ajuns spartă; returnăm contravaloarea ei.",
    ),
    Order(
        "magazin",
        "10232",
        "cafenea",
        3,
        "bank_transfer",
        "accepted",
        _lines(("PAHARE-6", 4), ("CEAI-TEI", 20), ("TAVA-30", 2)),
        issue="proforma",
    ),
    Order(
        "magazin",
        "10233",
        "mihai",
        3,
        "cash_on_delivery",
        "cancelled",
        _lines(("FULAR-MERINOS", 1), ("LUMANARE-SOIA", 2)),
        shipping=SHIPPING,
        issue="invoice",
        cancel_reason="Comanda a fost anulată de client înainte de expediere.",
    ),
    Order(
        "magazin",
        "10234",
        "elena",
        0,
        "card",
        "new",
        _lines(("CARTE-BUCATE", 1), ("CEAI-TEI", 3)),
        shipping=SHIPPING,
    ),
    Order(
        "ovoko",
        "OVK-558812",
        "andrei",
        2,
        "card",
        "shipped",
        _lines(("LUMANARE-SOIA", 1), ("CANA-350", 4)),
        shipping=Decimal("14.99"),
        issue="invoice",
    ),
    Order(
        "ovoko",
        "OVK-558840",
        "keramia",
        1,
        "bank_transfer",
        "shipped",
        (_intra_eu("CANA-350", 24, "37.19"), _intra_eu("TAVA-30", 6, "98.35")),
        pricing_mode="net",
        issue="invoice",
    ),
)
