"""Subcommands of the ``sistercity-kg`` CLI beyond the core ones, one module per topic.

Each module here defines ``register(subparsers)``, which adds its subparsers and sets
``run`` (a function ``(argparse.Namespace) -> int`` returning the exit code) as their default.
:func:`sistercity_kg.cli.build_parser` finds every module of this package.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

__all__ = ["command_modules"]


def command_modules() -> list[ModuleType]:
    """The modules of this package, in name order."""
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
    ]
