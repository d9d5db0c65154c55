"""Pauses between attempts at something that keeps failing: a retry loop that neither spins nor gives up."""

from __future__ import annotations

import random


class Backoff:
    """Each pause twice the last, from `first` up to `most` seconds, until `reset` after a success."""

    def __init__(self, *, first: float, most: float) -> None:
        self.first = first
        self.most = most
        self._next = first

    def pause(self) -> float:
        pause = self._next
        self._next = min(self._next * 2, self.most)
        # Somewhat shorter at random: many workers that lost Redis together come back spread out.
        return pause * random.uniform(0.5, 1.0)

    def reset(self) -> None:
        self._next = self.first
