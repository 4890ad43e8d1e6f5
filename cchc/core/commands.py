"""Management commands that are tools of the `cchc` command (`cchc plan import …`): bad input is
one line on stderr, "cchc <tool>: <message>", and exit status 2 — never a traceback, and never
argparse's usage text."""

from __future__ import annotations

import sys
from functools import partial
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

EXIT_BAD_INPUT = 2


def fail(tool: str, message: object) -> NoReturn:
    """Stop the tool on bad input: one line on stderr (white space folded), exit status 2."""
    sys.stderr.write(f"cchc {tool}: " + " ".join(str(message).split()) + "\n")
    sys.stderr.flush()
    sys.exit(EXIT_BAD_INPUT)


class ToolCommand(BaseCommand):
    """A command run as `cchc <tool>`; its argument errors go through `fail` too."""

    tool = ""  # the words after `cchc` in its messages, e.g. "plan import"
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = partial(fail, self.tool)  # type: ignore[method-assign]
        return parser

    def fail(self, message: object) -> NoReturn:
        fail(self.tool, message)
