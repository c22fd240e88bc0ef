"""One key, one meaning: every binding of the app, its screens and its widgets (modal
dialogs' own choice keys apart) agrees with the keymap, and no action has two keys."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widget import Widget

import oppmarket.screens
import oppmarket.widgets
from oppmarket import keymap
from oppmarket.app import OppMarketApp


def _classes():
    for package in (oppmarket.screens, oppmarket.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__:
                    yield cls


def bindings_in_use() -> list[tuple[str, str, str]]:
    """(class, key, description) of every binding outside a modal dialog."""
    found = []
    owners = [OppMarketApp, *(cls for cls in _classes()
                              if issubclass(cls, Widget) and not issubclass(cls, ModalScreen))]
    for cls in owners:
        for binding in vars(cls).get("BINDINGS", ()):
            if isinstance(binding, Binding):
                for key in binding.key.split(","):
                    found.append((cls.__name__, key.strip(), binding.description))
    return found


def test_every_key_means_what_the_keymap_says():
    problems = keymap.misfits(bindings_in_use())
    assert not problems, "\n".join(problems)


def test_no_key_has_two_meanings():
    # Words of one family (x: decline, cancel, delete, remove) are one meaning.
    family = {word: meaning.meaning for meaning in keymap.KEYMAP for word in meaning.says}
    meanings: dict[str, set[str]] = defaultdict(set)
    for _, key, description in bindings_in_use():
        if key not in keymap.NAVIGATION_KEYS:
            said = keymap.spoken(description)
            meanings[key].add(family.get(said, said))
    twice = {key: sorted(said) for key, said in meanings.items() if len(said) > 1}
    assert not twice, f"keys with several meanings: {twice}"


def test_no_action_has_two_keys():
    keys: dict[str, set[str]] = defaultdict(set)
    for _, key, description in bindings_in_use():
        if key not in keymap.NAVIGATION_KEYS:
            keys[keymap.spoken(description)].add(key)
    twice = {said: sorted(on) for said, on in keys.items() if len(on) > 1}
    assert not twice, f"one action, several keys: {twice}"


def test_the_keymap_gives_each_word_one_key():
    owners: dict[str, list[str]] = defaultdict(list)
    for meaning in keymap.KEYMAP:
        for word in meaning.says:
            owners[word].append(meaning.key)
    assert len(keymap.BY_KEY) == len(keymap.KEYMAP)
    assert {word: on for word, on in owners.items() if len(on) > 1} == {}
    assert not keymap.NAVIGATION_KEYS & set(keymap.BY_KEY)


def test_the_check_catches_a_key_with_two_meanings():
    # Release on the queue and Reload elsewhere, as the keys once were.
    clash = [("ReleasesScreen", "r", "Release"), ("InboxScreen", "r", "Reload")]
    assert keymap.misfits(clash) == ["InboxScreen: r says 'Reload', but r means "
                                     f"{keymap.BY_KEY['r'].meaning!r}"]
