"""Plausible English news copy from a fixed vocabulary: a village society's year.

Sentences are built from subject, verb, object and adjunct tables whose
verbs are paired with the objects they suit (one repairs a bench and holds
a fair, not the reverse), so the copy reads as a newsletter does and
hyphenates and breaks like real text.
"""

from __future__ import annotations

from .prose import Masthead, Photo, Prose

SUBJECTS = (
    "the volunteers", "our treasurer", "the parish council", "the choir", "a group of pupils",
    "the garden club", "the trustees", "local families", "the committee", "the youth group",
    "our new secretary", "the Friday walkers", "the bakers", "members of the society",
    "the library team", "two retired engineers", "the bell ringers", "neighbours from Mill Lane",
    "the history group", "the Scouts",
)  # fmt: skip
# (past, base) for places and for events
PLACE_VERBS = (
    ("repaired", "repair"), ("repainted", "repaint"),
    ("cleared", "clear"), ("restored", "restore"),
    ("surveyed", "survey"), ("reopened", "reopen"),
    ("cleaned", "clean"), ("mapped", "map"),
    ("photographed", "photograph"), ("decorated", "decorate"),
)  # fmt: skip
EVENT_VERBS = (
    ("organised", "organise"), ("hosted", "host"),
    ("planned", "plan"), ("funded", "fund"),
    ("opened", "open"), ("celebrated", "celebrate"),
    ("booked", "book"), ("advertised", "advertise"),
)  # fmt: skip
PLACES = (
    "the village hall", "the footpath along the river", "the station garden",
    "the church clock", "the map room of the museum", "the bandstand",
    "the allotments by the mill", "the bus shelter on Station Road", "the reading room",
    "the orchard behind the school", "the harbour wall", "the old cricket pavilion",
    "the pond and its benches", "the war memorial", "the lych gate",
    "the playground on the green", "the tithe barn", "the towpath", "the west dome",
    "the hedges along Beacon Lane",
)  # fmt: skip
EVENTS = (
    "the summer fair", "the winter lecture series", "the quiz night", "the Christmas market",
    "a walk to the old quarry", "the plant sale", "a concert for the hospice",
    "the open evening", "the annual general meeting", "a coffee morning", "the harvest supper",
    "a talk on the history of the mill", "the litter pick", "the dog show", "a barn dance",
    "a star party on the hill",
)  # fmt: skip
PAST = (
    "last Saturday", "in the spring", "after months of work", "with help from the council",
    "over three weekends", "despite the rain", "in record time",
    "for the first time since 1987", "on a cold morning in March", "before the end of the month",
    "with a little help from the Scouts", "in the space of a fortnight", "on Easter Monday",
    "under the eye of the churchwarden", "in the last week of the holidays",
)  # fmt: skip
FUTURE = (
    "next month", "in the new year", "before Easter", "this autumn", "in the summer holidays",
    "once the evenings draw out", "as soon as the money is in", "on the first Friday of June",
)  # fmt: skip
REASONS = (
    "because the old one had rusted through", "so that visitors can find their way after dark",
    "which means more people can take part", "although the weather did its best to stop them",
    "and nobody was late", "so that the work can start before winter",
    "after a long wait for the grant", "which had not been done for twenty years",
    "and the café stayed open throughout", "while the children painted the signs",
)  # fmt: skip
QUOTES = (
    "It was hard work, but worth every minute",
    "We could not have done it without the volunteers",
    "I have never seen so many people here",
    "Next year we hope to do even better",
    "Everyone is welcome, whatever their age",
    "It is the small things that make a village",
    "We started with a folding table and a tin of biscuits",
    "The children asked if we could do it again next week",
    "Nobody expected the weather to hold, but it did",
    "There is still plenty to do, and we need more hands",
)  # fmt: skip
FIRST = (
    "Amara", "Kwame", "Rosie", "Helen", "Peg", "Chloe", "Sheila", "Tomasz", "Ines", "Ravi",
    "Gareth", "Priya", "Oluwaseun", "Margaret", "Declan", "Yusuf", "Harriet", "Mei",
)  # fmt: skip
LAST = (
    "Osei", "Asante", "Maddox", "Marchbank", "Dunmore", "Barnard", "Pryce", "Nowak", "Silva",
    "Hughes", "Chaudhry", "O'Brien", "Fairbairn", "Okafor", "Lindqvist", "Thornton",
)  # fmt: skip
ROLES = (
    "", "", ", our chair", ", who leads the walks", ", the treasurer", ", aged 11",
    ", the churchwarden", ", one of the founders",
)  # fmt: skip
NOUNS = ("visitors", "volunteers", "children", "members", "families", "walkers", "neighbours")
TITLE_SUBJECTS = (
    "Volunteers", "Pupils", "Walkers", "Bell ringers", "Neighbours", "Scouts", "Trustees",
    "Bakers", "Gardeners",
)  # fmt: skip
PULLQUOTES = (
    "People come for the event, but a good many of them come back for the company.",
    "A village is only as good as the people who turn up on a wet Saturday.",
    "We counted the money twice, and then a third time, because nobody believed it.",
    "There was not a dry eye in the hall when the clock struck again.",
    "The best ideas in this village have all started over a cup of tea.",
)  # fmt: skip
BOX_TITLES = (
    "Dates for your diary", "Notices", "Lost and found", "Can you help?", "From the postbag",
    "Wanted", "Thank you", "Opening times", "Parking during the works", "New members",
)  # fmt: skip
MASTHEADS = (
    Masthead("The Ashcombe Lantern", "News from the Ashcombe Village Society",
             "The Old School\nChurch Street\nAshcombe AC4 7LH", "ashcombe.example",
             "01632 960 735"),
    Masthead("Harbour Lights", "The newsletter of the Porthallow Harbour Trust",
             "The Net Loft\nQuay Road\nPorthallow PL9 2QT", "harbourlights.example",
             "01632 960 118"),
    Masthead("The Millbrook Courier", "What is on in Millbrook and Westfield",
             "Millbrook Community Centre\n14 Mill Lane\nMillbrook MB2 5RD", "millbrook.example",
             "01632 960 502"),
)  # fmt: skip
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
PHOTO_WORDS = {
    "hubble_deep_field.jpg": (
        "The deep-sky picture shown at the winter lecture.",
        "A black sky scattered with hundreds of small galaxies, white, orange and blue.",
    ),
    "coffee.png": (
        "A flat white at the volunteers' coffee morning.",
        "A cup of coffee with a leaf drawn in the milk, on a wooden table.",
    ),
    "chelsea.png": (
        "The society's cat, who attends every committee meeting.",
        "A tabby cat looking up at the camera.",
    ),
    "rocket.jpg": (
        "A rocket launch, the subject of the spring talk.",
        "A rocket rising on a column of fire and smoke at night.",
    ),
}


