"""Run-time patches of WeasyPrint internals, installed and undone as one set.

The text-layer fix and distributed justification both replace a few
WeasyPrint functions; both rely on the internals of one exact release, so
installing refuses any other version.
"""

from collections.abc import Callable
from typing import Any

import weasyprint

SUPPORTED_WEASYPRINT_VERSION = "70.0"

Patch = tuple[Any, str, Callable[..., Any]]  # owner, attribute, replacement


class WeasyPrintPatches:
    """Named patches of ``owner.attribute``; ``originals`` holds what they replaced."""

    def __init__(self, *, label: str, patches: dict[str, Patch], upgrade_note: str) -> None:
        self.label = label
        self.patches = patches
        self.upgrade_note = upgrade_note
        self.originals: dict[str, Callable[..., Any]] = {}

    def install(self) -> None:
        """Idempotent; raises RuntimeError on any WeasyPrint but the pinned one."""
        if weasyprint.__version__ != SUPPORTED_WEASYPRINT_VERSION:
            raise RuntimeError(
                f"{self.label} patches WeasyPrint {SUPPORTED_WEASYPRINT_VERSION} internals, "
                f"found {weasyprint.__version__}: {self.upgrade_note}"
            )
        if self.originals:
            return
        for name, (owner, attribute, replacement) in self.patches.items():
            self.originals[name] = getattr(owner, attribute)
            setattr(owner, attribute, replacement)

    def uninstall(self) -> None:
        """Restore WeasyPrint's own functions. Idempotent."""
        for name, original in self.originals.items():
            owner, attribute, _ = self.patches[name]
            setattr(owner, attribute, original)
        self.originals.clear()

    def is_installed(self) -> bool:
        return bool(self.originals)
