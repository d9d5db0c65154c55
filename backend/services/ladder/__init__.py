"""The ladder of participation: who stands on which rung, where, and how they move.

- `rungs`: each person's rung per area, worked out in SQL from the activity record and
  from what people are now (group members, followers).
"""

from backend.services.ladder.rungs import RUNG_WINDOW, ladder_of, people_reaching, rung_of, rungs_in

__all__ = ["RUNG_WINDOW", "ladder_of", "people_reaching", "rung_of", "rungs_in"]
