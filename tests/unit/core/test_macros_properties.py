"""Properties of field macros over any text a seller may type and any values a caller may pass."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from faktura.core.countries import DOCUMENT_LANGUAGES
from faktura.core.errors import InvalidValue
from faktura.core.macros import MACROS, MAX_LENGTH, MacroType, Template, escape, example_context
from faktura.core.macros.catalog import names_of_type
from faktura.core.macros.values import MacroValue
from faktura.core.money import Currency, Money

LANGUAGES = st.sampled_from(DOCUMENT_LANGUAGES)
NAMES = st.sampled_from([macro.name for macro in MACROS])
TEXT_NAMES = st.sampled_from(sorted(names_of_type(MacroType.TEXT)))

# Fragments that make the parser work: braces, names, near-names and what str.format would accept.
FRAGMENTS = st.sampled_from(
    [
        "{", "}", "{{", "}}", "order", ".", "number", "client", "name", "today", "document", "issue_date", "+", "-",
        "14", "0", "_", "__class__", "!r", ":>10", "[0]", "()", " ", "\n", "Faktúra ", "%s", "\x00", "É",
        "{order.number}", "{today+14}", "{document.total}", "{order.oss}",
    ]
)  # fmt: skip
TYPED_TEXT = st.one_of(st.text(), st.lists(FRAGMENTS, max_size=40).map("".join))
WITHOUT_BRACES = st.text(alphabet=st.characters(exclude_characters="{}"), max_size=MAX_LENGTH)


def macro_text(name: str, offset: int) -> str:
    return "{" + name + (f"{offset:+d}" if offset else "") + "}"


def values_of(macro_type: MacroType) -> st.SearchStrategy[MacroValue]:
    if macro_type is MacroType.TEXT:
        return st.text()
    if macro_type is MacroType.DATE:
        return st.dates()
    if macro_type is MacroType.BOOLEAN:
        return st.booleans()
    if macro_type is MacroType.NUMBER:
        return st.one_of(st.integers(), st.decimals(allow_nan=False, allow_infinity=False))
    amounts = st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**15), max_value=10**15)
    currencies = st.sampled_from(["EUR", "RON", "HUF", "CZK", "PLN", "JPY"]).map(Currency)
    return st.builds(Money, amounts, currencies)


def parse_or_refusal(text: str) -> Template | InvalidValue:
    """The template, or the refusal; any other exception fails the test."""
    try:
        return Template.parse(text, field="note")
    except InvalidValue as refused:
        return refused


ANY_CONTEXT = st.fixed_dictionaries(
    {},
    optional={macro.name: st.one_of(st.none(), values_of(macro.type)) for macro in MACROS},
)


@given(WITHOUT_BRACES, LANGUAGES)
def test_a_text_without_braces_renders_to_itself(text: str, locale: str) -> None:
    assert Template.parse(text, field="note").render(example_context(), locale=locale) == text


@settings(max_examples=1000)
@given(TYPED_TEXT)
def test_parsing_any_text_either_succeeds_or_raises_invalid_value_with_its_position(text: str) -> None:
    outcome = parse_or_refusal(text)

    if isinstance(outcome, Template):
        assert outcome.render(example_context(), locale="sk") is not None
        assert outcome.render({}, locale="en") is not None
        return
    assert outcome.field == "note"
    lines = text.split("\n")
    for line, column in re.findall(r"(?:line (\d+), )?column (\d+)", outcome.message):
        assert 1 <= int(column) <= len(lines[int(line or 1) - 1]) + 1


@given(st.text(max_size=MAX_LENGTH // 2))
def test_escaped_braces_round_trip(text: str) -> None:
    template = Template.parse(escape(text), field="note")

    assert template.render(example_context(), locale="en") == text
    assert template.macros == ()


@given(st.lists(st.one_of(st.text(max_size=30), TEXT_NAMES.map(lambda name: ("macro", name))), max_size=20), st.data())
def test_values_are_inserted_verbatim_and_never_change_the_literal_parts(
    pieces: list[str | tuple[str, str]], data: st.DataObject
) -> None:
    names = {piece[1] for piece in pieces if isinstance(piece, tuple)}
    context: dict[str, MacroValue | None] = {name: data.draw(st.text(), label=name) for name in names}
    source = "".join(escape(piece) if isinstance(piece, str) else macro_text(piece[1], 0) for piece in pieces)

    rendered = Template.parse(source, field="note").render(context, locale="en")

    assert rendered == "".join(piece if isinstance(piece, str) else str(context[piece[1]]) for piece in pieces)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(NAMES, st.integers(-365, 365)), min_size=1, max_size=10),
    ANY_CONTEXT,
    LANGUAGES,
)
def test_rendering_any_values_of_the_right_types_never_fails(
    macros: list[tuple[str, int]], context: dict[str, MacroValue | None], locale: str
) -> None:
    date_names = names_of_type(MacroType.DATE)
    source = " ".join(macro_text(name, offset if name in date_names else 0) for name, offset in macros)

    rendered = Template.parse(source, field="note").render(context, locale=locale)

    assert isinstance(rendered, str)


@given(st.sampled_from(sorted(names_of_type(MacroType.DATE))), st.integers(-365, 365), st.dates())
def test_a_shifted_date_is_the_date_plus_the_days_or_none_outside_the_calendar(
    name: str, offset: int, value: date
) -> None:
    due = Template.parse_date(macro_text(name, offset), field="due_date")

    shifted = due.render_date({name: value})

    if shifted is None:
        assert not date.min.toordinal() <= value.toordinal() + offset <= date.max.toordinal()
    else:
        assert shifted.toordinal() == value.toordinal() + offset


@given(st.frozensets(NAMES), TYPED_TEXT)
def test_a_parsed_template_uses_only_allowed_macros(allowed: frozenset[str], text: str) -> None:
    try:
        template = Template.parse(text, field="note", allowed=allowed)
    except InvalidValue:
        return
    assert set(template.macros) <= allowed


@given(st.decimals(allow_nan=False, allow_infinity=False), LANGUAGES)
def test_any_finite_number_renders(number: Decimal, locale: str) -> None:
    rendered = Template.parse("{order.item_count}", field="note").render({"order.item_count": number}, locale=locale)

    assert any(char.isdigit() for char in rendered)
