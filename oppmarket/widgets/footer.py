"""The footer of every full screen. Textual's footer lists the focused widget's keys,
then the screen's, then the app's, and cuts whatever does not fit. On a narrow terminal
this one draws its keys closer together and leaves out the app's places to go (b m p i
u t), the palette, reload (`f5`) and any key a screen names in `FOOTER_WIDE_ONLY`; a
long description that would still not fit shortens to its first word. So the screen's
own keys, `?` and `q` stay in sight; the help (`?`) and the palette list every key."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# The app's keys that go somewhere else: on every screen, so known by heart.
PLACES = frozenset({"app.browse", "app.my_work", "app.post", "app.inbox", "app.profile", "app.team"})


class MarketFooter(Footer):
    """A footer that keeps a screen's own keys and `?` when columns are few."""

    NARROW_BELOW = 160  # terminal columns: where the app's layout turns wide
    LONGEST = 16  # characters of a description kept whole when the line is too long

    def __init__(self) -> None:
        super().__init__()
        self._narrow: bool | None = None
        self._drawn: tuple | None = None  # what the keys were last composed from

    @property
    def narrow(self) -> bool:
        return self.app.size.width < self.NARROW_BELOW

    def shown(self) -> Iterator[tuple[Binding, bool, str]]:
        """(binding, enabled, tooltip) of each key the footer shows, in order: one
        per action."""
        narrow = self.narrow
        wide_only = getattr(self.screen, "FOOTER_WIDE_ONLY", frozenset())
        actions: set[str] = set()
        for node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in actions:
                continue
            if narrow and ((node is self.app and binding.id in PLACES) or binding.key == "f5"
                           or binding.id in wide_only):
                continue
            actions.add(binding.action)
            yield binding, enabled, tooltip

    def _keys_as_shown(self) -> tuple:
        """Everything the footer's keys are drawn from: the width, and each shown key
        with its words, state and tooltip (the palette's too)."""
        palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return (self.app.size.width, palette[2] if palette else None,
                tuple((b.key, b.action, b.description, enabled, tooltip) for b, enabled, tooltip in self.shown()))

    def bindings_changed(self, screen) -> None:
        # Textual's footer rebuilds its keys whenever any binding is looked at again,
        # which is every cursor move; this one rebuilds only when what it shows changed.
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._redraw_if_changed)

    async def _redraw_if_changed(self) -> None:
        if self.is_attached and self._keys_as_shown() != self._drawn:
            await self.recompose()

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._drawn = self._keys_as_shown()
        self._narrow = self.compact = self.narrow
        keys = list(self.shown())
        said = {binding.action: binding.description for binding, _, _ in keys}
        # Compact, a key takes its name, a space, its description and a space.
        if sum(len(self.app.get_key_display(b)) + len(said[b.action]) + 2 for b, _, _ in keys) > self.app.size.width:
            # Too long for the line: a long description ("Undo shortlist of Quentin")
            # shortens to its first word; the help has it in full.
            said = {action: words.split()[0] if len(words) > self.LONGEST else words
                    for action, words in said.items()}
        self.styles.grid_size_columns = len(keys)
        for binding, enabled, tooltip in keys:
            yield self._key(FooterKey(binding.key, self.app.get_key_display(binding), said[binding.action],
                                      binding.action, disabled=not enabled, tooltip=tooltip))
        if self._narrow or not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return
        active = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if active is not None:
            _, binding, enabled, _ = active
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                            classes="-command-palette", disabled=not enabled,
                            tooltip=binding.tooltip or binding.description)

    def _key(self, key: FooterKey) -> FooterKey:
        """`key` already compact or not as the footer is: set after mounting (as
        Textual's footer binds it), it would restyle each key once more."""
        key.set_reactive(FooterKey.compact, self.compact)
        key.set_class(self.compact, "-compact", update=False)
        return key

    def on_resize(self) -> None:
        if self._narrow is not None and self.narrow != self._narrow:
            self.call_after_refresh(self.recompose)
