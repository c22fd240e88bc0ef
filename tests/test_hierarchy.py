from oppmarket.hierarchy import cycle_through, loop_words


def parents(pairs):
    return lambda node: pairs.get(node)


def test_a_new_root_or_a_sibling_closes_no_loop():
    tree = {"b": "a", "c": "a"}
    assert cycle_through("b", None, parents(tree)) is None
    assert cycle_through("b", "c", parents(tree)) is None


def test_putting_someone_under_their_own_report_is_a_loop():
    tree = {"b": "a", "c": "b"}  # a ← b ← c
    assert cycle_through("a", "c", parents(tree)) == ["c", "b", "a"]
    assert loop_words(["c", "b", "a"]) == "c → b → a → c"


def test_being_ones_own_parent_is_a_loop():
    assert cycle_through("a", "a", parents({})) == ["a"]


def test_a_loop_already_in_the_data_does_not_hang_the_walk():
    assert cycle_through("z", "a", parents({"a": "b", "b": "a"})) is None
