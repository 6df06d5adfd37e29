""" "Newest version wins" for a run of snapshots handled at once."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def advancing(
    held: Mapping[K, int | None],
    snapshots: Iterable[T],
    *,
    key: Callable[[T], K],
    version: Callable[[T], int],
    ties: bool = False,
) -> list[T]:
    """The snapshots, in order, that were newer than what was held and than every earlier one of
    the same key: what handling them one at a time would have stored. ``held`` maps a key to the
    stored version; ``None`` there means the key is closed (deleted) and nothing advances it.
    ``ties``: a snapshot of the same version counts as current too (it is stored again)."""
    newest: dict[K, int | None] = dict(held)
    out = []
    for snapshot in snapshots:
        k, v = key(snapshot), version(snapshot)
        held_version = newest.get(k, -1)
        if held_version is None or held_version > v or (held_version == v and not ties):
            continue
        newest[k] = v
        out.append(snapshot)
    return out


def latest(snapshots: Iterable[T], *, key: Callable[[T], Hashable]) -> list[T]:
    """The last of each key (of snapshots already ``advancing``: the newest), in first-seen order."""
    last: dict[Hashable, T] = {}
    for snapshot in snapshots:
        last[key(snapshot)] = snapshot
    return list(last.values())
