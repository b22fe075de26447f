"""The home page is assembled from sections that feature apps register.

core sits below the feature apps and must not import them, so each app adds its own
section (template + context function) from its AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.shortcuts import render

from .cache import public_page


@dataclass(frozen=True)
class HomeSection:
    template: str
    context: Callable[[HttpRequest], dict]
    order: int = 100


_sections: list[HomeSection] = []


def register_home_section(template: str, context: Callable[[HttpRequest], dict], order: int = 100):
    if not any(s.template == template for s in _sections):
        _sections.append(HomeSection(template, context, order))
        _sections.sort(key=lambda s: s.order)


@public_page()
def home(request):
    sections = [(s.template, s.context(request)) for s in _sections]
    return render(request, "core/home.html", {"sections": sections})
