"""Who the audit search can find by name or CPR. ``core`` may not import ``citizens``
(layers, docs/architecture.md), so the citizens app registers its look-up here from its
AppConfig.ready; without one, the search knows citizens only by their internal id."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CitizenLookup:
    # (user, name or CPR) -> the ids of the citizens the user may look up, at most ``limit``
    find: Callable[[Any, str, int], list[int]]
    # (user, ids) -> {id: "First Last"} for those of the ids the user may look up
    names: Callable[[Any, Iterable[int]], dict[int, str]]


_lookup: list[CitizenLookup] = []


def register(lookup: CitizenLookup) -> None:
    _lookup[:] = [lookup]


def find_citizens(user, text: str, limit: int = 50) -> list[int]:
    return _lookup[0].find(user, text, limit) if _lookup else []


def citizen_names(user, ids: Iterable[int]) -> dict[int, str]:
    ids = [i for i in ids if i is not None]
    return _lookup[0].names(user, ids) if _lookup and ids else {}
