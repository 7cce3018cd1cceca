"""A template parsed once, when the seller saves it, and filled in many times.

``Template.parse`` reads a text template (a title, a note, an email subject);
``Template.parse_value`` a field that holds exactly one macro of a given type
(a due date, the currency, the OSS flag). Both refuse, with an ``InvalidValue``,
everything the rules in ``faktura.core.macros`` do not allow. Rendering cannot
fail on what the seller wrote: every name in a template was checked against
the catalog, and values come only from the mapping the caller built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from faktura.core.countries import language
from faktura.core.errors import InvalidValue
from faktura.core.macros.catalog import ALL_NAMES, BY_NAME, names_of_type
from faktura.core.macros.syntax import MacroRef, Part, scan
from faktura.core.macros.values import MacroContext, MacroType, MacroValue, accepts, format_value, mismatch

__all__ = ["Template", "escape"]


def escape(text: str) -> str:
    """``text`` as a template that renders to exactly ``text``: its braces doubled."""
    return text.replace("{", "{{").replace("}", "}}")


@dataclass(frozen=True, slots=True)
class Template:
    """The seller's ``source`` and its parts; ``kind`` is set for a one-macro field."""

    source: str
    parts: tuple[Part, ...]
    kind: MacroType | None = None

    @classmethod
    def parse(cls, text: str, *, field: str, allowed: frozenset[str] | None = None) -> Template:
        """A text template using macros of ``allowed`` (default: every macro)."""
        return cls(text, scan(text, field=field, allowed=_checked(allowed)))

    @classmethod
    def parse_value(cls, text: str, *, field: str, kind: MacroType, allowed: frozenset[str] | None = None) -> Template:
        """A template that is exactly one macro of type ``kind`` (a date may be shifted)."""
        usable = _checked(allowed) & names_of_type(kind)
        parts = scan(text, field=field, allowed=usable)
        if len(parts) != 1 or not isinstance(parts[0], MacroRef):
            raise InvalidValue(_not_one_macro(text, parts, kind, usable), field=field)
        return cls(text, parts, kind)

    @classmethod
    def parse_date(cls, text: str, *, field: str, allowed: frozenset[str] | None = None) -> Template:
        """``parse_value`` for a date field, e.g. ``{document.issue_date+14}``."""
        return cls.parse_value(text, field=field, kind=MacroType.DATE, allowed=allowed)

    @property
    def macros(self) -> tuple[str, ...]:
        """The names used, each once, in order of first use."""
        return tuple(dict.fromkeys(part.name for part in self.parts if isinstance(part, MacroRef)))

    def render(self, context: MacroContext, *, locale: str) -> str:
        """The text in the document language ``locale``; an unknown value renders as nothing.

        Optional data is often absent (a consumer has no VAT id, an order no
        note), and a document must still be issued, so a macro whose value is
        missing or ``None`` leaves an empty string. A value of the wrong type is
        a bug in the code that built ``context`` and raises ``TypeError``.
        """
        lang = language(locale, field="locale")
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            value = _value(part, context)
            if value is not None:
                out.append(format_value(value, BY_NAME[part.name].type, locale=lang))
        return "".join(out)

    def render_value(self, context: MacroContext) -> MacroValue | None:
        """The typed value of a one-macro template, or None when the context has none."""
        if self.kind is None:
            raise TypeError("render_value needs a template read by Template.parse_value")
        (part,) = self.parts
        assert isinstance(part, MacroRef)
        return _value(part, context)

    def render_date(self, context: MacroContext) -> date | None:
        """The date of a date template, or None when the context has none."""
        if self.kind is not MacroType.DATE:
            raise TypeError("render_date needs a template read by Template.parse_date")
        value = self.render_value(context)
        return value if isinstance(value, date) else None

    def __str__(self) -> str:
        return self.source


def _checked(allowed: frozenset[str] | None) -> frozenset[str]:
    if allowed is None:
        return ALL_NAMES
    unknown = allowed - ALL_NAMES
    if unknown:
        raise ValueError(f"not in the macro catalog: {', '.join(sorted(unknown))}")
    return allowed


def _value(part: MacroRef, context: MacroContext) -> MacroValue | None:
    value = context.get(part.name)
    if value is None:
        return None
    macro = BY_NAME[part.name]
    if not accepts(macro.type, value):
        raise TypeError(f"{part.name}: {mismatch(macro.type, value)}")
    if part.offset and isinstance(value, date):
        try:
            return value + timedelta(days=part.offset)
        except OverflowError:  # beyond year 1 or 9999: no such date
            return None
    return value


def _not_one_macro(text: str, parts: tuple[Part, ...], kind: MacroType, usable: frozenset[str]) -> str:
    first = next((macro for macro in BY_NAME.values() if macro.name in usable), None)
    if first is None:
        return f"this field takes no {kind} macro"
    example = f"{first.placeholder} or {{{first.name}+14}}" if kind is MacroType.DATE else first.placeholder
    if not text:
        return f"is empty; write one {kind} macro, e.g. {example}"
    refs = [part for part in parts if isinstance(part, MacroRef)]
    found = "no macro" if not refs else f"text besides {refs[0]}" if len(refs) == 1 else f"{len(refs)} macros"
    return f"has {found}; this field holds exactly one {kind} macro, e.g. {example}"
