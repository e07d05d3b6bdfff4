"""The fixed words a page prints, per language, and dates in the issue's language.

Dates come from Babel (CLDR), so month names are right in every language it
knows. The words below are the layout's own vocabulary; `labels:` in the YAML
overrides any of them, and a language without its own table uses English.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

# `page` is a pattern: {page} and {pages} become the page counters.
ENGLISH = {
    "toc_title": "Inside this issue",
    "read_more": "Read more:",
    "page": "Page {page} of {pages}",
    "continued": "Continued on page",
    "continued_from": "Continued from page",
    "volume": "Vol.",
    "number": "No.",
    "by": "By",
    "contact_heading": "Write, call or visit",
    "email": "Email",
    "website": "Web",
    "phone": "Tel",
    "picture": "Picture",  # the plain-text edition's [Picture: ...]
    "download": "Download this issue as a PDF",  # the web edition's link to the PDF
}

# The same words in the languages broadsheet ships, as a newspaper in each would
# print them. A language missing here prints English words; `labels:` in the
# YAML sets any of them for one publication.
LABELS: dict[str, dict[str, str]] = {
    "en": ENGLISH,
    "fr": {
        "toc_title": "Dans ce numéro",
        "read_more": "Lire la suite\u00a0:",
        "page": "Page {page} sur {pages}",
        "continued": "Suite page",
        "continued_from": "Suite de la page",
        "volume": "Vol.",
        "number": "N\u00b0",
        "by": "Par",
        "contact_heading": "Pour nous joindre",
        "email": "Courriel",
        "website": "Site",
        "phone": "Tél.",
        "picture": "Image",
        "download": "Télécharger ce numéro en PDF",
    },
    "de": {
        "toc_title": "In dieser Ausgabe",
        "read_more": "Weiterlesen:",
        "page": "Seite {page} von {pages}",
        "continued": "Fortsetzung auf Seite",
        "continued_from": "Fortsetzung von Seite",
        "volume": "Jg.",
        "number": "Nr.",
        "by": "Von",
        "contact_heading": "Schreiben, anrufen oder vorbeikommen",
        "email": "E-Mail",
        "website": "Web",
        "phone": "Tel.",
        "picture": "Bild",
        "download": "Diese Ausgabe als PDF herunterladen",
    },
    "es": {
        "toc_title": "En este número",
        "read_more": "Leer más:",
        "page": "Página {page} de {pages}",
        "continued": "Continúa en la página",
        "continued_from": "Viene de la página",
        "volume": "Vol.",
        "number": "N.\u00ba",
        "by": "Por",
        "contact_heading": "Escríbanos, llámenos o visítenos",
        "email": "Correo",
        "website": "Web",
        "phone": "Tel.",
        "picture": "Imagen",
        "download": "Descargar este número en PDF",
    },
    "it": {
        "toc_title": "In questo numero",
        "read_more": "Continua a leggere:",
        "page": "Pagina {page} di {pages}",
        "continued": "Continua a pagina",
        "continued_from": "Segue da pagina",
        "volume": "Vol.",
        "number": "N.",
        "by": "Di",
        "contact_heading": "Scriveteci, chiamateci o venite a trovarci",
        "email": "E-mail",
        "website": "Web",
        "phone": "Tel.",
        "picture": "Immagine",
        "download": "Scarica questo numero in PDF",
    },
    "pt": {
        "toc_title": "Nesta edição",
        "read_more": "Leia mais:",
        "page": "Página {page} de {pages}",
        "continued": "Continua na página",
        "continued_from": "Continuação da página",
        "volume": "Vol.",
        "number": "N.\u00ba",
        "by": "Por",
        "contact_heading": "Escreva, ligue ou visite-nos",
        "email": "E-mail",
        "website": "Site",
        "phone": "Tel.",
        "picture": "Imagem",
        "download": "Descarregar esta edição em PDF",
    },
    "nl": {
        "toc_title": "In dit nummer",
        "read_more": "Lees verder:",
        "page": "Pagina {page} van {pages}",
        "continued": "Vervolg op pagina",
        "continued_from": "Vervolg van pagina",
        "volume": "Jrg.",
        "number": "Nr.",
        "by": "Door",
        "contact_heading": "Schrijf, bel of kom langs",
        "email": "E-mail",
        "website": "Web",
        "phone": "Tel.",
        "picture": "Afbeelding",
        "download": "Dit nummer als pdf downloaden",
    },
    "fa": {
        "toc_title": "در این شماره",
        "read_more": "ادامهٔ مطلب:",
        "page": "صفحهٔ {page} از {pages}",
        "continued": "ادامه در صفحهٔ",
        "continued_from": "ادامه از صفحهٔ",
        "volume": "دوره",
        "number": "شماره",
        "by": "نوشتهٔ",
        "contact_heading": "نامه بنویسید، تماس بگیرید یا سری به ما بزنید",
        "email": "رایانامه",
        "website": "وب\u200cسایت",
        "phone": "تلفن",
        "picture": "تصویر",
        "download": "دریافت این شماره به صورت PDF",
    },
    "ar": {
        "toc_title": "في هذا العدد",
        "read_more": "اقرأ المزيد:",
        "page": "الصفحة {page} من {pages}",
        "continued": "التتمة في الصفحة",
        "continued_from": "تتمة من الصفحة",
        "volume": "المجلد",
        "number": "العدد",
        "by": "بقلم",
        "contact_heading": "راسلونا أو اتصلوا بنا أو زورونا",
        "email": "البريد الإلكتروني",
        "website": "الموقع",
        "phone": "الهاتف",
        "picture": "صورة",
        "download": "تنزيل هذا العدد بصيغة PDF",
    },
    "he": {
        "toc_title": "בגיליון זה",
        "read_more": "להמשך קריאה:",
        "page": "עמוד {page} מתוך {pages}",
        "continued": "המשך בעמוד",
        "continued_from": "המשך מעמוד",
        "volume": "כרך",
        "number": "גיליון",
        "by": "מאת",
        "contact_heading": "כתבו, התקשרו או בקרו אותנו",
        "email": "דוא\u05f4ל",
        "website": "אתר",
        "phone": "טלפון",
        "picture": "תמונה",
        "download": "להורדת הגיליון כקובץ PDF",
    },
}


# The fixed words of the newsletter email `broadsheet mail` sends
# (layout/mail/), per language. Patterns: {name} (the subscriber's, in
# `greeting`; the newsletter's, in `receive`), {title} (the PDF's),
# {file}, {size}, {page}, {email}, {link}. `attached` says the PDF is
# attached, `hosted` that it is online (`mail.attach: false`) with a
# `download` link; `view_online` links to the web edition. The contents
# list's heading is the page's own `toc_title`, the contact details' the
# `contact_heading` label.
COVER_NOTE: dict[str, dict[str, str]] = {
    "en": {
        "greeting": "Dear {name},",
        "hello": "Hello,",
        "attached": "{title} is attached as a PDF ({file}, {size}).",
        "page": "page {page}",
        "closing": "With best wishes,",
        "receive": "You receive {name} at {email}.",
        "unsubscribe": "Unsubscribe",
        "unsubscribe_line": "To stop: {link}",
        "view_online": "Read this issue in your browser",
        "hosted": "{title} is ready to read as a PDF ({size}).",
        "download": "Download the PDF",
    },
    "fr": {
        "greeting": "Bonjour {name},",
        "hello": "Bonjour,",
        "attached": "Vous trouverez {title} en PDF ci-joint ({file}, {size}).",
        "page": "page {page}",
        "closing": "Bien cordialement,",
        "receive": "Vous recevez {name} à l'adresse {email}.",
        "unsubscribe": "Se désabonner",
        "unsubscribe_line": "Pour vous désabonner\u00a0: {link}",
        "view_online": "Lire ce numéro dans votre navigateur",
        "hosted": "{title} est en ligne en PDF ({size}).",
        "download": "Télécharger le PDF",
    },
    "de": {
        "greeting": "Guten Tag {name},",
        "hello": "Guten Tag,",
        "attached": "Anbei finden Sie {title} als PDF ({file}, {size}).",
        "page": "Seite {page}",
        "closing": "Mit freundlichen Grüßen",
        "receive": "Sie erhalten {name} unter {email}.",
        "unsubscribe": "Abmelden",
        "unsubscribe_line": "Abmelden: {link}",
        "view_online": "Diese Ausgabe im Browser lesen",
        "hosted": "{title} steht als PDF bereit ({size}).",
        "download": "PDF herunterladen",
    },
    "es": {
        "greeting": "Hola, {name}:",
        "hello": "Hola:",
        "attached": "Le adjuntamos {title} en PDF ({file}, {size}).",
        "page": "página {page}",
        "closing": "Un cordial saludo,",
        "receive": "Recibe {name} en {email}.",
        "unsubscribe": "Darse de baja",
        "unsubscribe_line": "Para darse de baja: {link}",
        "view_online": "Leer este número en el navegador",
        "hosted": "{title} está disponible en PDF ({size}).",
        "download": "Descargar el PDF",
    },
    "it": {
        "greeting": "Gentile {name},",
        "hello": "Buongiorno,",
        "attached": "In allegato trova {title} in PDF ({file}, {size}).",
        "page": "pagina {page}",
        "closing": "Cordiali saluti,",
        "receive": "Riceve {name} all'indirizzo {email}.",
        "unsubscribe": "Annulla l'iscrizione",
        "unsubscribe_line": "Per annullare l'iscrizione: {link}",
        "view_online": "Leggi questo numero nel browser",
        "hosted": "{title} è disponibile in PDF ({size}).",
        "download": "Scarica il PDF",
    },
    "pt": {
        "greeting": "Olá, {name},",
        "hello": "Olá,",
        "attached": "Segue em anexo {title} em PDF ({file}, {size}).",
        "page": "página {page}",
        "closing": "Com os melhores cumprimentos,",
        "receive": "Recebe {name} no endereço {email}.",
        "unsubscribe": "Cancelar a inscrição",
        "unsubscribe_line": "Para cancelar a inscrição: {link}",
        "view_online": "Ler este número no navegador",
        "hosted": "{title} está disponível em PDF ({size}).",
        "download": "Descarregar o PDF",
    },
    "nl": {
        "greeting": "Beste {name},",
        "hello": "Hallo,",
        "attached": "In de bijlage vindt u {title} als pdf ({file}, {size}).",
        "page": "pagina {page}",
        "closing": "Met vriendelijke groet,",
        "receive": "U ontvangt {name} op {email}.",
        "unsubscribe": "Afmelden",
        "unsubscribe_line": "Afmelden: {link}",
        "view_online": "Lees dit nummer in uw browser",
        "hosted": "{title} staat klaar als pdf ({size}).",
        "download": "Download de pdf",
    },
    "fa": {
        "greeting": "{name} گرامی،",
        "hello": "سلام،",
        "attached": "{title} به صورت PDF پیوست این نامه است ({file}، {size}).",
        "page": "صفحهٔ {page}",
        "closing": "با بهترین آرزوها،",
        "receive": "شما {name} را در نشانی {email} دریافت می\u200cکنید.",
        "unsubscribe": "لغو اشتراک",
        "unsubscribe_line": "برای لغو اشتراک: {link}",
        "view_online": "این شماره را در مرورگر بخوانید",
        "hosted": "{title} به صورت PDF آماده است ({size}).",
        "download": "دریافت PDF",
    },
    "ar": {
        "greeting": "مرحبًا {name}،",
        "hello": "مرحبًا،",
        "attached": "تجدون {title} مرفقًا بصيغة PDF ({file}، {size}).",
        "page": "الصفحة {page}",
        "closing": "مع أطيب التمنيات،",
        "receive": "تصلكم {name} على العنوان {email}.",
        "unsubscribe": "إلغاء الاشتراك",
        "unsubscribe_line": "لإلغاء الاشتراك: {link}",
        "view_online": "اقرأ هذا العدد في المتصفح",
        "hosted": "{title} متاح بصيغة PDF ({size}).",
        "download": "تنزيل ملف PDF",
    },
    "he": {
        "greeting": "שלום {name},",
        "hello": "שלום,",
        "attached": "{title} מצורף כקובץ PDF ({file}, {size}).",
        "page": "עמוד {page}",
        "closing": "בברכה,",
        "receive": "{name} נשלח אליך לכתובת {email}.",
        "unsubscribe": "הסרה מרשימת התפוצה",
        "unsubscribe_line": "להסרה מרשימת התפוצה: {link}",
        "view_online": "לקריאת הגיליון בדפדפן",
        "hosted": "{title} זמין כקובץ PDF ({size}).",
        "download": "הורדת קובץ PDF",
    },
}


# The fixed words of the archive's index and site (layout/archive/,
# `broadsheet archive`), per language. A counted word has a pattern per
# CLDR plural category of the language (`issues.one`, `issues.other`;
# `few`, `many` where it has them), {count} the number; `thumbnail` is
# the description of an issue's page 1, {publication}, {number} ("No. 5")
# and {when} ("October 2026") filled in.
ARCHIVE: dict[str, dict[str, str]] = {
    "en": {
        "all_issues": "all issues",
        "issues.one": "{count} issue",
        "issues.other": "{count} issues",
        "pages.one": "{count} page",
        "pages.other": "{count} pages",
        "web_page": "web page",
        "feed": "Atom feed of every issue",
        "thumbnail": "Page 1 of {publication}, {number}, {when}",
    },
    "fr": {
        "all_issues": "tous les numéros",
        "issues.one": "{count}\u00a0numéro",
        "issues.other": "{count}\u00a0numéros",
        "pages.one": "{count}\u00a0page",
        "pages.other": "{count}\u00a0pages",
        "web_page": "page web",
        "feed": "Le fil Atom de tous les numéros",
        "thumbnail": "Première page de {publication}, {number}, {when}",
    },
    "de": {
        "all_issues": "alle Ausgaben",
        "issues.one": "{count} Ausgabe",
        "issues.other": "{count} Ausgaben",
        "pages.one": "{count} Seite",
        "pages.other": "{count} Seiten",
        "web_page": "Webseite",
        "feed": "Atom-Feed aller Ausgaben",
        "thumbnail": "Seite 1 von {publication}, {number}, {when}",
    },
    "es": {
        "all_issues": "todos los números",
        "issues.one": "{count} número",
        "issues.other": "{count} números",
        "pages.one": "{count} página",
        "pages.other": "{count} páginas",
        "web_page": "página web",
        "feed": "Canal Atom de todos los números",
        "thumbnail": "Portada de {publication}, {number}, {when}",
    },
    "it": {
        "all_issues": "tutti i numeri",
        "issues.one": "{count} numero",
        "issues.other": "{count} numeri",
        "pages.one": "{count} pagina",
        "pages.other": "{count} pagine",
        "web_page": "pagina web",
        "feed": "Feed Atom di tutti i numeri",
        "thumbnail": "Prima pagina di {publication}, {number}, {when}",
    },
    "pt": {
        "all_issues": "todas as edições",
        "issues.one": "{count} edição",
        "issues.other": "{count} edições",
        "pages.one": "{count} página",
        "pages.other": "{count} páginas",
        "web_page": "página web",
        "feed": "Feed Atom de todas as edições",
        "thumbnail": "Primeira página de {publication}, {number}, {when}",
    },
    "nl": {
        "all_issues": "alle nummers",
        "issues.one": "{count} nummer",
        "issues.other": "{count} nummers",
        "pages.one": "{count} pagina",
        "pages.other": "{count} pagina's",
        "web_page": "webpagina",
        "feed": "Atom-feed van alle nummers",
        "thumbnail": "Voorpagina van {publication}, {number}, {when}",
    },
    "fa": {
        "all_issues": "همهٔ شماره\u200cها",
        "issues.other": "{count} شماره",
        "pages.other": "{count} صفحه",
        "web_page": "صفحهٔ وب",
        "feed": "خوراک Atom همهٔ شماره\u200cها",
        "thumbnail": "صفحهٔ نخست {publication}، {number}، {when}",
    },
    "he": {
        "all_issues": "כל הגיליונות",
        "issues.one": "גיליון אחד",
        "issues.other": "{count} גיליונות",
        "pages.one": "עמוד אחד",
        "pages.other": "{count} עמודים",
        "web_page": "דף אינטרנט",
        "feed": "פיד Atom של כל הגיליונות",
        "thumbnail": "העמוד הראשון של {publication}, {number}, {when}",
    },
}


def archive_words(lang: str) -> dict[str, str]:
    """The archive's words in a language (a BCP 47 tag); English for a
    language without its own. A counted word the language has keeps its
    own forms alone: English's "one" would otherwise stand in for a
    language that writes every count alike."""
    own = ARCHIVE.get(lang.split("-")[0].lower(), {})
    counted = {name.partition(".")[0] for name in own if "." in name}
    english = {k: v for k, v in ARCHIVE["en"].items() if k.partition(".")[0] not in counted}
    return {**english, **own}


def counted(words: dict[str, str], word: str, count: int, lang: str, digits: str) -> str:
    """ "3 issues": the pattern of `word` for `count`'s plural category in
    `lang` (CLDR's, from Babel; `other` when the table has no pattern for
    it), the number grouped as the language groups it, in `digits`."""
    category = locale_for(lang).plural_form(count)
    pattern = words.get(f"{word}.{category}") or words[f"{word}.other"]
    number = format_decimal(count, locale=locale_for(lang), numbering_system=_system(digits))
    return pattern.format(count=localise_digits(number, digits))


def cover_note_words(lang: str) -> dict[str, str]:
    """The cover note's words in a language (a BCP 47 tag); English for a
    language without its own."""
    return {**COVER_NOTE["en"], **COVER_NOTE.get(lang.split("-")[0].lower(), {})}


def labels_for(lang: str, overrides: dict[str, str]) -> dict[str, str]:
    """The labels for a language tag, with the user's overrides on top."""
    base = LABELS.get(lang.split("-")[0].lower(), ENGLISH)
    return {**ENGLISH, **base, **overrides}


