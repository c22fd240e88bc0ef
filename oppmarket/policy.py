"""Who may do what, and the seat and time-cap rules. Pure functions over plain
records: each `may_*` returns None when allowed, or the reason it is not."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the records import this module's cap rule
    from oppmarket.domain import Person


# An offer nobody answers is released after this many days unless an admin sets
# another delay: silence is not a veto.
DEFAULT_RELEASE_AUTO_DAYS = 5
# Days a candidate has to accept or decline an offer (the `offer_answer_days` setting
# overrides it); an unanswered offer lapses and its seat frees.
DEFAULT_OFFER_ANSWER_DAYS = 7
# The time cap, as a share of weekly hours, of someone added or imported without one
# (the `default_cap_pct` setting overrides it).
DEFAULT_CAP_PCT = 20
# Minutes without input after which the app ends a session; 0: never (the
# `session_idle_minutes` setting overrides it, and a config file's idle_minutes it).
DEFAULT_SESSION_IDLE_MINUTES = 0
# An owner's shortlist, offer or decline made while reviewing may be taken back this
# many seconds without anyone hearing of it: its notifications wait that long.
UNDO_WINDOW_SECONDS = 10


def cap_hours(weekly_hours: int, cap_pct: int) -> float:
    """Hours per week a person may give the marketplace."""
    return weekly_hours * cap_pct / 100


def fits_cap(committed: int, extra: int, weekly_hours: int, cap_pct: int) -> bool:
    return committed + extra <= cap_hours(weekly_hours, cap_pct) + 1e-9


def lowest_cap_pct(committed: int, weekly_hours: int) -> int:
    """The smallest whole percent of `weekly_hours` that covers `committed` hours."""
    return -(-committed * 100 // weekly_hours) if weekly_hours > 0 else 0


def may_cut_cap(name: str, committed: int, old: tuple[int, int], new: tuple[int, int]) -> str | None:
    """A change of someone's terms, (weekly hours, cap %) from `old` to `new`, may not
    leave their cap below the `committed` hours their offers and engagements already
    hold: an offer beyond the cap is refused, so a cap cut under what is held would
    break that rule without a word. A change that does not lower the cap is allowed,
    even when the cap stays short of what is held (it only gets closer)."""
    new_cap = cap_hours(*new)
    if new_cap >= cap_hours(*old) - 1e-9 or fits_cap(committed, 0, *new):
        return None
    hours, pct = new
    said = (f"{name} already has {committed} h/week committed to offers and engagements, more than "
            f"{new_cap:g} h/week ({pct}% of {hours} h)")
    lowest = lowest_cap_pct(committed, hours)
    if lowest > 100:
        return f"{said}: no cap covers that at {hours} h a week; end or decline some of it first"
    if hours == old[0]:
        return f"{said}: the cap can go down to {lowest}%, or lower once some of it ends"
    return f"{said}: at {hours} h a week the cap must be {lowest}% or more; raise it first"


def has_free_seat(seats: int, holding: int) -> bool:
    return holding < seats


def may_set_hours(actor: Person, target_username: str, target_manager: str | None) -> str | None:
    """Contracted weekly hours: the time cap is a share of them, so whoever sets them
    sets the cap. The line manager or an admin (or an import) does; the person does not."""
    if actor.is_admin or (target_manager is not None and actor.username == target_manager):
        return None
    if actor.username == target_username:
        return "your contracted hours are set by your line manager or an admin; ask them to change them"
    return f"only {target_username}'s line manager or an admin may change their weekly hours"


def may_manage_posting(actor: Person, owner_username: str) -> str | None:
    """Edit, publish, close, complete a posting; review its applicants."""
    if actor.username == owner_username:
        return None
    return f"only the owner ({owner_username}) may do that to this posting"


def may_cancel_posting(actor: Person, owner_username: str) -> str | None:
    if actor.username == owner_username or actor.is_admin:
        return None
    return f"only the owner ({owner_username}) or an admin may cancel this posting"


def may_see_applicants(actor: Person, owner_username: str) -> str | None:
    if actor.username == owner_username or actor.is_admin:
        return None
    return "only the posting's owner sees who applied"


def may_apply(actor: Person, owner_username: str) -> str | None:
    if actor.username == owner_username:
        return "you cannot apply to your own posting"
    if not actor.active:
        return "your profile is inactive"
    return None


def may_be_invited(invitee: Person, owner_username: str) -> str | None:
    """Whether a posting's owner may invite `invitee` to apply: only someone who said
    they are open to invitations, and never the owner themself."""
    if invitee.username == owner_username:
        return "you cannot invite yourself to your own posting"
    if not invitee.active:
        return f"the profile of {invitee.username} is inactive"
    if not invitee.open_to_invitations:
        return f"{invitee.username} is not open to invitations"
    return None


def may_act_as_applicant(actor: Person, applicant_username: str) -> str | None:
    if actor.username == applicant_username:
        return None
    return "only the applicant may do that"


def may_release(actor: Person, applicant_manager: str | None) -> str | None:
    """Release or decline a report's time."""
    if applicant_manager is not None and actor.username == applicant_manager:
        return None
    return "only the applicant's line manager may release or decline their time"


def may_set_cap(actor: Person, target_username: str, target_manager: str | None) -> str | None:
    if actor.is_admin or (target_manager is not None and actor.username == target_manager):
        return None
    return f"only {target_username}'s line manager or an admin may change their time cap"


def may_administer(actor: Person) -> str | None:
    return None if actor.is_admin else "only an admin may do that"


def may_manage_people(actor: Person) -> str | None:
    """Add people, change their details, manager, hours, cap and admin rights,
    deactivate and reactivate them: the company's records, kept by its admins."""
    return None if actor.is_admin else "only an admin may add, change or deactivate people"


