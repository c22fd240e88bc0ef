"""The numbers of the simulation's behaviour model (see `oppmarket.simulate`): the
shape of the postings that open each week, how people look and apply, and how
owners and line managers answer. Change them here to try another marketplace."""

# Postings opening each week, for every 100 people.
POSTINGS_PER_100_PEOPLE = 3
KINDS = ("gig", "mentorship", "shadowing", "volunteering")
KIND_WEIGHTS = (6, 2, 1, 1)
TITLES = {"gig": "Help with", "mentorship": "Mentorship in", "shadowing": "Shadow our", "volunteering": "Volunteer:"}
REQUIRED_SKILLS = (1, 3)  # how many, at least and at most
REQUIRED_LEVELS = (2, 3, 3, 4)
GROWS_SKILLS = (1, 2)
HOURS = (2, 3, 4, 4, 6, 8)
SEATS = (1, 2, 3)
SEAT_WEIGHTS = (5, 3, 2)
WEEKS_RUNNING = (2, 6)  # from the week after the offers, at least and at most

# People: the chance that someone looks in a given week, how many recommendations
# they read, and the most they apply to in a week (each with a chance of its score
# in percent, when its hours fit the time they have left).
LOOK_CHANCE = 0.10
SHOWN = 5
MOST_APPLICATIONS = 2

# Owners rate a completed engagement one of these; this share of line managers
# leaves every release to be granted automatically.
RATINGS = (3, 4, 4, 5, 5)
SLOW_MANAGER_SHARE = 0.2
