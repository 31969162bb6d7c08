"""The territory coverage indicator as plain data, the same for the API and the page."""

from foodcommons.supply import selectors
from foodcommons.supply.products import product_tree
from foodcommons.territories import selectors as territories


def _share(asked: float, covered: float) -> float:
    return round(covered / asked, 4) if asked else 0.0


def territory_coverage_json(code: str, km: float, language: str) -> dict:
    """Return the territory coverage indicator as the API and the page give it."""
    found, counts = selectors.territory_indicator(code, km=km)
    tree, places, territory = product_tree(), counts["places"], territories.info(code)
    return {
        "territory": code, "name": territory.names.get(language) or territory.names.get("fr", code) if territory else code, "km": km,
        "demands": counts["demands"], "buyers": counts["buyers"], "lines": found.lines, "offers_considered": counts["offers"],
        "totals": [{"unit": u, "asked": round(a, 3), "covered": round(c, 3), "share": _share(a, c)} for u, (a, c) in sorted(found.totals().items())],
        "families": [{"family": f.family, "label": tree.label(f.family, language), "unit": f.unit, "asked": round(f.asked, 3),
                      "covered": round(f.covered, 3), "share": _share(f.asked, f.covered),
                      "months": [{"month": m.month, "asked": m.asked, "covered": m.covered, "share": _share(m.asked, m.covered)} for m in f.months]}
                     for f in found.families],
        "producers": [{"place": places[p.producer].public_id if p.producer in places else None,
                       "name": places[p.producer].display_name(language) if p.producer in places else p.producer, "unit": p.unit,
                       "quantity": p.quantity} for p in found.producers],
    }
