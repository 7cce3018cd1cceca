"""Form plumbing shared by the seller pages: Bootstrap classes on every widget, domain errors next to their field.

A service refuses bad input with a ``FakturaError`` naming the field to blame
(``vat_id``, ``address.postal_code``, ``lines[0].quantity``); :func:`show_error`
puts its message next to that field of the form, or above the form when the
form has no such field, so a refusal is never a 500 and never lost.
"""

from __future__ import annotations

from typing import Any

from django import forms

from faktura.core.errors import FakturaError


class SellerForm(forms.Form):
    """A form styled for the seller app; ``read_only=True`` shows it to a role that may not change it."""

    def __init__(self, *args: Any, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if read_only:
                field.disabled = True

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"


def field_of(error: FakturaError, form: forms.Form) -> str | None:
    """The form field a domain error names: its last dotted part (``address.city`` -> ``city``)."""
    if not error.field:
        return None
    name = error.field.rsplit(".", 1)[-1].split("[", 1)[0]
    return name if name in form.fields else None


def show_error(form: forms.Form, error: FakturaError) -> None:
    name = field_of(error, form)
    form.add_error(name, error.message)
    if name is not None:
        widget = form.fields[name].widget
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"
