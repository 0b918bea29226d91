"""Languages: Chinese for every person who reads the service; English for API clients that ask.

Strings are written in English in the code and templates (`gettext` / `lazy_gettext`, `_` in
Jinja) and translated through the message catalogue in market/translations/. A request gets
English only when its `Accept-Language` prefers it; everything else is Chinese. Error `code`s
in the API stay English; their `message`s follow the language.

The Chinese catalogue's sources are the .po files in market/translations/zh/sources/, one
per area of the product (errors, pages, reports, …), so changes to different areas never
touch the same file. `python -m market.i18n` merges them into the compiled catalogue
translations/zh/LC_MESSAGES/messages.mo (scripts/bootstrap.sh runs it); an msgid translated
twice, differently, is an error. To find what still needs a translation:

    pybabel extract -F babel.cfg -k lazy_gettext -k lazy_pgettext:1c,2 -k _l -k _lp:1c,2 \
        -o /tmp/messages.pot .

A word whose translation depends on what it names ("open" instrument, order or alert) carries
a context (`lazy_pgettext("order status", "open")`, `msgctxt` in the .po file).
"""

import sys
from pathlib import Path

from babel.core import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, has_request_context, request
from flask_babel import Babel, refresh

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
# Babel reads zh_CN as zh_Hans_CN and finds its catalogue in translations/zh.
CHINESE, ENGLISH = "zh_CN", "en"

babel = Babel()
# What marks a string for translation: babel's own names, Flask-Babel's lazy ones, and `_l`, `_lp`,
# the short names of lazy_gettext and lazy_pgettext.
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None, "_lp": ((1, "c"), 2),
            "lazy_pgettext": ((1, "c"), 2)}


def select_locale() -> Locale:
    """Chinese for every page; English only for an API client that asks for it.

    A browser's own language setting (often en-US on an office PC) must not turn a county
    official's pages into English, so pages ignore Accept-Language.
    """
    if has_request_context() and request.path.startswith("/api/") and \
            request.accept_languages.best_match(["zh-CN", "zh", "en"], default="zh") == "en":
        return _LOCALES[ENGLISH]
    return _LOCALES[CHINESE]


# Parsed once: Flask-Babel takes a Locale as it is, but would parse a name on every request.
_LOCALES = {name: Locale.parse(name) for name in (CHINESE, ENGLISH)}


def init_app(app: Flask) -> None:
    """Bind Flask-Babel to the app with the project's catalogue and locale rule."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", CHINESE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(TRANSLATIONS))
    # Flask-Babel caches the locale on the app context, which may outlive one request (a
    # CLI or test context around several requests): each request chooses afresh.
    app.before_request(refresh)


def compile_catalogue(language: str = "zh") -> Path:
    """Merge the language's source .po files into its compiled messages.mo."""
    folder = TRANSLATIONS / language
    merged = Catalog(locale=language)
    for source in sorted((folder / "sources").glob("*.po")):
        with source.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if not message.id:
                    continue
                known = merged.get(message.id, context=message.context)
                if known is not None and known.string != message.string:
                    raise ValueError(f"{source.name}: {message.id!r} is translated twice")
                merged.add(message.id, message.string, context=message.context)
    target = folder / "LC_MESSAGES" / "messages.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        write_mo(handle, merged)
    return target


if __name__ == "__main__":
    print(compile_catalogue(*sys.argv[1:]))
