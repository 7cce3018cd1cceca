"""Rendering errors: a template that does not compile, or data it cannot show."""

from __future__ import annotations

from faktura.core.errors import InvalidValue


class RenderError(InvalidValue):
    """The compiler refused the template or the data; ``message`` says where and why."""

    code = "render_failed"
