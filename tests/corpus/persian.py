"""Plausible Persian news copy from a fixed list of real words: a cultural
society's year, for the right-to-left layout and Arabic-script shaping.

Persian puts the verb last and marks a definite object with `را`, so a
sentence is subject, adjunct, object, verb. Numbers are written in Persian
digits, as an editor would type them.
"""

from __future__ import annotations

from .prose import Masthead, Photo, Prose

SUBJECTS = (
    "اعضای انجمن", "داوطلبان", "کودکان مدرسه", "گروه موسیقی", "همسایگان ما", "کمیتهٔ جشن",
    "خانواده‌های ایرانی شهر", "کتابدار شهر", "شاگردان کلاس فارسی", "هیئت مدیره",
)  # fmt: skip
EVENTS = (
    "جشن نوروز", "کلاس فارسی", "شب شعر", "نمایشگاه عکس", "شب یلدا", "کنسرت موسیقی ایرانی",
    "جشن سده", "کارگاه خوشنویسی", "نشست ماهانه", "بازارچهٔ خیریه", "شب فیلم",
)  # fmt: skip
EVENT_VERBS = ("برگزار کردند", "آماده کردند", "آغاز کردند", "تماشا کردند", "جشن گرفتند")
PLACES = (
    "سالن کتابخانه", "باغ محله", "تالار شهر", "کلاس‌های مدرسه", "دفتر انجمن", "آشپزخانهٔ انجمن",
)  # fmt: skip
PLACE_VERBS = ("آراستند", "بازگشایی کردند", "تمیز کردند", "رنگ کردند", "تعمیر کردند")
ADJUNCTS = (
    "روز شنبه", "با کمک اعضا", "پس از ماه‌ها کار", "در پاییز امسال", "برای نخستین بار",
    "با شور و شادی", "با وجود باران", "در پایان هفته", "در ماه گذشته",
)  # fmt: skip
REASONS = (
    "تا همهٔ همسایگان بتوانند بیایند", "چون جای قبلی کوچک بود", "و هیچ‌کس دیر نیامد",
    "زیرا بچه‌ها خودشان آن را خواسته بودند",
)  # fmt: skip
QUOTES = (
    "کار سختی بود، اما به زحمتش می‌ارزید",
    "بدون داوطلبان هرگز از پس این کار برنمی‌آمدیم",
    "هرگز این‌همه آدم را این‌جا ندیده بودم",
    "سال آینده بهتر از این برگزار می‌کنیم",
    "بلندترین شب سال را با هم کوتاه می‌کنیم",
)  # fmt: skip
FIRST = ("مریم", "علی", "نسرین", "بهرام", "شیرین", "رضا", "سارا", "امید", "پروین", "کاوه")
LAST = ("رحیمی", "کاظمی", "فرهادی", "نیک‌نام", "افشار", "محمدی", "حسینی", "کریمی", "صدری")
TITLE_ENDINGS = (
    "در تالار شهر", "از ژانویه آغاز می‌شود", "با استقبال روبه‌رو شد", "به کمک شما نیاز دارد",
    "دوباره برگزار می‌شود",
)  # fmt: skip
BOX_TITLES = ("تقویم رویدادها", "آگهی‌ها", "یاری بدهید", "ساعت کار دفتر", "سپاس")
MONTHS = (
    "ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر",
    "نوامبر", "دسامبر",
)  # fmt: skip
DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
MASTHEADS = (
    Masthead("چراغ", "خبرنامهٔ انجمن فرهنگی ایرانیان اشکام",
             "انجمن فرهنگی ایرانیان اشکام\nکتابخانهٔ مرکزی اشکام، طبقهٔ دوم\nAshcombe AC1 2LB",
             "ashcombe-iranians.example", "01632 960 412"),
    Masthead("نامهٔ باغ", "خبرنامهٔ باغ همگانی محلهٔ میلبروک",
             "باغ همگانی میلبروک\n14 Mill Lane\nMillbrook MB2 5RD", "bagh.example",
             "01632 960 977"),
)  # fmt: skip
PHOTO_WORDS = {
    "hubble_deep_field.jpg": ("آسمان ژرف، در شب نجوم انجمن.", "صدها کهکشان کوچک بر زمینهٔ سیاه"),
    "coffee.png": ("چای و قهوه پس از شعرخوانی.", "یک فنجان قهوه روی میز چوبی"),
    "chelsea.png": ("گربهٔ کتابخانه در نشست ماهانه.", "گربه‌ای راه‌راه که به دوربین نگاه می‌کند"),
    "rocket.jpg": ("پرتاب موشک، موضوع گفت‌وگوی بهاری.", "موشکی که در شب به آسمان می‌رود"),
}


class Persian(Prose):
    lang = "fa"
    mastheads = MASTHEADS

    def number(self, value: int) -> str:
        return str(value).translate(DIGITS)

    def clause(self) -> str:
        if self.rng.random() < 0.6:
            thing, verb = self.pick(EVENTS), self.pick(EVENT_VERBS)
        else:
            thing, verb = self.pick(PLACES), self.pick(PLACE_VERBS)
        return f"{self.pick(SUBJECTS)} {self.pick(ADJUNCTS)} {thing} را {verb}"

    def sentence(self) -> str:
        shape = self.rng.randrange(4)
        if shape == 0:
            count = self.number(self.rng.choice((12, 24, 40, 70, 120, 300)))
            return f"{count} نفر {self.pick(ADJUNCTS)} به {self.pick(EVENTS)} آمدند."
        if shape == 1:
            return f"{self.clause()}، {self.pick(REASONS)}."
        if shape == 2:
            return f"{self.clause()} و {self.clause()}."
        return f"{self.clause()}."

    def said(self) -> str:
        return f'{self.person()} گفت: "{self.pick(QUOTES)}."'

    def title(self) -> str:
        return f"{self.pick(EVENTS)} {self.pick(TITLE_ENDINGS)}"

    def person(self) -> str:
        return f"{self.pick(FIRST)} {self.pick(LAST)}"

    def pullquote(self) -> str:
        return self.pick(QUOTES) + "."

    def link_sentence(self, url: str) -> str:
        return f"برای آگاهی بیشتر [وب‌سایت انجمن]({url}) را ببینید."

    def diary_item(self, day) -> str:
        hour = self.number(self.rng.randrange(9, 21))
        return f"{self.pick(EVENTS)}، {self.pick(PLACES)}، ساعت {hour}"

    def day(self, date) -> str:
        return f"{self.number(date.day)} {MONTHS[date.month - 1]}"

    def box_title(self) -> str:
        return self.pick(BOX_TITLES)

    def about(self) -> tuple[str, str]:
        body = (
            "انجمن در سال ۱۳۹۸ به همت چند خانوادهٔ ایرانی شهر بنیان گذاشته شد. هدف ما:\n\n"
            "- نگه‌داشتن زبان فارسی در خانه‌های ما و در میان فرزندانمان؛\n"
            "- برگزاری جشن‌های ایرانی برای همهٔ همسایگان؛\n"
            "- آشنا کردن مردم شهر با شعر، موسیقی و آشپزی ایرانی.\n\n"
            "حق عضویت سالانه ۲۰ پوند است و این خبرنامه هر ماه به دست اعضا می‌رسد."
        )
        return "دربارهٔ ما", body

    def photo_words(self, photo: Photo) -> tuple[str, str, str]:
        caption, alt = PHOTO_WORDS[photo.file]
        return caption, alt, f"عکس: {photo.credit}"
