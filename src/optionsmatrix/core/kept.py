"""A thread-safe least-recently-used store bounded by the total weight of what it holds, not by a count.

What a worker keeps between requests (matrices as pages read them, whole
pages) varies a thousandfold in size, so each entry comes with its weight
and the least recently used go first once the total passes `capacity`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class WeightedLRU(Generic[V]):
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._weight = 0
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()  # requests run in several threads

    def get(self, key: Hashable) -> V | None:
        """The value kept under `key`, now the most recently used; None if there is none."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: Hashable, value: V, weight: int) -> None:
        """Keep `value` under `key` (replacing what was there), then drop the least recently used while
        over capacity; the newest entry always stays, even alone over it."""
        with self._lock:
            earlier = self._entries.pop(key, None)
            self._weight += weight - (earlier[1] if earlier is not None else 0)
            self._entries[key] = (value, weight)
            while self._weight > self.capacity and len(self._entries) > 1:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._weight -= dropped

    @property
    def weight(self) -> int:
        """The weight of everything kept."""
        return self._weight

    def __len__(self) -> int:
        return len(self._entries)