def keeps_an_admin(username: str, other_active_admins: int) -> str | None:
    """Revoking someone's admin rights or deactivating them may never leave the
    marketplace without an active admin: nobody could add people or undo it."""
    if other_active_admins > 0:
        return None
    return f"{username} is the last active admin; make someone else an admin first"


def may_deactivate(actor: Person, target_username: str) -> str | None:
    """An admin deactivates others; never themself, which would end their own session
    halfway through handing over their work."""
    if (why := may_manage_people(actor)) is not None:
        return why
    if actor.username == target_username:
        return "you cannot deactivate yourself; ask another admin"
    return None


def may_read_audit_log(actor: Person) -> str | None:
    """The audit log names who did what to whom (applications, caps, releases): the
    company's record, read by admins."""
    return None if actor.is_admin else "only an admin may read the audit log"


def may_manage_key_roles(actor: Person) -> str | None:
    """Add, change and remove key roles and the skills they need: succession planning
    is the company's, so admins keep it; everyone may read the roles and their bench
    sizes, and who stands on a bench as `may_see_skill_holder` allows."""
    return None if actor.is_admin else "only an admin may add, change or remove key roles"


def may_manage_taxonomy(actor: Person) -> str | None:
    """Add, rename, re-parent and merge departments; rename, alias, merge and retire
    skills: the shared vocabulary every profile, posting and search stands on, so
    admins keep it (anyone may still add a skill nothing close to exists)."""
    return None if actor.is_admin else "only an admin may change departments or the skills taxonomy"


def may_see_application(actor: Person, applicant_username: str, owner_username: str,
                        applicant_manager: str | None, accepted: bool) -> str | None:
    """One application: the applicant, the posting's owner and admins; the
    applicant's line manager only once its offer has been `accepted`, because that is
    when they are asked to release the time and until then nobody is punished for
    looking. Nobody else learns who applied to what."""
    if actor.is_admin or actor.username in (applicant_username, owner_username):
        return None
    if accepted and applicant_manager is not None and actor.username == applicant_manager:
        return None
    return ("only the applicant, the owner or an admin may see this application "
            "(their manager once its offer is accepted)")


def may_self_serve(owns_database: bool, by_key: bool) -> str | None:
    """Create one's own profile, load the demo organisation, or act as someone else
    (`--as`, the persona switcher): only the account that owns the database, at its
    own keyboard (a personal database or a demo), where it grants nothing that account
    could not do to the file anyway. On a shared marketplace people come in through
    an admin: someone who registers themselves has no manager to release their time.
    In an SSH session the service account owns the file, but the key names the person."""
    if by_key:
        return "in an SSH session your key says who you are; an admin adds people and changes profiles"
    if owns_database:
        return None
    return ("this database belongs to another account; on a shared marketplace you act as your login "
            "and an admin adds people")


def may_see_skill_holder(actor: Person, holder_username: str, holder_manager: str | None) -> str | None:
    """Who stands behind a count of the capability map: admins see everyone, a line
    manager their own direct reports, anyone themselves; everyone else sees the counts
    only. The map shows where the company is thin; it is not a directory for picking
    people out of other teams."""
    if actor.is_admin or actor.username == holder_username:
        return None
    if holder_manager is not None and actor.username == holder_manager:
        return None
    return "only admins, and line managers for their own reports, see who is behind these counts"


def may_import(actor: Person | None, owns_database: bool) -> str | None:
    """Import and export people, skills, opportunities and applications: an admin,
    or whoever owns the database file (their own embedded database or demo, where
    the work runs as the system because there may be nobody in it yet)."""
    if owns_database or (actor is not None and actor.is_admin):
        return None
    return "only an admin may import or export this; ask one of your admins"


def may_back_up(actor: Person | None, owns_database: bool) -> str | None:
    """Back up the whole database: the account that owns it, which can copy the file
    anyway (so it grants nothing new, and a nightly job needs no profile), or an
    admin, who may already export every person, skill and application. Nobody else:
    a backup holds what the marketplace keeps from everyone but those involved, such
    as who applied to what."""
    if owns_database or (actor is not None and actor.is_admin):
        return None
    return ("a backup holds everyone's data: only an admin or the account that owns the database "
            "may make one")


def endorsement_limit(claimed: int | None, posting_level: int) -> int:
    """The highest level an owner may endorse a skill the posting asked for: one above
    what the participant already claims, or the posting's own level when that is
    higher (so a newcomer can be endorsed at what the work needed). Never above 5."""
    reach = posting_level if claimed is None else max(claimed + 1, posting_level)
    return min(5, reach)


def may_endorse(skill_name: str, level: int, posting_level: int | None, claimed: int | None) -> str | None:
    """An endorsement is evidence of work seen on this posting: only its own skills
    (`posting_level` None when it neither requires nor grows the skill), and only
    within `endorsement_limit`, so one completion cannot make anyone an expert."""
    if posting_level is None:
        return f"{skill_name} is not a skill of this posting; endorse only the skills it requires or grows"
    limit = endorsement_limit(claimed, posting_level)
    if level > limit:
        return f"{skill_name} at most {limit} for this engagement (asked {level})"
    return None


# Whose figures the insights show (`insights_scope`).
COMPANY_SCOPE, REPORTS_SCOPE, SELF_SCOPE = "company", "reports", "self"


def insights_scope(actor: Person) -> str:
    """Whose figures the insights show an actor: an admin the whole company
    ("company"); a line manager their direct reports, and their own release
    decisions ("reports"); anyone else their own participation ("self"). Figures
    about people in other departments reach a non-admin only as counts, never
    with a name."""
    if actor.is_admin:
        return COMPANY_SCOPE
    if actor.has_reports:
        return REPORTS_SCOPE
    return SELF_SCOPE
