"""What engagements leave behind: learning steps and progress through them,
endorsements that raise skill evidence, and the core-work question."""

from __future__ import annotations

import datetime as dt

from oppmarket import domain as d
from oppmarket.demo.builder import STARTED_STATUSES, Builder, Person
from oppmarket.demo.plans import CERTIFIED, ENDORSED, LEARNING
from oppmarket.demo.remarks import CORE_WORK_COMMENTS
from oppmarket.lifecycle import AppStatus


class Outcomes(Builder):
    """Steps, progress, endorsements and core-work answers."""

    def build_steps(self) -> None:
        self.steps = []
        for opp in self.opps:
            opp["_step_ids"] = []
            for position, title in enumerate(opp["_steps"], start=1):
                step = len(self.steps) + 1
                self.steps.append({"id": step, "opportunity": opp["id"], "position": position, "title": title})
                opp["_step_ids"].append(step)

    def build_outcomes(self) -> None:
        """What completed engagements left behind: endorsements that raise the
        participant's skill evidence, the core-work question for participant and
        manager, and progress through learning steps."""
        rng = self.rng
        self.endorsements = []
        self.core_work = []
        self.progress_rows = []
        for app in self.apps:
            opp = app["_opp"]
            status = app["status"]
            if opp["_step_ids"] and status in STARTED_STATUSES:
                self._step_progress(app, opp)
            if status != AppStatus.COMPLETED:
                continue
            person = self.person(app["applicant"])
            at = app["completed_at"]
            certified = opp["kind"] == LEARNING
            endorsed: list[tuple[int, int]] = []
            if opp["_grows"]:
                endorsed.append((opp["_grows"][0], rng.randint(2, 3)))
            if opp["_required"] and rng.random() < 0.5:
                skill, level = opp["_required"][0]
                current = self.claims.get((person.id, skill), {}).get("level", level)
                endorsed.append((skill, max(level, current)))
            for skill, level in endorsed:
                self.endorsements.append({"application": app["id"], "skill": skill, "level": level, "at": at})
                self._endorse(person, skill, level, at, certified)
            respondents = [(person.id, "participant")]
            if person.manager is not None:
                respondents.append((person.manager, "manager"))
            for respondent, role in respondents:
                answered = rng.random() < 0.85
                answer = self.pick(d.CORE_WORK_ANSWERS, (45, 40, 15)) if answered else None
                self.core_work.append({
                    "application": app["id"], "respondent": respondent, "role": role, "answer": answer,
                    "comment": rng.choice(CORE_WORK_COMMENTS[answer]) if answer else "",
                    "asked_at": at,
                    "answered_at": self.between(at, min(self.now, at + 10 * dt.timedelta(days=1))) if answered else None,
                })

    def _step_progress(self, app: dict, opp: dict) -> None:
        steps = opp["_step_ids"]
        begun = app["released_at"] or app["offered_at"] or app["applied_at"]
        if app["status"] == AppStatus.COMPLETED:
            done, until = len(steps), app["completed_at"]
        else:
            done, until = self.rng.randint(1, max(1, len(steps) - 1)), self.now
        times = sorted(self.between(begun, until) for _ in range(done))
        for step, at in zip(steps, times):
            self.progress_rows.append({"application": app["id"], "step": step, "done_at": at})

    def _endorse(self, person: Person, skill: int, level: int, at: dt.datetime, certified: bool) -> None:
        claim = self.claims.get((person.id, skill))
        if claim is None:
            self.claims[(person.id, skill)] = {
                "employee": person.id, "skill": skill, "level": level,
                "source": CERTIFIED if certified else ENDORSED, "evidence_count": 1, "confirmed_at": at}
            return
        claim.update(
            level=max(claim["level"], level),
            source=CERTIFIED if certified or claim["source"] == CERTIFIED else ENDORSED,
            evidence_count=claim["evidence_count"] + 1,
            confirmed_at=max(claim["confirmed_at"], at),
        )
