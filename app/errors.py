"""The exceptions the product raises on purpose. Anything else is a bug.

::

    KcityError                      base: a problem a person can fix, with a message that says how
    ├── AccessDenied                the signed-in role may not do this, or nobody signed in while accounts exist
    ├── CatalogError                the catalog/ files are invalid; carries every Problem found
    ├── EngagementError             an engagement is malformed; carries one Problem per field
    ├── InfeasibleSelection         no package satisfies the required modules, conflicts and budget
    ├── MissingRate                 an amount is in a currency the catalog has no exchange rate for
    ├── RenderError                 a proposal could not be rendered (template, fonts, charts)
    │   └── RenderQueueError        a render queued in the database was not done: no worker took it, or its workers died
    │       └── CatalogMismatch     the render worker's catalog is not the one the proposal was asked for with
    ├── ReviewError                 a review step the engagement's state does not allow
    └── StorageError                saving or loading work failed
        └── StaleWriteError         someone saved a newer version since this one was opened

Each front end translates these once: the CLI prints one line per problem and exits 1; the wizard shows
``st.error`` beside what to fix. A ``Problem`` locates one finding as ``where: field: message``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One finding: the file (or object) it is in, the dotted field, and what is wrong."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.where, self.field, self.message) if part)


class KcityError(Exception):
    """Base of every error the product raises on purpose."""


class ProblemsError(KcityError):
    """An error made of one or more located problems."""

    title = "problems"

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len(self.problems)
        head = f"{n} {self.title}" if n != 1 else f"1 {self.title.rstrip('s')}"
        return head + ("\n" + "\n".join(str(p) for p in self.problems) if self.problems else "")

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class CatalogError(ProblemsError):
    """The catalog files are invalid."""

    title = "catalog problems"


class EngagementError(ProblemsError):
    """An engagement is malformed."""

    title = "engagement problems"


class InfeasibleSelection(KcityError):
    """No package satisfies the constraints (required modules, conflicts, budget)."""


class MissingRate(KcityError):
    """No exchange rate is known for a currency (the catalog validator and the engagement parser prevent it)."""

    def __init__(self, currency: str):
        self.currency = currency
        super().__init__(f"no exchange rate for {currency!r} in the catalog's rates/exchange_rates.csv")


class RenderError(KcityError):
    """A proposal could not be rendered."""


class RenderQueueError(RenderError):
    """A proposal queued for the render workers (``kcity render-worker``) was not rendered: no worker took it in time,
    or the workers that took it stopped answering too many times."""


class CatalogMismatch(RenderQueueError):
    """The render worker that took a queued proposal has another catalog than the wizard that queued it: rendering
    there would give a different proposal, so the job fails instead."""


class StorageError(KcityError):
    """Saving or loading work failed."""


class StaleWriteError(StorageError):
    """A newer version was saved since this copy was opened; saving would overwrite it."""

    def __init__(self, engagement_id: str, expected: int, current: int):
        self.engagement_id, self.expected, self.current = engagement_id, expected, current
        super().__init__(
            f"engagement {engagement_id} was saved elsewhere (version {current}) after you opened version "
            f"{expected}; reload it before saving so that neither change is lost"
        )


class AccessDenied(KcityError):
    """The signed-in person's role does not allow this (or nobody is signed in while accounts exist)."""


class ReviewError(KcityError):
    """A review step that the engagement's state does not allow (e.g. sending a version nobody approved)."""
