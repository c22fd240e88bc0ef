"""`oppmarket simulate`: does the newcomer lift spread engagements? Runs the
marketplace on a generated organisation with the lift and without, and prints the
figures of both. It needs no database of the user's and writes nothing of theirs:
each run makes and removes a throwaway database of its own (`oppmarket.simulate`)."""

from __future__ import annotations


from oppmarket import simulate
from oppmarket.cli_output import print_json, print_rows, progress, say, whole_number

DEFAULT_PEOPLE = 1000
DEFAULT_WEEKS = 26
DEFAULT_SEED = 7


def add_simulate_parser(sub) -> None:
    p = sub.add_parser("simulate", help="does the newcomer lift spread engagements? simulate it both ways",
                       description="Run the marketplace's own matching, recommendations and review ranking "
                                   "on a generated organisation for some weeks, once with the newcomer lift "
                                   "and once without, in throwaway databases, and compare how evenly "
                                   "engagements spread.")
    p.add_argument("--people", type=whole_number(simulate.MIN_PEOPLE, simulate.MAX_PEOPLE),
                   default=DEFAULT_PEOPLE, metavar="N", help=f"people in the organisation (default {DEFAULT_PEOPLE})")
    p.add_argument("--weeks", type=whole_number(1, simulate.MAX_WEEKS), default=DEFAULT_WEEKS, metavar="W",
                   help=f"simulated weeks (default {DEFAULT_WEEKS})")
    p.add_argument("--seed", type=whole_number(0, simulate.MAX_SEED), default=DEFAULT_SEED, metavar="S",
                   help=f"random seed: the same seed gives the same figures (default {DEFAULT_SEED})")
    p.add_argument("--json", action="store_true", help="print JSON")


def _percent(share: float) -> str:
    return f"{100 * share:.1f}%"


def cmd_simulate(args) -> int:
    bar, update = progress()
    with bar:
        result = simulate.compare(args.people, args.weeks, args.seed, progress=update)
    if args.json:
        print_json(result.as_dict())
        return 0
    on, off = result.with_lift, result.without_lift
    w = result.weights
    weeks = f"{on.weeks} week{'' if on.weeks == 1 else 's'}"
    say(f"{on.people} people, {weeks}, seed {result.seed}")
    say(f"newcomer lift: up to {w.newcomer} points, gone after {w.newcomer_until} completed engagements")
    print_rows(("", "with lift", "without lift"), [
        ("Gini of engagements per person", f"{on.gini:.3f}", f"{off.gini:.3f}"),
        ("mean match score of engagements", f"{on.mean_score:.1f}", f"{off.mean_score:.1f}"),
        ("mean match score, lift left out", f"{on.mean_fit:.1f}", f"{off.mean_fit:.1f}"),
        ("people with an engagement", _percent(on.engaged_share), _percent(off.engaged_share)),
        ("engagements going to first-timers", _percent(on.first_timer_share), _percent(off.first_timer_share)),
        ("engagements", on.engagements, off.engagements),
    ])
    if on.gini < off.gini:
        say(f"The lift lowered the Gini by {off.gini - on.gini:.3f}: engagements spread more evenly with it.")
    else:
        say("The lift did not lower the Gini: engagements spread no more evenly with it.")
    return 0
