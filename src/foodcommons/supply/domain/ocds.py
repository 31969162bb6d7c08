"""Tenders as OCDS 1.1 release packages with lots (the lots extension), from plain values. Pure.

Prices, budgets and producers' answers are never given to these functions, so they cannot leak into the open data.
"""

from collections.abc import Sequence

OCDS_VERSION = "1.1"
LOTS_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json"
# OCDS procurementMethod for each procedure type a tender states.
PROCUREMENT_METHOD = {"open": "open", "restricted": "selective", "negotiated": "limited", "low_value": "direct", "framework": "selective"}
UNIT_NAMES = {"kg": "kilogram", "l": "litre", "piece": "unit"}


def _iso(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def lot_and_item(lot: dict) -> tuple[dict, dict]:
    """Return one lot of a tender and its item (CPV classification, quantity and unit, place of delivery)."""
    ocds_lot = {"id": lot["id"], "title": lot["title"], "status": "active"}
    if lot.get("period"):
        ocds_lot["contractPeriod"] = {"startDate": _iso(lot["period"][0]), "endDate": _iso(lot["period"][1])}
    if lot.get("award_criteria"):
        ocds_lot["awardCriteriaDetails"] = "; ".join(f"{c['name']} ({c['type']}): {c['weight']:g}%" for c in lot["award_criteria"])
    item = {
        "id": f"{lot['id']}-item", "description": lot["title"], "relatedLot": lot["id"],
        "classification": {"scheme": "CPV", "id": lot["cpv"]}, "quantity": lot["quantity"],
        "unit": {"name": UNIT_NAMES.get(lot["unit"], lot["unit"])},
    }
    if lot.get("delivery_location"):
        item["deliveryLocation"] = {"geometry": {"type": "Point", "coordinates": list(lot["delivery_location"])}}
    return ocds_lot, item


def release(tender: dict, *, prefix: str) -> dict:
    """Return the OCDS release of one tender (its id, title, procedure, deadline, notice and lots)."""
    lots, items = zip(*(lot_and_item(lot) for lot in tender["lots"]), strict=True) if tender["lots"] else ((), ())
    body = {
        "id": tender["id"], "title": tender["title"], "status": tender.get("status", "active"),
        "procurementMethod": PROCUREMENT_METHOD.get(tender["procedure"], "open"), "procurementMethodDetails": tender["procedure"],
        "mainProcurementCategory": "goods", "tenderPeriod": {"endDate": _iso(tender["deadline"])},
        "lots": list(lots), "items": list(items),
    }
    if tender.get("description"):
        body["description"] = tender["description"]
    if tender.get("notice_url"):
        body["documents"] = [{"id": "notice", "documentType": "tenderNotice", "url": tender["notice_url"]}]
    buyer = {"id": tender["buyer_id"], "name": tender["buyer_name"]}
    return {
        "ocid": f"{prefix}-{tender['id']}", "id": f"{tender['id']}-{_iso(tender['updated'])}", "date": _iso(tender["updated"]),
        "tag": ["tender"], "initiationType": "tender", "language": tender.get("language", "fr"),
        "buyer": buyer, "parties": [{**buyer, "roles": ["buyer"]}], "tender": body,
    }


def release_package(tenders: Sequence[dict], *, prefix: str, uri: str, published: str, publisher: str) -> dict:
    """Return an OCDS release package of tenders with the lots extension declared."""
    return {
        "uri": uri, "version": OCDS_VERSION, "publishedDate": published, "publisher": {"name": publisher},
        "license": "https://opendatacommons.org/licenses/odbl/1-0/", "extensions": [LOTS_EXTENSION],
        "releases": [release(t, prefix=prefix) for t in tenders],
    }
