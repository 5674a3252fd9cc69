import pytest

from liaison.testing.cast import Cast, make_cast


@pytest.fixture
def cast(db) -> Cast:
    return make_cast()
