"""The Gini coefficient that insights and the simulation both report."""

import pytest

from oppmarket.insights import gini


def test_equal_shares_have_no_inequality():
    assert gini([2, 2, 2, 2]) == 0.0


def test_one_person_holding_everything_approaches_one():
    # Four people, one holds all: (n - 1) / n.
    assert gini([0, 0, 0, 8]) == pytest.approx(0.75)


def test_worked_example():
    # Pairwise |differences| of 1, 2, 3: sum over ordered pairs 2 * (1 + 2 + 1) = 8,
    # over 2 * n^2 * mean = 2 * 9 * 2 = 36.
    assert gini([1, 2, 3]) == pytest.approx(8 / 36)


def test_order_does_not_matter():
    assert gini([5, 0, 1, 3]) == pytest.approx(gini([0, 1, 3, 5]))


@pytest.mark.parametrize("counts", [[], [7], [0, 0, 0]])
def test_empty_single_and_all_zero_are_zero(counts):
    assert gini(counts) == 0.0


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        gini([1, -1])