class English(Prose):
    lang = "en"
    mastheads = MASTHEADS

    def number(self, value: int) -> str:
        return f"{value:,}"

    def clause(self) -> str:
        if self.rng.random() < 0.5:
            verb, thing = self.pick(PLACE_VERBS), self.pick(PLACES)
        else:
            verb, thing = self.pick(EVENT_VERBS), self.pick(EVENTS)
        return f"{self.pick(SUBJECTS)} {verb[0]} {thing}"

    def sentence(self) -> str:
        shape = self.rng.randrange(7)
        if shape == 0:
            text = f"{self.pick(PAST)}, {self.clause()}"
        elif shape == 1:
            text = f"{self.clause()}, and {self.clause()} {self.pick(PAST)}"
        elif shape == 2:
            verb = self.pick(EVENT_VERBS)[1]
            text = f"{self.pick(SUBJECTS)} will {verb} {self.pick(EVENTS)} {self.pick(FUTURE)}"
        elif shape == 3:
            count = self.number(self.rng.choice((12, 18, 24, 40, 65, 120, 300, 1148)))
            text = f"{count} {self.pick(NOUNS)} came to {self.pick(EVENTS)} {self.pick(PAST)}"
        elif shape == 4:
            text = f"{self.clause()} {self.pick(PAST)}, {self.pick(REASONS)}"
        elif shape == 5:
            pounds = self.number(self.rng.randrange(2, 400) * 50)
            text = f"{self.clause()}, and raised £{pounds} for the society"
        else:
            text = f"{self.clause()} {self.pick(PAST)}"
        return text[0].upper() + text[1:] + "."

    def said(self) -> str:
        return f'"{self.pick(QUOTES)}," said {self.person()}{self.pick(ROLES)}.'

    def title(self) -> str:
        shape = self.rng.randrange(4)
        if shape == 0:
            verb, thing = self.pick(PLACE_VERBS), self.pick(PLACES)
            text = f"{self.pick(TITLE_SUBJECTS)} {verb[1]} {thing}"
        elif shape == 1:
            text = f"{self.pick(EVENTS)} {self.pick(FUTURE)}"
        elif shape == 2:
            text = f"{self.rng.randrange(2, 41)} years of {self.pick(EVENTS)}"
        else:
            text = f"a new start for {self.pick(PLACES)}"
        return text[0].upper() + text[1:]

    def person(self) -> str:
        return f"{self.pick(FIRST)} {self.pick(LAST)}"

    def pullquote(self) -> str:
        return self.pick(PULLQUOTES)

    def link_sentence(self, url: str) -> str:
        return f"You can [read more and book online]({url}) or ring the office."

    def diary_item(self, day) -> str:
        return f"{self.pick(EVENTS)}, {self.pick(PLACES)}, {self.rng.randrange(9, 21)}.00"

    def day(self, date) -> str:
        return f"{date.day} {MONTHS[date.month - 1]}"

    def box_title(self) -> str:
        return self.pick(BOX_TITLES)

    def about(self) -> tuple[str, str]:
        body = (
            "The society was formed in 1987 to look after the village's buildings, paths "
            "and green spaces. Our aims are:\n\n"
            "- to keep the hall, the green and the footpaths in good order;\n"
            "- to bring neighbours together, whatever their age;\n"
            "- to record the village's history for those who come after us.\n\n"
            "Membership costs £12 a year (£20 a household) and brings this newsletter "
            "every month."
        )
        return "About the society", body

    def photo_words(self, photo: Photo) -> tuple[str, str, str]:
        caption, alt = PHOTO_WORDS[photo.file]
        return caption, alt, f"Photo: {photo.credit}"
