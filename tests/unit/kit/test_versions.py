"""'Newest version wins' over a run of snapshots: what one-at-a-time handling would have stored."""

from certhub_kit.versions import advancing, latest


def run(held, snapshots, **kw):
    return advancing(held, snapshots, key=lambda s: s[0], version=lambda s: s[1], **kw)


def test_older_and_repeated_versions_do_not_advance():
    snapshots = [("a", 2), ("a", 1), ("b", 1), ("a", 3), ("a", 3), ("b", 1)]
    assert run({}, snapshots) == [("a", 2), ("b", 1), ("a", 3)]


def test_held_versions_and_deleted_keys_hold_back():
    assert run({"a": 5, "b": None}, [("a", 4), ("a", 5), ("b", 9), ("a", 6), ("c", 1)]) == [("a", 6), ("c", 1)]


def test_ties_count_when_a_repeat_is_stored_again():
    assert run({"a": 2}, [("a", 2), ("a", 1), ("a", 3), ("a", 3)], ties=True) == [("a", 2), ("a", 3), ("a", 3)]
    assert run({"a": None}, [("a", 2)], ties=True) == []


def test_latest_keeps_the_last_of_each_key_in_first_seen_order():
    assert latest([("a", 1), ("b", 1), ("a", 2)], key=lambda s: s[0]) == [("a", 2), ("b", 1)]
