"""What people write: application notes, decline, release and cancel reasons,
completion feedback by rating, and comments on the core-work question."""

NOTES = (
    "I'd love to grow my {grow} skills and have a few hours free each week.",
    "I did something similar in my previous team and would enjoy helping.",
    "Happy to pair with whoever else joins.",
    "",
    "This lines up with my development plan for the year.",
    "My manager suggested this would be a good stretch for me.",
    "",
    "I have been reading about {grow} and want to try it on something real.",
)
DECLINE_REASONS = (
    "We went with someone whose hours overlap more with the team's.",
    "The seats went to people with more hands-on experience this time; please apply for the next round.",
    "",
    "The project was rescoped to fewer seats.",
    "",
    "We need someone who can start sooner.",
)
RELEASE_REASONS = (
    "We are in the middle of the quarterly release; let's revisit next quarter.",
    "The team is two people short until the new hires start.",
    "The on-call rotation is too thin this month.",
    "Month-end close needs the whole team's focus.",
    "We have a customer launch in three weeks; please ask again after it ships.",
)
OFFER_DECLINE_REASONS = (
    "My own project's deadline moved forward; I can't take this on now.",
    "I found a mentorship that fits my learning goals better.",
    "",
    "The hours clash with my on-call weeks.",
)
CANCEL_REASONS = (
    "The project was deprioritised this quarter.",
    "Budget for this was moved to next year.",
    "The team that needed it was reorganised.",
    "",
)
FEEDBACK = {
    5: ("Outstanding: shipped ahead of plan and taught the team along the way.",
        "Brilliant to work with; what they built is already in daily use.",
        "Exactly the help we needed, and a pleasure to have around."),
    4: ("Solid work and good communication throughout.",
        "Delivered what we agreed; next time I'd involve them earlier.",
        "Picked things up quickly and asked good questions."),
    3: ("Got the core done; the write-up came late.",
        "Good effort; the scope turned out bigger than either of us expected."),
    2: ("We struggled to find common time; only part of the work landed.",),
    1: ("This did not work out; we agreed to stop early.",),
}
CORE_WORK_COMMENTS = {
    "better": ("Came back with ideas I used in my own team's work.", "", "Noticeably more confident in reviews since."),
    "same": ("", "No real change either way."),
    "worse": ("The extra hours squeezed my sprint work.", "Hard to fit in during a busy quarter."),
}
