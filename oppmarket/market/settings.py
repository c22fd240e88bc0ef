"""The marketplace's settings (`oppmarket.marketplace_settings` is their table):
anyone may read them, since they shape what everyone sees (how long a release may
wait, when a session ends); only admins change them, each change audited with the
value it had and the one it has now."""

from __future__ import annotations

from oppmarket import domain as d
from oppmarket import policy
from oppmarket.db import models as M
from oppmarket.errors import PermissionDenied, ValidationError
from oppmarket.market.core import MarketCore, api
from oppmarket.marketplace_settings import BY_KEY, SETTINGS, SettingRule


def _stored(rule: SettingRule, text: str | None) -> int:
    """A stored value, or the default where none is stored (or one no longer in range)."""
    value = rule.check(text) if text is not None else rule.default
    return value if isinstance(value, int) else rule.default


def _record(rule: SettingRule, value: int) -> d.SettingValue:
    return d.SettingValue(key=rule.key, label=rule.label, words=rule.words, unit=rule.unit, low=rule.low,
                          high=rule.high, default=rule.default, value=value)


class SettingsMixin(MarketCore):
    """Reading and changing the marketplace's settings."""

    @api
    def settings(self) -> list[d.SettingValue]:
        """Every setting with its value, default and range, in the table's order."""
        self._me()
        stored = dict(M.Setting.select(M.Setting.key, M.Setting.value)
                      .where(M.Setting.key.in_(list(BY_KEY))).tuples())
        return [_record(rule, _stored(rule, stored.get(rule.key))) for rule in SETTINGS]

    def _setting_value(self, key: str) -> int:
        rule = BY_KEY[key]
        row = M.Setting.get_or_none(M.Setting.key == key)
        return _stored(rule, row.value if row else None)

    @api
    def default_cap_pct(self) -> int:
        """The time cap % of someone added or imported without one."""
        return self._setting_value("default_cap_pct")

    @api
    def session_idle_minutes(self) -> int | None:
        """Minutes without input after which the app ends a session; None: never."""
        return self._setting_value("session_idle_minutes") or None

    @api
    def set_setting(self, key: str, value: int | str) -> d.SettingValue:
        """Admin: set one setting. The value is checked against the setting's range
        (the error names the setting and the range); the change is audited with the
        old and the new value, and setting the value it already has changes nothing."""
        me, actor = self._me_person()
        if (why := policy.may_administer(actor)) is not None:
            raise PermissionDenied(why)
        rule = BY_KEY.get(key)
        if rule is None:
            raise ValidationError({"key": f"there is no setting {key!r}; the settings are "
                                          f"{', '.join(BY_KEY)}"})
        new = rule.check(value)
        if isinstance(new, str):
            raise ValidationError({key: new})

        def body() -> None:
            query = M.Setting.select().where(M.Setting.key == key)
            row = (query.for_update() if self.db.for_update else query).first()
            old = _stored(rule, row.value if row else None)
            if old == new:
                return
            M.Setting.insert(key=key, value=str(new)).on_conflict(
                conflict_target=[M.Setting.key], update={M.Setting.value: str(new)}).execute()
            self._audit(me, "set_setting", "setting", None, key=key, old=old, new=new)

        self._tx(body)
        return _record(rule, new)

    @api
    def set_release_auto_days(self, days: int | str) -> int:
        """Admin: days an accepted offer waits for its release before it is granted."""
        return self.set_setting("release_auto_days", days).value

    @api
    def set_offer_answer_days(self, days: int | str) -> int:
        """Admin: days a candidate has to answer an offer before it lapses."""
        return self.set_setting("offer_answer_days", days).value
