"""Indonesian first: the UI language is the one the user chose, else Indonesian.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an office computer set to
English would get English pages; plut's users expect Indonesian unless they switch.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


class IndonesianFirstLocaleMiddleware(MiddlewareMixin):
    """Activate the language from the language cookie (set by the switcher), else LANGUAGE_CODE."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
