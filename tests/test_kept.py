"""core/kept.py: what a worker keeps between requests, bounded by weight and dropped least recently used first."""

from __future__ import annotations

import threading

from optionsmatrix.core.kept import WeightedLRU


def test_the_least_recently_used_go_first_once_over_capacity():
    kept: WeightedLRU[str] = WeightedLRU(capacity=10)
    for key in "abc":
        kept.put(key, key.upper(), 3)
    assert kept.get("a") == "A"  # now the most recent: "b" is the oldest
    kept.put("d", "D", 3)
    assert kept.get("b") is None and [kept.get(k) for k in "acd"] == ["A", "C", "D"]
    assert kept.weight == 9 and len(kept) == 3


def test_replacing_an_entry_counts_only_its_new_weight():
    kept: WeightedLRU[int] = WeightedLRU(capacity=100)
    kept.put("x", 1, 40)
    kept.put("x", 2, 10)
    assert kept.get("x") == 2 and kept.weight == 10 and len(kept) == 1


def test_the_newest_entry_stays_even_alone_over_capacity():
    kept: WeightedLRU[str] = WeightedLRU(capacity=5)
    kept.put("small", "s", 2)
    kept.put("huge", "h", 50)
    assert kept.get("small") is None and kept.get("huge") == "h" and kept.weight == 50


def test_weight_stays_exact_under_threads():
    kept: WeightedLRU[int] = WeightedLRU(capacity=500)

    def churn(offset: int) -> None:
        for n in range(2_000):
            kept.put((offset + n) % 97, n, 1 + n % 13)
            kept.get((offset * 7 + n) % 97)

    threads = [threading.Thread(target=churn, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert kept.weight == sum(weight for _, weight in kept._entries.values()) <= 500
