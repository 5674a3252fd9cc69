from tools.check_door import EXAMPLES_BAD, EXAMPLES_GOOD, check, offences_in_line, protected_models


def test_protected_models_are_found_from_the_marked_base() -> None:
    assert "Partner" in protected_models()
    assert "Zone" not in protected_models()


def test_bad_examples_are_caught() -> None:
    models = protected_models()
    assert all(offences_in_line(line, models) for line in EXAMPLES_BAD)


def test_good_examples_pass() -> None:
    models = protected_models()
    assert not any(offences_in_line(line, models) for line in EXAMPLES_GOOD)


def test_the_tree_respects_the_door() -> None:
    assert check() == []
