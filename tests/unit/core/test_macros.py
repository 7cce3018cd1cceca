"""Field macros (F5.2): the syntax, refusals at save time, safety by construction, rendering per language."""

from __future__ import annotations

import string
from datetime import date, datetime
from decimal import Decimal

import pytest

from faktura.core.countries import DOCUMENT_LANGUAGES
from faktura.core.errors import InvalidValue
from faktura.core.macros import (
    MACROS,
    MAX_LENGTH,
    MAX_MACROS,
    TEMPLATE_FIELDS,
    YES_NO,
    Macro,
    MacroType,
    Template,
    escape,
    example_context,
    macro_catalog,
    parse_field,
)
from faktura.core.macros.catalog import ALL_NAMES
from faktura.core.money import Currency, Money

NOV_23 = date(2026, 11, 23)
EUR = Currency("EUR")


def refusal(text: str, **kwargs: object) -> InvalidValue:
    with pytest.raises(InvalidValue) as caught:
        Template.parse(text, field="title", **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == "title"
    return caught.value


# -- the catalog -------------------------------------------------------------------------------------


def test_the_catalog_has_every_macro_of_the_seed_fields_once() -> None:
    names = [macro.name for macro in MACROS]
    wanted = {
        "order.number", "order.client.name", "order.date", "document.due_date", "document.issue_date",
        "order.currency", "order.discount", "order.note", "order.oss", "order.client.vat_id",
    }  # fmt: skip

    assert len(names) == len(set(names))
    assert wanted <= set(names)


@pytest.mark.parametrize("macro", MACROS, ids=lambda macro: macro.name)
def test_every_macro_is_a_valid_name_with_a_description_and_an_example_of_its_type(macro: Macro) -> None:
    template = Template.parse(macro.placeholder, field="title")

    assert set(macro.name) <= set(string.ascii_lowercase + string.digits + "._")
    assert template.macros == (macro.name,)
    assert macro.description[:1].isupper()
    assert template.render(example_context(), locale="en")


def test_the_catalog_for_the_ui_lists_name_type_description_and_a_localised_example_in_order() -> None:
    catalog = macro_catalog("hu")

    assert [entry["name"] for entry in catalog] == [macro.name for macro in MACROS]
    assert set(catalog[0]) == {"name", "macro", "type", "description", "example"}
    assert next(entry for entry in catalog if entry["name"] == "order.date")["example"] == "2026. 11. 23."
    assert next(entry for entry in catalog if entry["name"] == "order.oss")["example"] == "igen"


# -- accepted templates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rendered"),
    [
        pytest.param("", "", id="empty"),
        pytest.param("Faktúra", "Faktúra", id="no macro"),
        pytest.param("{order.number}", "10025", id="one macro"),
        pytest.param("Order {order.number} of {order.client.name}", "Order 10025 of Jana Nováková", id="two macros"),
        pytest.param("{order.number}{order.number}", "1002510025", id="macros touching"),
        pytest.param("{{order.number}}", "{order.number}", id="escaped braces are literal"),
        pytest.param("{{{order.number}}}", "{10025}", id="a macro in literal braces"),
        pytest.param("}}{{", "}{", id="closing before opening"),
        pytest.param("a{{b}}c{{{{", "a{b}c{{", id="several escapes"),
        pytest.param("{today+14} {today-1}", "7 Dec 2026 22 Nov 2026", id="date shifts"),
        pytest.param("Ďakujeme!\n{seller.name}", "Ďakujeme!\nExemplu SRL", id="multi-line"),
    ],
)
def test_a_template_renders_literal_text_and_macros(text: str, rendered: str) -> None:
    template = Template.parse(text, field="title")

    assert template.render(example_context(), locale="en") == rendered
    assert str(template) == text


def test_macros_lists_the_names_used_once_in_order_of_first_use() -> None:
    template = Template.parse("{today} {order.number} {today+1} {order.number}", field="note")

    assert template.macros == ("today", "order.number")


def test_escape_makes_any_text_a_template_that_renders_to_it() -> None:
    text = "{order.number} }{ {{}}"

    assert Template.parse(escape(text), field="note").render({}, locale="en") == text


