"""Sections other apps add to Min side's landing page (``views.my_page``).

The portal sits below the apps whose citizen pages use its ``citizen_required`` gate
(consent, plans, meetings, questionnaires), so it cannot import them; an app above adds
its part of the landing page here instead, in its ``AppConfig.ready`` (e.g. consent: what
a relative may see)."""

from collections.abc import Callable

# user -> extra template context for portal/my_page.html ({} when the section has nothing).
Section = Callable[..., dict]

_sections: list[Section] = []


def register(section: Section) -> Section:
    if section not in _sections:  # ready() may run more than once (e.g. in tests)
        _sections.append(section)
    return section


def context(user) -> dict:
    """The registered sections' context for this user, in registration order."""
    out: dict = {}
    for section in _sections:
        out.update(section(user))
    return out