def locale_for(lang: str) -> Locale:
    """Babel's locale for a tag. Plain `en` dates as most of the English-speaking
    world writes them ("28 February 2026"); `en-US` gives "February 28, 2026"."""
    tag = "en_GB" if lang.lower() == "en" else lang.replace("-", "_")
    try:
        return Locale.parse(tag)
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def month_year(date: dt.date, lang: str) -> str:
    """ "March 2026", in the issue's language (the masthead and footer date)."""
    return format_date(date, "LLLL y", locale=locale_for(lang))


def long_date(date: dt.date, lang: str) -> str:
    """ "28 February 2026" in English; the language's own long form elsewhere."""
    return format_date(date, "long", locale=locale_for(lang))


LATIN_DIGITS = "0123456789"

# CLDR's decimal numbering systems (as Babel reports a locale's) by the name
# Unicode gives their digits: "EXTENDED ARABIC-INDIC DIGIT ZERO" is U+06F0.
DIGIT_SCRIPTS = {
    "arab": "ARABIC-INDIC",
    "arabext": "EXTENDED ARABIC-INDIC",
    "beng": "BENGALI",
    "deva": "DEVANAGARI",
    "gujr": "GUJARATI",
    "guru": "GURMUKHI",
    "khmr": "KHMER",
    "knda": "KANNADA",
    "laoo": "LAO",
    "mlym": "MALAYALAM",
    "mymr": "MYANMAR",
    "orya": "ORIYA",
    "tamldec": "TAMIL",
    "telu": "TELUGU",
    "thai": "THAI",
    "tibt": "TIBETAN",
}


