"""What every ``faktura`` command of ours shares: domain errors read as ``field: message``.

A ``FakturaError`` raised by a service reaches the person at the terminal as
one line on stderr and exit status 2 (bad input), never as a traceback.
Called through ``call_command`` the error propagates unchanged, so programs
and tests see the code, the field and the message.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand

from faktura.core.errors import FakturaError

EXIT_INVALID = 2


class FakturaCommand(BaseCommand):
    def run_from_argv(self, argv: list[str]) -> None:
        try:
            super().run_from_argv(argv)
        except FakturaError as error:
            self.stderr.write(str(error))
            sys.exit(EXIT_INVALID)

    def write_json(self, data: Any) -> None:
        """Exactly one JSON document on stdout, for scripts to parse."""
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
