"""The imports screen: a file with a bad row shows the problem with its line and y
is refused; once fixed, y asks, a progress bar follows the write, and the rows are
there."""

from __future__ import annotations

from textual.widgets import DataTable, Input, ProgressBar, Select

from oppmarket.db import models as M
from oppmarket.screens.admin_imports import ImportsAdminScreen, _complete
from oppmarket.widgets.confirm import ConfirmDialog

from support import SMALL, build_org, notifications, open_app, opened, press, screen_text, started, table_rows

HEADER = "username,display_name,email,title,department,manager,weekly_hours,cap_pct,is_admin\n"
BAD = HEADER + "kim,Kim Kato,kim@example.com,Analyst,Data,ivy,,,\nlou,Lou Lam,,,,ghost,,,\n"
FIXED = HEADER + "kim,Kim Kato,kim@example.com,Analyst,Data,,,,\nlou,Lou Lam,,,,kim,,,\n"


async def open_imports(pilot, path) -> ImportsAdminScreen:
    screen = await opened(pilot, lambda: pilot.app.push_screen(ImportsAdminScreen()), ImportsAdminScreen)
    assert screen.focused is screen.query_one("#import-path", Input)
    screen.query_one("#import-path", Input).value = str(path)
    await press(pilot, "enter")
    return screen


async def test_a_bad_row_is_shown_by_line_and_refused_then_fixed_and_imported(db, tmp_path):
    build_org(db, opportunities=0)
    path = tmp_path / "people.csv"
    path.write_text(BAD)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        screen = await open_imports(pilot, path)
        text = screen_text(app)
        assert "2 rows read as people: 2 new · 0 changed · 0 unchanged" in text
        assert "2 problems — nothing is imported until the file is fixed:" in text
        assert "line 2: manager: nobody is called 'ivy'" in text
        assert "line 3: manager: nobody is called 'ghost'" in text
        assert screen.query_one("#import-rows", DataTable).row_count == 2
        before = table_rows(db)
        await press(pilot, "y")
        assert not isinstance(app.screen, ConfirmDialog)
        assert any("2 problem(s)" in n and "Nothing was imported" in n for n in notifications(app))
        assert table_rows(db) == before

        path.write_text(FIXED)
        await press(pilot, "f5")
        assert "No problems: y imports the file." in screen_text(app)
        await press(pilot, "y")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Import 2 people from" in screen_text(app)
        seen = []
        bar = screen.query_one("#import-progress", ProgressBar)
        original = screen._progress

        def watch(stage, done, total):
            original(stage, done, total)
            seen.append((stage, bar.progress, bar.total))

        screen._progress = watch
        await press(pilot, "y")
        assert app.screen is screen
        assert ("people", 0, 2) in seen and ("managers", 2, 2) in seen
        assert bar.percentage == 1
        text = screen_text(app)
        assert "imported 2 people" in text
        assert "0 new · 0 changed · 2 unchanged" in text
    with db.connection_context():
        lou = M.Employee.get(M.Employee.username == "lou")
        assert lou.manager.username == "kim"
        assert M.Employee.get(M.Employee.username == "kim").department.name == "Data"


async def test_only_csv_files_and_a_missing_one_is_one_line(db, tmp_path):
    build_org(db, opportunities=0)
    app = open_app(db, "admin")
    async with started(app, size=SMALL) as pilot:
        await open_imports(pilot, tmp_path / "notes.txt")
        assert "Pick a .csv file." in notifications(app)
        screen = app.screen
        screen.query_one("#import-path", Input).value = str(tmp_path / "missing.csv")
        screen.query_one("#import-path", Input).focus()
        await press(pilot, "enter")
        assert any("cannot read" in n and "missing.csv" in n for n in notifications(app))
        assert screen.preview is None


async def test_choosing_another_kind_reads_the_file_as_that(db, tmp_path):
    build_org(db, opportunities=0)
    path = tmp_path / "skills.csv"
    path.write_text("name,category,aliases,description\nGo,Languages,golang,\n")
    app = open_app(db, "admin")
    async with started(app) as pilot:
        screen = await open_imports(pilot, path)
        assert "line 1: missing column(s) username, display_name" in screen_text(app)
        screen.query_one("#import-kind", Select).value = "skills"
        await press(pilot)
        assert "1 row read as skills: 1 new · 0 changed · 0 unchanged" in screen_text(app)


def test_completion_offers_folders_and_csv_files(tmp_path):
    (tmp_path / "people.csv").write_text("x")
    (tmp_path / "pictures").mkdir()
    (tmp_path / "peek.txt").write_text("x")
    assert _complete(f"{tmp_path}/peo") == f"{tmp_path}/people.csv"
    assert _complete(f"{tmp_path}/pi") == f"{tmp_path}/pictures/"
    assert _complete(f"{tmp_path}/pee") is None