def digits_for(lang: str, setting: str = "auto") -> str:
    """The ten digits an issue prints its own numbers in: page numbers, the
    contents list, dates, the issue and volume numbers (the editor's text is
    printed as written).

    `auto` follows the language's custom as CLDR records it: Persian ۰۱۲,
    Egyptian and Saudi Arabic ٠١٢, Moroccan Arabic, Urdu and Hebrew 012. A bare
    `ar` (no region) follows the Arabic-Indic custom of most Arabic print;
    CLDR's generic Arabic is Latin, which `ar-MA`-style tags keep. `native`
    asks for the script's own digits, `latin` for 0-9.
    """
    locale = locale_for(lang)
    if setting == "latin":
        return LATIN_DIGITS
    if setting == "native" or (setting == "auto" and lang.lower() == "ar"):
        system = locale.other_numbering_systems.get("native", locale.default_numbering_system)
    else:
        system = locale.default_numbering_system
    script = DIGIT_SCRIPTS.get(system)
    if script is None:
        return LATIN_DIGITS
    zero = ord(unicodedata.lookup(f"{script} DIGIT ZERO"))
    return "".join(chr(zero + n) for n in range(10))


def _system(digits: str) -> str:
    """CLDR's numbering system of `digits` (from digits_for), whose separators
    go with them (Persian groups ۱٬۱۴۸); `latn` for 0-9."""
    script = unicodedata.name(digits[0]).removesuffix(" DIGIT ZERO")
    return next((system for system, name in DIGIT_SCRIPTS.items() if name == script), "latn")


def localise_digits(text: str, digits: str) -> str:
    """`text` with its ASCII digits written in `digits` (from digits_for)."""
    if digits == LATIN_DIGITS:
        return text
    return text.translate(str.maketrans(LATIN_DIGITS, digits))


RIGHT_TO_LEFT = {"ar", "fa", "he", "ur", "ps", "yi", "ckb", "sd", "ug"}


# Languages written in Arabic script, whose comma is the Arabic comma "،".
ARABIC_SCRIPT = {"ar", "fa", "ur", "ps", "ckb", "sd", "ug"}


def comma(lang: str) -> str:
    """The comma that separates the parts of a line the layout writes
    ("Vol. 2, No. 7"): "،" in Arabic-script languages, "," elsewhere."""
    return "،" if lang.split("-")[0].lower() in ARABIC_SCRIPT else ","


def right_to_left(lang: str) -> bool:
    """Whether a language (a BCP 47 tag) is written right to left."""
    return lang.split("-")[0].lower() in RIGHT_TO_LEFT
