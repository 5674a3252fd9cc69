import pytest
from django.test import Client
from django.utils import translation

from liaison.testing.cast import Cast, make_cast
from liaison.testing.clock import Clock


@pytest.fixture
def cast(db) -> Cast:
    return make_cast()


@pytest.fixture(autouse=True)
def english():
    """Assertions read English messages; the tests of the French default build their own client."""
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    client = Client()
    client.cookies.load({"django_language": "en"})
    return client


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Freeze `timezone.now()` at the start of a failure window; the test moves it."""
    frozen = Clock()
    monkeypatch.setattr("django.utils.timezone.now", frozen)
    return frozen
