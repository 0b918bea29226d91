"""Languages: Chinese for every person who reads the service, English on request.

Strings are written in English in the code and templates (`gettext` / `lazy_gettext`, `_` in
Jinja) and translated through the message catalogue in market/translations/. A request gets
English only when its `Accept-Language` prefers it; everything else is Chinese. Error `code`s
in the API stay English; their `message`s follow the language.

    pybabel extract -F babel.cfg -o market/translations/messages.pot .
    pybabel update -i market/translations/messages.pot -d market/translations
    pybabel compile -d market/translations      # scripts/bootstrap.sh does this
"""

from pathlib import Path

from flask import Flask, has_request_context, request
from flask_babel import Babel, refresh

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
# Babel reads zh_CN as zh_Hans_CN and finds its catalogue in translations/zh.
CHINESE, ENGLISH = "zh_CN", "en"

babel = Babel()


def select_locale() -> str:
    """Chinese unless the request prefers English."""
    if has_request_context() and request.accept_languages.best_match(
            ["zh-CN", "zh", "en"], default="zh") == "en":
        return ENGLISH
    return CHINESE


def init_app(app: Flask) -> None:
    """Bind Flask-Babel to the app with the project's catalogue and locale rule."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", CHINESE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(TRANSLATIONS))
    # Flask-Babel caches the locale on the app context, which may outlive one request (a
    # CLI or test context around several requests): each request chooses afresh.
    app.before_request(refresh)
