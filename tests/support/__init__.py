"""What the tests share: fixed values, the organisation builder, the clock, the
databases and the Pilot helpers. Tests import these plain helpers from here; fixtures
reach them only through the `conftest.py` of their folder."""

from support.clock import Clock, fixed_clock
from support.constants import HOSTILE, NOW, SIZE, SMALL
from support.database import table_rows
from support.locks import write_lock_held
from support.org import build_org, gigs, hire, post_all, small_company, staff
from support.pilot import notifications, open_app, opened, press, pressing, screen_text, settle, started
from support.roster import COMPANY, COMPANY_SKILLS, SKILLS, STAFF, Person, Skill

__all__ = [
    "COMPANY", "COMPANY_SKILLS", "HOSTILE", "NOW", "SIZE", "SKILLS", "SMALL", "STAFF", "Clock", "Person",
    "Skill", "build_org", "fixed_clock", "gigs", "hire", "notifications", "open_app", "opened", "post_all", "press", "pressing",
    "screen_text", "settle", "small_company", "staff", "started", "table_rows", "write_lock_held",
]
