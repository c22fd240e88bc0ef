"""Reading the audit trail: the dates its filters take, the old -> new changes an
event's detail records, the words of a filter, and its rows as an export writes them
(`transfer.write_records`: CSV guarded against formulas, or JSON). Pure functions
shared by the market, the CLI and the screens."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from oppmarket.domain import AuditEntry, AuditFilter
from oppmarket.text import clean_line

AUDIT_COLUMNS = ("id", "at", "actor", "identified_by", "action", "object_type", "object_id", "detail")
# Who acted when no person did (maintenance, the demo, the system's imports).
SYSTEM_ACTOR = "system"


def parse_when(text: str) -> dt.date | dt.datetime:
    """'2026-03-01' (a day) or '2026-03-01T09:30' (a moment, UTC); ValueError says what
    it takes."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{clean_line(text)!r} is not a date: write YYYY-MM-DD (or YYYY-MM-DDTHH:MM, UTC)") from None


def when_bounds(since: dt.date | dt.datetime | None,
                until: dt.date | dt.datetime | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """[from, to) in stored time: a day given as `until` is included whole."""
    low = dt.datetime.combine(since, dt.time()) if type(since) is dt.date else since
    if type(until) is dt.date:
        high = dt.datetime.combine(until + dt.timedelta(days=1), dt.time())
    else:
        high = until + dt.timedelta(microseconds=1) if until is not None else None
    if isinstance(low, dt.datetime) and low.tzinfo is not None:
        low = low.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(high, dt.datetime) and high.tzinfo is not None:
        high = high.astimezone(dt.UTC).replace(tzinfo=None)
    return low, high


@dataclass(frozen=True)
class Change:
    field: str
    old: object
    new: object


def changes(entry: AuditEntry) -> list[Change]:
    """What the event changed, old -> new, as its detail records it: `old` and `new`
    (two mappings of fields, or one value named by `key` or else by the action), fields each holding an
    `old` and a `new`, or a status it moved from (`from_status`, and `to_status` where
    recorded). None on a side: not there."""
    detail = entry.detail
    found: list[Change] = []
    old, new = detail.get("old"), detail.get("new")
    if isinstance(old, dict) or isinstance(new, dict):
        old, new = old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}
        found += [Change(k, old.get(k), new.get(k)) for k in dict.fromkeys([*old, *new])]
    elif "old" in detail or "new" in detail:
        # One value: the setting's key, or what the action sets ("set_cap": the cap).
        found.append(Change(str(detail.get("key") or entry.action.removeprefix("set_")), old, new))
    # A profile's change records each field as {"old": ..., "new": ...}.
    found += [Change(k, v["old"], v["new"]) for k, v in detail.items()
              if isinstance(v, dict) and v.keys() == {"old", "new"}]
    if "from_status" in detail or "to_status" in detail:
        found.append(Change("status", detail.get("from_status"), detail.get("to_status")))
    return found


def shown(value: object) -> str:
    """A value of a change as one line of text: '—' for nothing, JSON for lists and maps."""
    if value is None:
        return "—"
    if isinstance(value, (dict, list)):
        return clean_line(json.dumps(value, sort_keys=True, ensure_ascii=False))
    return clean_line(str(value))


def filter_words(f: AuditFilter) -> str:
    """'by amara.rossi · set_setting · on setting · from 2026-03-01 · to 2026-03-31'."""
    parts = []
    if f.actor:
        parts.append(f"by {f.actor}")
    if f.action:
        parts.append(f.action)
    if f.object_type:
        parts.append(f"on {f.object_type}" + (f":{f.object_id}" if f.object_id is not None else ""))
    if f.since:
        parts.append(f"from {f.since}")
    if f.until:
        parts.append(f"to {f.until}")
    return clean_line(" · ".join(parts))


def parse_object(text: str) -> tuple[str, int | None]:
    """'key_role:3' -> ('key_role', 3); 'setting' -> ('setting', None)."""
    kind, sep, number = text.strip().partition(":")
    if not kind.strip() or (sep and not number.strip().isdigit()):
        raise ValueError(f"{clean_line(text)!r} is not TYPE or TYPE:ID (e.g. key_role:3)")
    return kind.strip(), int(number) if sep else None


def audit_record(entry: AuditEntry, fmt: str) -> dict:
    """One event as an export writes it; its detail a JSON text in CSV, a mapping in JSON."""
    detail = entry.detail if fmt == "json" else json.dumps(entry.detail, sort_keys=True, ensure_ascii=False)
    return {"id": entry.id, "at": entry.at, "actor": entry.actor or SYSTEM_ACTOR,
            "identified_by": entry.identified_by, "action": entry.action, "object_type": entry.object_type,
            "object_id": entry.object_id, "detail": detail}


def audit_records(entries: Iterable[AuditEntry], fmt: str) -> Iterator[dict]:
    return (audit_record(entry, fmt) for entry in entries)
