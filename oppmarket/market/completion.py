"""Completion: the owner rates an engagement and endorses the skills used; the
participant and their manager say how it affected core work."""

from __future__ import annotations

from oppmarket import domain as d
from oppmarket import lifecycle, notices, policy
from oppmarket.db import models as M
from oppmarket.errors import PermissionDenied, ValidationError
from oppmarket.market import validate
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import MAX_TEXT, int_field
from oppmarket.text import clean, clean_line


class CompletionMixin(MarketCore):
    """The end of an engagement and what it taught the company."""

    @api
    def complete(self, application_id: int, rating: int | str, feedback: str = "",
                 endorsements: dict[str, int] | None = None) -> d.Application:
        """Owner: complete an active engagement with a rating (1-5), feedback and
        endorsements of the skills used; then ask the participant and their manager
        how it affected core work."""
        errors: dict[str, str] = {}
        score = int_field(errors, "rating", rating, 1, 5, "rating")
        feedback = clean(feedback or "").strip()
        if len(feedback) > MAX_TEXT:
            errors["feedback"] = f"feedback must be at most {MAX_TEXT} characters"
        endorsed = []
        for name, level in (endorsements or {}).items():
            row = validate.skill_row(name)
            if row is None:
                errors["endorsements"] = f"no skill called {clean_line(name)!r}"
                continue
            lvl = int_field(errors, "endorsements", level, 1, 5, f"level of {row.name}")
            endorsed.append((row, lvl))
        if errors:
            raise ValidationError(errors)

        def then(app, opp, applicant, owner, me):
            self._check_endorsements(opp, applicant, endorsed)
            now = self.clock()
            self._set_status(app, lifecycle.target("complete"), rating=score, feedback=feedback, completed_at=now)
            for skill, level in endorsed:
                self._endorse(app, applicant, skill, level, now)
            M.CoreWorkAnswer.create(application=app, respondent=applicant, role="participant", asked_at=now)
            self._notify(applicant, notices.completed(opp.title, score, app.id))
            if applicant.manager_id:
                M.CoreWorkAnswer.create(application=app, respondent=applicant.manager_id, role="manager", asked_at=now)
                self._notify(applicant.manager_id, notices.completed_to_manager(applicant.display_name, opp.title, app.id))
            self._audit(me, "complete", "application", app.id, rating=score,
                        endorsed={s.name: lvl for s, lvl in endorsed})

        self._act_on_application(application_id, "complete", then)
        return self.application(application_id)

    @staticmethod
    def _check_endorsements(opp: M.Opportunity, applicant: M.Employee, endorsed: list) -> None:
        """Refuse endorsements beyond what this engagement can show (`policy.may_endorse`):
        read under the application's lock, before anything is written, so a refusal
        leaves everything as it was."""
        if not endorsed:
            return
        skill_ids = [skill.id for skill, _ in endorsed]
        asked: dict[int, int] = {}
        # A skill both required and grown counts at the higher of its two levels.
        for skill_id, level in (M.OpportunitySkill.select(M.OpportunitySkill.skill, M.OpportunitySkill.level)
                                .where(M.OpportunitySkill.opportunity == opp.id,
                                       M.OpportunitySkill.skill.in_(skill_ids)).tuples()):
            asked[skill_id] = max(level, asked.get(skill_id, 0))
        claimed = dict(M.EmployeeSkill.select(M.EmployeeSkill.skill, M.EmployeeSkill.level)
                       .where(M.EmployeeSkill.employee == applicant.id,
                              M.EmployeeSkill.skill.in_(skill_ids)).tuples())
        refusals = [why for skill, level in endorsed
                    if (why := policy.may_endorse(skill.name, level, asked.get(skill.id),
                                                  claimed.get(skill.id))) is not None]
        if refusals:
            raise ValidationError({"endorsements": "; ".join(refusals)})

    @staticmethod
    def _endorse(app: M.Application, applicant: M.Employee, skill: M.Skill, level: int, now) -> None:
        """Record an endorsement and raise the person's claim: its level never drops,
        its evidence grows and it is dated afresh."""
        M.Endorsement.create(application=app, skill=skill, level=level, at=now)
        claim = M.EmployeeSkill.get_or_none(employee=applicant.id, skill=skill.id)
        if claim is None:
            M.EmployeeSkill.create(employee=applicant, skill=skill, level=level, source="endorsed",
                                   evidence_count=1, confirmed_at=now)
        else:
            M.EmployeeSkill.update(
                level=max(claim.level, level),
                source="certified" if claim.source == "certified" else "endorsed",
                evidence_count=claim.evidence_count + 1,
                confirmed_at=now,
            ).where(M.EmployeeSkill.id == claim.id).execute()

    @api
    def core_work_questions(self, *, unanswered_only: bool = True) -> list[d.CoreWorkQuestion]:
        me = self._me()
        Participant = M.Employee.alias()
        query = (
            M.CoreWorkAnswer.select(M.CoreWorkAnswer, M.Opportunity.title, Participant.username.alias("participant"))
            .join(M.Application).join(M.Opportunity)
            .join_from(M.Application, Participant, on=(M.Application.applicant == Participant.id))
            .where(M.CoreWorkAnswer.respondent == me.id)
            .order_by(M.CoreWorkAnswer.id)
        )
        if unanswered_only:
            query = query.where(M.CoreWorkAnswer.answer.is_null())
        return [
            d.CoreWorkQuestion(q.id, q.application_id, q.title, q.participant, q.role, q.answer, q.comment)
            for q in query.objects()
        ]

    @api
    def answer_core_work(self, question_id: int, answer: str, comment: str = "") -> d.CoreWorkQuestion:
        me = self._me()
        if answer not in d.CORE_WORK_ANSWERS:
            raise ValidationError({"answer": "answer must be better, same or worse"})
        comment = clean(comment or "").strip()
        if len(comment) > MAX_TEXT:
            raise ValidationError({"comment": f"comment must be at most {MAX_TEXT} characters"})

        def body():
            q = self._lock(M.CoreWorkAnswer, question_id, "question")
            if q.respondent_id != me.id:
                raise PermissionDenied("only the person this question was asked of may answer it")
            M.CoreWorkAnswer.update(answer=answer, comment=comment, answered_at=self.clock()).where(
                M.CoreWorkAnswer.id == q.id).execute()
            self._audit(me, "answer_core_work", "application", q.application_id, answer=answer)

        self._tx(body)
        return next(q for q in self.core_work_questions(unanswered_only=False) if q.id == question_id)
