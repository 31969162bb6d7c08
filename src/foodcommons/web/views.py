"""Server-rendered pages."""

from django.shortcuts import render

from foodcommons.web.selectors import home_figures


def home(request):
    """The front page: what the commons holds and where to read it."""
    return render(request, "web/home.html", home_figures())
