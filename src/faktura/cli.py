"""The ``faktura`` command: the operator's and integrator's entry point.

Every subcommand is a Django management command, so the same code runs from
``faktura`` and ``django-admin``; this module only maps the multi-word forms
(``faktura audit verify``) onto command names (``audit_verify``) and points
Django at our settings.
"""

from __future__ import annotations

import os
import sys

# Two-word subcommands and the management command each one runs.
_ALIASES: dict[tuple[str, str], str] = {
    ("audit", "verify"): "audit_verify",
    ("documents", "render"): "documents_render",
    ("exports", "expire"): "exports_expire",
    ("seller", "create"): "seller_create",
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faktura.config.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) >= 2 and (args[0], args[1]) in _ALIASES:
        args = [_ALIASES[(args[0], args[1])], *args[2:]]

    from django.core.management import execute_from_command_line

    execute_from_command_line(["faktura", *args])


if __name__ == "__main__":
    main()
