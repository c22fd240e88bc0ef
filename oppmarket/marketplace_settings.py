"""The settings of the whole marketplace that admins set: each one's key, its words,
its unit and range, and its default. The one table of them; the market checks and
stores them (`market/settings.py`), the CLI, the settings screen and README read it."""

from __future__ import annotations

from dataclasses import dataclass

from oppmarket import policy


@dataclass(frozen=True)
class SettingRule:
    key: str
    label: str
    words: str
    unit: str
    low: int
    high: int
    default: int

    def check(self, value: object) -> int | str:
        """The value as a whole number in range, or what is wrong with it (a str)."""
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        else:
            text = str(value).strip()
            number = int(text) if text.lstrip("-").isdigit() else None
        if number is None or not self.low <= number <= self.high:
            return f"{self.label} must be a whole number from {self.low} to {self.high} ({self.unit})"
        return number


SETTINGS: tuple[SettingRule, ...] = (
    SettingRule("release_auto_days", "Automatic release",
                "Days an accepted offer waits for the line manager's answer before its time is released "
                "automatically: silence is not a veto.", "days", 1, 60, policy.DEFAULT_RELEASE_AUTO_DAYS),
    SettingRule("offer_answer_days", "Days to answer an offer",
                "Days a candidate has to accept or decline an offer; an unanswered offer lapses and its seat "
                "frees.", "days", 1, 60, policy.DEFAULT_OFFER_ANSWER_DAYS),
    SettingRule("default_cap_pct", "Default time cap",
                "The share of weekly hours someone may give the marketplace when they are added or imported "
                "without a cap of their own.", "% of weekly hours", 0, 100, policy.DEFAULT_CAP_PCT),
    SettingRule("session_idle_minutes", "Idle session timeout",
                "Minutes without a key press or click after which the app ends a session; 0 never does. "
                "It applies to sessions started after the change. An idle_minutes in the config file comes "
                "first: on a server that file is the service account's, which holds the database itself.",
                "minutes", 0, 1440, policy.DEFAULT_SESSION_IDLE_MINUTES),
)

BY_KEY = {rule.key: rule for rule in SETTINGS}
