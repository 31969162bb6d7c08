"""foodcommons: an open-data commons of the sustainable-food alternatives of Brussels and Wallonia."""

__version__ = "0.1.0"
