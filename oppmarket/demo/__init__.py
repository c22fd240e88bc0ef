"""The demo organisation, and scale data for benchmarks.

`generate` builds it in memory and `load_demo` writes it into an empty database;
both live in `generator`, which assembles the stages below.

Data tables (edit these to change what the demo says):
  catalogue     skills by category, their aliases, and the qualifiers scale data grows them with
  organisation  offices, departments with their teams and roles, people's names, key roles
  postings      gigs, mentorship, volunteering and shadowing themes, learning paths, persona postings
  remarks       what people write: notes, reasons, feedback, core-work comments
  plans         the shapes of those tables' entries and the helpers that keep them short

The generator, one stage a module, each drawing from one seeded random source in turn:
  builder       shared state and random draws
  people        departments, hiring, personas
  skills        the taxonomy, profiles and key roles
  opportunities postings of every kind and status
  applications  applications within the seat and time-cap rules of `oppmarket.policy`
  outcomes      learning steps, endorsements, the core-work question
  inbox         the notifications the history would have sent
"""

from oppmarket.demo.builder import DEFAULT_EMPLOYEES, DEFAULT_OPPORTUNITIES, MAX_SKILLS
from oppmarket.demo.generator import (
    MIN_EMPLOYEES, MIN_OPPORTUNITIES, DemoOrganisation, DemoSummary, Progress, generate, load_demo,
)

__all__ = [
    "DEFAULT_EMPLOYEES", "DEFAULT_OPPORTUNITIES", "MAX_SKILLS", "MIN_EMPLOYEES", "MIN_OPPORTUNITIES",
    "DemoOrganisation", "DemoSummary", "Progress", "generate", "load_demo",
]