# -- refused at save time -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("{}", "{} at column 1 is empty", id="empty macro"),
        pytest.param("Order {order.number", "{ at column 7 is not closed; write a literal { as {{", id="unclosed"),
        pytest.param("Total }", "} at column 7 has no opening {; write a literal } as }}", id="lone closing"),
        pytest.param("{order.number}}", "} at column 15 has no opening {", id="one closing too many"),
        pytest.param("{{order.number}", "} at column 15 has no opening {", id="one opening too few"),
        pytest.param(
            "{order.{x}}", "{ at column 1 is not closed before the { at column 8; macros cannot be nested", id="nested"
        ),
        pytest.param(
            "{order.numbr}", "unknown macro {order.numbr} at column 1; did you mean {order.number}?", id="typo"
        ),
        pytest.param("{client.name}", "did you mean {order.client.name}?", id="missing prefix"),
        pytest.param("{order.client-name}", "did you mean {order.client.name}?", id="dash for dot"),
        pytest.param("{order..number}", "did you mean {order.number}?", id="double dot"),
        pytest.param("{xyz}", "unknown macro {xyz} at column 1; see the list of macros", id="nothing close"),
        pytest.param("{Order.Number}", "macro names are lower case; write {order.number}", id="upper case"),
        pytest.param(
            "{ order.number }", "whitespace at column 2; macro names have none; write {order.number}", id="spaces"
        ),
        pytest.param("{order.number+1}", "only a date can be shifted by days, and {order.number} is text", id="shift"),
        pytest.param("{today+366}", "a date moves 365 days at most", id="shift too far"),
        pytest.param("{today+014}", "without leading zeros, e.g. {today+14}", id="shift with a zero"),
        pytest.param("{today+0}", "shifts a date by 1 to 365 days", id="no shift"),
        pytest.param("{today+2w}", "shifts a date by 1 to 365 days", id="shift in weeks"),
        pytest.param("{today + 14}", "has whitespace at column 7", id="shift with spaces"),
        pytest.param("x\ny {bad}", "unknown macro {bad} at line 2, column 3", id="line and column"),
    ],
)
def test_bad_syntax_and_unknown_macros_are_refused_with_the_position(text: str, message: str) -> None:
    assert message in refusal(text).message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("{order.__class__}", "it is not a macro name", id="dunder attribute"),
        pytest.param("{order.client.__dict__}", "it is not a macro name", id="dunder dict"),
        pytest.param("{order.__class__.__init__.__globals__}", "it is not a macro name", id="globals"),
        pytest.param("{_private}", "it is not a macro name", id="underscore"),
        pytest.param("{0}", "positional fields are not supported", id="positional"),
        pytest.param("{0.__class__}", "it is not a macro name", id="positional attribute"),
        pytest.param("{order.number!r}", "'!' at column 14 is not allowed in a macro: conversions", id="conversion"),
        pytest.param("{order.number:>10}", "':' at column 14 is not allowed in a macro: format spec", id="format spec"),
        pytest.param(
            "{order.number:{today}}", "{ at column 1 is not closed before the { at column 15", id="nested spec"
        ),
        pytest.param("{order[0]}", "'[' at column 7 is not allowed in a macro: indexing", id="index"),
        pytest.param("{order['number']}", "'[' at column 7", id="key"),
        pytest.param("{__import__('os').system('id')}", "'(' at column 12 is not allowed in a macro: calls", id="call"),
        pytest.param("{{}}{0:{1}}", "{ at column 5 is not closed before the { at column 8", id="format attack"),
        pytest.param("%(order)s {%s}", "'%' at column 12 is not allowed", id="percent"),
        pytest.param("{order.number\x00}", "'\\x00' at column 14 is not allowed", id="nul"),
    ],
)
def test_nothing_but_catalog_names_can_be_written_in_a_template(text: str, message: str) -> None:
    assert message in refusal(text).message


