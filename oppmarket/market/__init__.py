"""`Market`: every read and write the UI and CLI need.

Each write validates its input (ValidationError names the field), checks `policy`
(PermissionDenied says why), moves a status only as `lifecycle` allows, runs in one
transaction with its audit event and notifications, and leaves nothing behind when
any step fails. Reads and writes return the plain records of `oppmarket.domain`,
never model instances.

`Market` is assembled from mixins, one per aggregate (profiles, postings,
applications, offers, review, releases, team, completion, inbox, discovery, invitations, admin,
imports, import previews, insights, outcomes, succession, searches, people_admin, deactivation, settings,
audit_log, departments, taxonomy), each standing on `core.MarketCore`
(actor and how they were identified, clock, transaction, locks, audit, notifications)
with the shared `records` converters and `validate` checks.
Mixins rather than a facade of sub-objects because callers keep calling
`market.apply(...)` on one object holding one database, actor and clock, and an
aggregate reaches another's public methods (`self.opportunity`, `self.profile`)
without forwarding code; an aggregate never touches another's private names or
imports its module (tests/test_layers.py checks).
"""

from __future__ import annotations

from oppmarket.policy import DEFAULT_OFFER_ANSWER_DAYS, DEFAULT_RELEASE_AUTO_DAYS

from oppmarket.market.admin import AdminMixin
from oppmarket.market.applications import ApplicationsMixin
from oppmarket.market.audit_log import AuditLogMixin
from oppmarket.market.completion import CompletionMixin
from oppmarket.market.core import utcnow
from oppmarket.market.deactivation import DeactivationMixin
from oppmarket.market.departments import DepartmentsMixin
from oppmarket.market.discovery import DiscoveryMixin
from oppmarket.market.import_preview import ImportPreviewMixin
from oppmarket.market.imports import ImportsMixin
from oppmarket.market.inbox import InboxMixin
from oppmarket.market.insights import InsightsMixin
from oppmarket.market.invitations import InvitationsMixin
from oppmarket.market.offers import OffersMixin
from oppmarket.market.outcomes import OutcomesMixin
from oppmarket.market.people_admin import PeopleAdminMixin
from oppmarket.market.postings import PostingsMixin
from oppmarket.market.profiles import ProfilesMixin
from oppmarket.market.releases import ReleasesMixin
from oppmarket.market.review import ReviewMixin
from oppmarket.market.searches import SearchesMixin
from oppmarket.market.settings import SettingsMixin
from oppmarket.market.succession import SuccessionMixin
from oppmarket.market.taxonomy import TaxonomyMixin
from oppmarket.market.team import TeamMixin
from oppmarket.market.validate import MAX_SEATS, MAX_TEXT, MAX_TITLE, MAX_WEEKLY_HOURS

__all__ = ["Market", "utcnow", "DEFAULT_RELEASE_AUTO_DAYS", "DEFAULT_OFFER_ANSWER_DAYS", "MAX_TITLE", "MAX_TEXT", "MAX_WEEKLY_HOURS", "MAX_SEATS"]


class Market(ProfilesMixin, PostingsMixin, ApplicationsMixin, OffersMixin, ReviewMixin, ReleasesMixin, TeamMixin,
             CompletionMixin, InboxMixin, DiscoveryMixin, InvitationsMixin, AdminMixin, ImportsMixin, InsightsMixin,
             OutcomesMixin, SuccessionMixin, SearchesMixin, ImportPreviewMixin, PeopleAdminMixin, DeactivationMixin,
             SettingsMixin, AuditLogMixin, DepartmentsMixin, TaxonomyMixin):
    """The marketplace as seen by one actor (a username, or None for the system),
    identified as `identified_by` says: "os-login" (the default), "as" or "ssh", as
    `identity.Identity.how` reports; every audit row records it."""
