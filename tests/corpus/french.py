"""Plausible French news copy from a fixed vocabulary: an astronomy club's year.

French past tenses agree with their subject (`la chorale a`, `les bénévoles
ont`), so each subject carries its number. Quotation marks are written
straight: the Markdown stage makes them guillemets with their no-break
spaces, as it does for an editor.
"""

from __future__ import annotations

from .prose import Masthead, Photo, Prose

# (subject, plural)
SUBJECTS = (
    ("les bénévoles", True), ("notre trésorière", False), ("le conseil municipal", False),
    ("la chorale", False), ("un groupe d'élèves", False), ("le club de jardinage", False),
    ("les membres du bureau", True), ("les familles du quartier", True),
    ("l'association des parents", False), ("les anciens du club", True),
    ("la bibliothécaire", False), ("deux ingénieurs retraités", True),
)  # fmt: skip
PLACE_VERBS = ("restauré", "repeint", "nettoyé", "rouvert", "aménagé", "photographié", "décoré")
EVENT_VERBS = ("organisé", "accueilli", "préparé", "financé", "annoncé", "animé")
PLACES = (
    "la salle des fêtes", "le sentier du bord de mer", "l'horloge de l'église",
    "le kiosque à musique", "les jardins partagés", "la coupole de l'observatoire",
    "le vieux lavoir", "la cour de l'école", "le chemin des falaises", "la bibliothèque",
)  # fmt: skip
EVENTS = (
    "la fête d'été", "la soirée d'observation", "le marché de Noël", "la conférence d'hiver",
    "une randonnée nocturne", "la nuit des étoiles", "l'assemblée générale",
    "un concert au profit de l'hôpital", "l'atelier des enfants", "la bourse aux livres",
)  # fmt: skip
PAST = (
    "samedi dernier", "au printemps", "après des mois de travail", "avec l'aide de la commune",
    "malgré la pluie", "pour la première fois depuis 1987", "en un temps record",
    "pendant les vacances", "un matin de mars",
)  # fmt: skip
FUTURE = ("le mois prochain", "au début de l'année", "avant Pâques", "cet automne", "en juin")
REASONS = (
    "car l'ancien était rouillé", "afin que chacun puisse y participer",
    "bien que le temps ait tout fait pour l'empêcher", "et personne n'était en retard",
    "ce qui n'avait pas été fait depuis vingt ans",
)  # fmt: skip
QUOTES = (
    "Ce fut beaucoup de travail, mais cela en valait la peine",
    "Nous n'y serions jamais arrivés sans les bénévoles",
    "Je n'avais jamais vu autant de monde ici",
    "L'an prochain, nous ferons encore mieux",
    "Une nuit froide et claire vaut tous les télescopes du monde",
)  # fmt: skip
FIRST = ("Claire", "Thomas", "Jean-Pierre", "Amélie", "Karim", "Sophie", "Luc", "Nadia", "Hélène")
LAST = ("Lemoine", "Bernard", "Marchal", "Dubois", "Benali", "Lefèvre", "Morel", "Garnier")
TITLE_OPENINGS = (
    "Retour sur", "Succès pour", "Tout savoir sur", "Les coulisses de", "Un nouvel élan pour",
)  # fmt: skip
BOX_TITLES = ("Agenda", "Petites annonces", "Appel aux bénévoles", "Horaires", "Merci !")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip
MASTHEADS = (
    Masthead("La Lunette", "Lettre du Club d'astronomie de Saint-Aubin",
             "Maison des associations\n12 rue des Tilleuls\n14750 Saint-Aubin-sur-Mer",
             "lunette-saint-aubin.example", "02 31 00 47 12"),
    Masthead("Le Petit Phare", "Nouvelles de l'association du port de Lanvéoc",
             "Ancienne criée\nQuai de la Douane\n29160 Lanvéoc", "petitphare.example",
             "02 98 00 51 30"),
)  # fmt: skip
PHOTO_WORDS = {
    "hubble_deep_field.jpg": (
        "Le champ profond de Hubble, projeté lors de la conférence d'hiver.",
        "Des centaines de galaxies sur fond noir.",
    ),
    "coffee.png": ("Le café des bénévoles.", "Une tasse de café sur une table en bois."),
    "chelsea.png": ("Le chat du club, fidèle à chaque réunion.", "Un chat tigré qui regarde."),
    "rocket.jpg": ("Le lancement d'une fusée.", "Une fusée qui s'élève dans la nuit."),
}


class French(Prose):
    lang = "fr"
    mastheads = MASTHEADS

    def number(self, value: int) -> str:
        return f"{value:,}".replace(",", "\u202f") if value >= 10_000 else str(value)

    def clause(self) -> str:
        subject, plural = self.rng.choice(SUBJECTS)
        auxiliary = "ont" if plural else "a"
        if self.rng.random() < 0.5:
            return f"{subject} {auxiliary} {self.pick(PLACE_VERBS)} {self.pick(PLACES)}"
        return f"{subject} {auxiliary} {self.pick(EVENT_VERBS)} {self.pick(EVENTS)}"

    def sentence(self) -> str:
        shape = self.rng.randrange(5)
        if shape == 0:
            text = f"{self.pick(PAST)}, {self.clause()}"
        elif shape == 1:
            text = f"{self.clause()} {self.pick(PAST)}, {self.pick(REASONS)}"
        elif shape == 2:
            count = self.rng.choice((12, 24, 40, 65, 120, 300))
            text = f"{count} personnes sont venues à {self.pick(EVENTS)} {self.pick(PAST)}"
        elif shape == 3:
            text = f"{self.clause()}, et {self.clause()} {self.pick(PAST)}"
        else:
            text = f"{self.clause()} {self.pick(PAST)}"
        text = text.replace("à le ", "au ").replace("à les ", "aux ")
        return text[0].upper() + text[1:] + "."

    def said(self) -> str:
        return f'"{self.pick(QUOTES)}", explique {self.person()}.'

    def title(self) -> str:
        if self.rng.random() < 0.5:
            text = f"{self.pick(TITLE_OPENINGS)} {self.pick(EVENTS)}"
        else:
            text = f"{self.pick(PLACES)} {self.pick(('à l’honneur', 'en fête', 'fait peau neuve'))}"
        text = text.replace("de le ", "du ")
        return text[0].upper() + text[1:]

    def person(self) -> str:
        return f"{self.pick(FIRST)} {self.pick(LAST)}"

    def pullquote(self) -> str:
        return self.pick(QUOTES) + "."

    def link_sentence(self, url: str) -> str:
        return f"Pour en savoir plus, [consultez notre site]({url})."

    def diary_item(self, day) -> str:
        return f"{self.pick(EVENTS)}, {self.pick(PLACES)}, {self.rng.randrange(9, 21)} h"

    def day(self, date) -> str:
        return f"{date.day} {MONTHS[date.month - 1]}"

    def box_title(self) -> str:
        return self.pick(BOX_TITLES)

    def about(self) -> tuple[str, str]:
        body = (
            "L'association réunit depuis 1987 des amateurs de tous âges. Nous proposons :\n\n"
            "- des soirées ouvertes à tous, chaque premier vendredi du mois ;\n"
            "- un atelier pour les enfants de 8 à 14 ans ;\n"
            "- le prêt de matériel à nos adhérents.\n\n"
            "L'adhésion coûte 25 € par an et donne droit à cette lettre chaque mois."
        )
        return "Qui sommes-nous ?", body

    def photo_words(self, photo: Photo) -> tuple[str, str, str]:
        caption, alt = PHOTO_WORDS[photo.file]
        return caption, alt, f"Photo : {photo.credit}"