def test_a_value_that_looks_like_a_template_is_printed_as_it_is() -> None:
    template = Template.parse("Buyer: {order.client.name}", field="title")

    hostile = "{order.__class__} {0} {{ }} %s"
    assert template.render({"order.client.name": hostile}, locale="en") == "Buyer: " + hostile


def test_rendering_reads_only_the_mapping_the_caller_built() -> None:
    class Spy(dict[str, object]):
        touched: list[str] = []

        def get(self, key: str, default: object = None) -> object:
            self.touched.append(key)
            return super().get(key, default)

        def __getitem__(self, key: str) -> object:
            raise AssertionError("render must use get")

    context = Spy({"order.number": "10025", "order.client.name": "Jana"})
    Template.parse("{order.number} {order.client.name}", field="title").render(context, locale="en")  # type: ignore[arg-type]

    assert Spy.touched == ["order.number", "order.client.name"]


def test_too_long_templates_and_too_many_macros_are_refused() -> None:
    assert Template.parse("x" * MAX_LENGTH, field="title")
    assert "is too long: 2,001 characters, at most 2,000" in refusal("x" * (MAX_LENGTH + 1)).message
    assert Template.parse("{today}" * MAX_MACROS, field="title")
    assert f"has more than {MAX_MACROS} macros" in refusal("{today}" * (MAX_MACROS + 1)).message


def test_a_huge_input_is_refused_at_once() -> None:
    assert "is too long" in refusal("{" * 10_000_000).message


def test_a_macro_shown_in_a_message_is_cut_short() -> None:
    message = refusal("{" + "a" * 500 + "}").message

    assert len(message) < 120
    assert "..." in message


# -- what a field may use -------------------------------------------------------------------------------


def test_a_macro_outside_the_allowed_set_is_refused_with_the_allowed_ones() -> None:
    allowed = frozenset({"order.date", "today"})

    message = refusal("{document.total}", allowed=allowed).message

    assert message == "{document.total} at column 1 cannot be used here; this field takes {order.date} or {today}"


def test_a_suggestion_comes_from_the_allowed_macros() -> None:
    assert "did you mean {today}?" in refusal("{todya}", allowed=frozenset({"today"})).message


def test_an_allowed_set_with_names_outside_the_catalog_is_a_bug() -> None:
    with pytest.raises(ValueError, match=r"not in the macro catalog: order\.secret"):
        Template.parse("x", field="title", allowed=frozenset({"order.secret"}))


