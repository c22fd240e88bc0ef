"""The two parts of a line manager's team view, as tabs over the top of each: the
reports (`1`) and the release queue (`2`). Each part is a screen of its own; a tab
opens the other one."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Tab, Tabs

REPORTS, RELEASES = "reports", "releases"
_PREFIX = "team-part-"

# Off the footer: the tabs over the screen name them and their keys.
TEAM_PART_BINDINGS = [
    Binding("1", "app.go('team', 'reports')", "Reports", id="team.reports", show=False,
            tooltip="Your reports: caps, commitments, engagements, skills; the team's hours"),
    Binding("2", "app.go('team', 'releases')", "Release queue", id="team.releases", show=False,
            tooltip="Offers to your reports waiting for your release"),
]


class TeamTabs(Tabs):
    """'Reports' and 'Release queue', the part on screen active; choosing the other
    opens it."""

    def __init__(self, part: str) -> None:
        super().__init__(Tab("1 Reports", id=f"{_PREFIX}{REPORTS}"),
                         Tab("2 Release queue", id=f"{_PREFIX}{RELEASES}"), active=f"{_PREFIX}{part}", id="team-tabs")
        self.part = part

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        chosen = (event.tab.id or "").removeprefix(_PREFIX)
        if event.tabs is self and chosen != self.part:
            event.stop()
            self.app.action_go("team", chosen)
