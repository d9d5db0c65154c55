"""What counts as near a person's home: digests and next steps share this one rule."""

import pytest

from backend.models.areas import neighbourhood_path


@pytest.mark.parametrize(
    ("home", "near"),
    [
        ("/1/4/9/", "/1/4/"),  # a neighbourhood: everything in its district
        ("/1/4/", "/1/"),  # a district: everything in its force
        ("/1/", "/1/"),  # the top: the area itself, never the whole platform
    ],
)
def test_near_a_home_is_inside_the_area_above_it(home: str, near: str) -> None:
    assert neighbourhood_path(home) == near