@pytest.mark.parametrize(
    ("field", "text"),
    [
        pytest.param("title", "Faktúra {document.number} ({document.total})", id="title"),
        pytest.param("issue_date", "{order.date}", id="issue date"),
        pytest.param("supply_date", "{document.issue_date}", id="supply date"),
        pytest.param("due_date", "{document.issue_date+14}", id="due date"),
        pytest.param("order_number", "OBJ-{order.number}", id="order number"),
        pytest.param("currency", "{order.currency}", id="currency"),
        pytest.param("discount", "{order.discount}", id="discount"),
        pytest.param("note", "Splatné do {document.due_date}. OSS: {order.oss}", id="note"),
        pytest.param("oss", "{order.oss}", id="oss"),
        pytest.param("buyer.name", "{order.client.company} ({order.client.name})", id="buyer name"),
        pytest.param("email.body", "Dobrý deň,\n\nfaktúra {document.number} je v prílohe.", id="email"),
    ],
)
def test_the_seed_fields_accept_their_usual_templates(field: str, text: str) -> None:
    assert parse_field(field, text).source == text


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        pytest.param("issue_date", "{document.issue_date}", "cannot be used here", id="issue date from itself"),
        pytest.param("supply_date", "{document.due_date}", "cannot be used here", id="supply date from due date"),
        pytest.param("due_date", "{document.due_date+1}", "cannot be used here", id="due date from itself"),
        pytest.param("due_date", "{order.number}", "cannot be used here", id="due date from text"),
        pytest.param("due_date", "{today} ", "has text besides {today}", id="due date with text"),
        pytest.param("due_date", "in 14 days", "has no macro", id="due date without macro"),
        pytest.param("due_date", "{today}{order.date}", "has 2 macros", id="due date with two"),
        pytest.param("due_date", "", "is empty; write one date macro, e.g. {order.date}", id="due date empty"),
        pytest.param("currency", "{order.currency}X", "has text besides {order.currency}", id="currency with text"),
        pytest.param("discount", "{order.total}", "this field takes {order.discount}", id="discount from total"),
        pytest.param("buyer.vat_id", "{document.number}", "takes no {document...} macro", id="buyer from document"),
    ],
)
def test_a_field_refuses_macros_it_cannot_be_filled_from(field: str, text: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_field(field, text)

    assert caught.value.field == field
    assert message in caught.value.message


def test_a_field_error_can_name_the_form_field() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_field("title", "{x}", field="templates.title")

    assert caught.value.field == "templates.title"


def test_no_field_depends_on_itself_or_on_a_later_date() -> None:
    dates = ["issue_date", "supply_date", "due_date"]
    for position, name in enumerate(dates):
        later = {f"document.{after}" for after in dates[position:]}
        assert not TEMPLATE_FIELDS[name].allowed & later, name
    for name in ("currency", "discount", "oss", *(f for f in TEMPLATE_FIELDS if f.startswith("buyer."))):
        assert not any(macro.startswith("document.") for macro in TEMPLATE_FIELDS[name].allowed), name


def test_an_unknown_field_is_a_bug() -> None:
    with pytest.raises(ValueError, match="no document field 'colour'"):
        parse_field("colour", "{today}")


# -- rendering -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "rendered"),
    [
        pytest.param("ro", "23.11.2026 | 1.234,56\xa0EUR | 3 | da", id="ro"),
        pytest.param("sk", "23. 11. 2026 | 1\xa0234,56\xa0€ | 3 | áno", id="sk"),
        pytest.param("cs", "23. 11. 2026 | 1\xa0234,56\xa0€ | 3 | ano", id="cs"),
        pytest.param("de", "23.11.2026 | 1.234,56\xa0€ | 3 | ja", id="de"),
        pytest.param("hu", "2026. 11. 23. | 1\xa0234,56\xa0EUR | 3 | igen", id="hu"),
        pytest.param("pl", "23.11.2026 | 1\xa0234,56\xa0€ | 3 | tak", id="pl"),
        pytest.param("en", "23 Nov 2026 | €1,234.56 | 3 | yes", id="en"),
        pytest.param("de-AT", "23.11.2026 | 1.234,56\xa0€ | 3 | ja", id="region ignored"),
    ],
)
def test_dates_money_numbers_and_booleans_are_written_as_the_language_writes_them(locale: str, rendered: str) -> None:
    template = Template.parse("{order.date} | {order.total} | {order.item_count} | {order.oss}", field="note")

    assert template.render(example_context(), locale=locale) == rendered


def test_money_in_lei_and_forints() -> None:
    template = Template.parse("{document.total}", field="note")
    lei = {"document.total": Money(Decimal("1234.56"), Currency("RON"))}
    forints = {"document.total": Money(Decimal("1234.5"), Currency("HUF"))}

    assert template.render(lei, locale="ro") == "1.234,56\xa0RON"  # CLDR has no Romanian symbol for the leu
    assert template.render(forints, locale="hu") == "1\xa0234,50\xa0Ft"


def test_numbers_keep_every_decimal_and_huge_values_still_render() -> None:
    template = Template.parse("{order.item_count}", field="note")

    assert template.render({"order.item_count": Decimal("1.23456")}, locale="sk") == "1,23456"
    assert template.render({"order.item_count": 10**40}, locale="en") == "10" + ",000" * 13
    huge = Money(Decimal("1e40"), EUR)
    assert Template.parse("{order.total}", field="note").render({"order.total": huge}, locale="de").endswith(",00\xa0€")


def test_every_document_language_has_yes_and_no() -> None:
    assert set(YES_NO) == set(DOCUMENT_LANGUAGES)
    assert all(yes != no for yes, no in YES_NO.values())


def test_a_missing_or_none_value_renders_as_nothing() -> None:
    template = Template.parse("VAT id: {order.client.vat_id}.", field="note")

    assert template.render({}, locale="sk") == "VAT id: ."
    assert template.render({"order.client.vat_id": None}, locale="sk") == "VAT id: ."


def test_a_language_that_is_not_a_document_language_is_refused() -> None:
    with pytest.raises(InvalidValue, match="fr is not a document language"):
        Template.parse("x", field="note").render({}, locale="fr")


@pytest.mark.parametrize(
    ("macro", "value"),
    [
        pytest.param("order.number", 10025, id="int for text"),
        pytest.param("order.date", datetime(2026, 11, 23, 10, 0), id="datetime for date"),
        pytest.param("order.date", "2026-11-23", id="str for date"),
        pytest.param("order.total", Decimal("1.00"), id="Decimal for money"),
        pytest.param("order.item_count", True, id="bool for number"),
        pytest.param("order.item_count", 1.5, id="float for number"),
        pytest.param("order.item_count", Decimal("NaN"), id="NaN for number"),
        pytest.param("order.oss", 1, id="int for boolean"),
    ],
)
def test_a_value_of_the_wrong_type_is_a_bug_in_the_caller(macro: str, value: object) -> None:
    template = Template.parse("{" + macro + "}", field="note")

    with pytest.raises(TypeError, match=f"^{macro}: a .* macro takes"):
        template.render({macro: value}, locale="en")  # type: ignore[dict-item]


# -- fields that hold a value ----------------------------------------------------------------------------


def test_a_due_date_template_gives_a_date() -> None:
    due = Template.parse_date("{document.issue_date+14}", field="due_date")

    assert due.kind is MacroType.DATE
    assert due.render_date({"document.issue_date": NOV_23}) == date(2026, 12, 7)
    assert due.render_date({"document.issue_date": date(2026, 12, 31)}) == date(2027, 1, 14)
    assert due.render_date({}) is None
    assert due.render(example_context(), locale="sk") == "7. 12. 2026"


def test_a_shift_beyond_the_calendar_gives_no_date_rather_than_an_error() -> None:
    due = Template.parse_date("{today+1}", field="due_date")

    assert due.render_date({"today": date.max}) is None
    assert due.render({"today": date.max}, locale="en") == ""
    assert Template.parse_date("{today-1}", field="x").render_date({"today": date.min}) is None


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        pytest.param(MacroType.TEXT, "{order.currency}", "EUR", id="currency"),
        pytest.param(MacroType.MONEY, "{order.discount}", Money(Decimal(10), EUR), id="discount"),
        pytest.param(MacroType.BOOLEAN, "{order.oss}", True, id="oss"),
        pytest.param(MacroType.NUMBER, "{order.item_count}", 3, id="number"),
    ],
)
def test_a_value_template_gives_the_typed_value(kind: MacroType, text: str, value: object) -> None:
    assert Template.parse_value(text, field="x", kind=kind).render_value(example_context()) == value


def test_typed_rendering_needs_a_value_template() -> None:
    text_template = Template.parse("{order.date}", field="note")
    money_template = Template.parse_value("{order.total}", field="x", kind=MacroType.MONEY)

    with pytest.raises(TypeError, match="parse_value"):
        text_template.render_value(example_context())
    with pytest.raises(TypeError, match="parse_date"):
        money_template.render_date(example_context())


def test_a_value_template_of_a_type_no_allowed_macro_has_is_refused() -> None:
    with pytest.raises(InvalidValue, match="this field takes no boolean macro"):
        Template.parse_value("x", field="x", kind=MacroType.BOOLEAN, allowed=frozenset({"today"}))


def test_templates_compare_by_their_text_and_parse_the_same_every_time() -> None:
    text = "{order.number} / {today+3}"

    assert Template.parse(text, field="a") == Template.parse(text, field="b")
    assert Template.parse(text, field="a") != Template.parse(text + " ", field="a")
    assert {name for name in ALL_NAMES if name.startswith("order.client.")} <= TEMPLATE_FIELDS["buyer.name"].allowed
