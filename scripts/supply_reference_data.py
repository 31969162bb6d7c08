"""Rebuild src/foodcommons/supply/data/products.json from the DFC product types and the ADEME seasonal calendar.

Usage: python scripts/supply_reference_data.py ../shared/data
The DFC taxonomy (AGPL-3.0, datafoodconsortium/taxonomies) gives ids, the tree and FR/EN labels; Dutch labels are ours;
months of availability come from ADEME's "Mes fruits et légumes de saison" (MIT, 0-based months turned into 1..12).
"""

import json
import sys
import unicodedata
from pathlib import Path

SKOS = "http://www.w3.org/2004/02/skos/core#"
OUT = Path(__file__).resolve().parents[1] / "src/foodcommons/supply/data/products.json"
NL = {
    "bakery": "bakkerij", "dairy-product": "zuivelproduct", "drink": "drank", "frozen": "diepvries", "fruit": "fruit",
    "inedible": "non-food", "local-grocery-store": "lokale kruidenierswaren", "meat-product": "vleesproduct", "vegetable": "groente",
    "apples": "appel", "apricot": "abrikoos", "artichoke": "artisjok", "asparagus": "asperge", "bean": "boon", "beef": "rundvlees",
    "beetroot": "rode biet", "berry": "bessen", "blackberry": "braam", "blackcurrant": "zwarte bes", "blueberry": "blauwe bes",
    "bread": "brood", "broccoli-cabbage": "broccoli", "brussels-sprouts": "spruitjes", "butter": "boter", "butternut": "butternut",
    "cabbage": "kool", "carrot": "wortel", "cauliflower": "bloemkool", "celeriac": "knolselder", "celery-branch": "bleekselder",
    "chard": "snijbiet", "cherry": "kers", "cherry-tomato": "kerstomaat", "chicken": "kip", "chicory": "witloof",
    "clementine": "clementine", "corn-salad": "veldsla", "courgette": "courgette", "cow-dairy-product": "koemelkproduct",
    "cress": "waterkers", "cucumber": "komkommer", "currant": "aalbes", "egg": "ei", "eggplant": "aubergine", "endive": "andijvie",
    "fennel": "venkel", "fig": "vijg", "fresh-cheese": "verse kaas", "fresh-cream": "room", "garlic": "look",
    "goat-dairy-product": "geitenmelkproduct", "gooseberry": "kruisbes", "grape": "druif", "herb": "kruiden",
    "jerusalem-artichoke": "aardpeer", "kale": "boerenkool", "kiwi": "kiwi", "kohlrabi": "koolrabi", "lamb": "lamsvlees",
    "leek": "prei", "lemon": "citroen", "lettuce": "kropsla", "mandarin": "mandarijn", "mature-cheese": "belegen kaas",
    "melon": "meloen", "milk": "melk", "mushroom": "paddenstoel", "natural-yogurt": "natuuryoghurt", "nectarine": "nectarine",
    "nut": "noot", "onion": "ui", "orange": "sinaasappel", "parsnip": "pastinaak", "peach": "perzik", "pear": "peer",
    "pepper": "paprika", "plum": "pruim", "pork": "varkensvlees", "potato": "aardappel", "poultry": "gevogelte",
    "pumpkin": "pompoen", "quince": "kweepeer", "rabbit": "konijn", "radish": "radijs", "raspberry": "framboos",
    "red-cabbage": "rode kool", "rhubarb": "rabarber", "salad": "sla", "salsify": "schorseneer", "shallot": "sjalot",
    "spinach": "spinazie", "squash": "pompoen", "strawberry": "aardbei", "tomato": "tomaat", "turnip": "raap",
    "honey": "honing", "sweet-groceries": "zoete kruidenierswaren", "savory-groceries": "hartige kruidenierswaren",
    "yam": "yam", "veal": "kalfsvlees", "turkey": "kalkoen", "duck": "eend", "goat-milk": "geitenmelk", "sheep-milk": "schapenmelk",
    "savoy-cabbage": "savooiekool", "rocket": "rucola", "salad-mix": "slamix", "romanesco": "romanesco", "rutabaga": "koolraap",
    "processed-vegetable": "verwerkte groenten", "processed-fruit": "verwerkt fruit", "soft-drink": "frisdrank",
    "alcoholic-beverage": "alcoholische drank", "sheep-dairy-product": "schapenmelkproduct",
}
# ADEME labels that are not the DFC French label of the same product.
ADEME_TO_DFC = {"champignon de paris": "mushroom", "chou": "cabbage", "celeri": "celeriac", "haricot vert": "bean",
                "epinard": "spinach", "laitue": "lettuce", "mache": "corn-salad", "endive": "chicory", "potiron": "pumpkin",
                "courge": "squash", "groseille": "currant", "mure": "blackberry", "myrtille": "blueberry", "cresson": "cress",
                "pomme": "apples", "prune": "plum", "chou de bruxelles": "brussels-sprouts", "brocoli": "broccoli-cabbage"}


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)).strip()


def main(data: Path) -> None:
    graph = json.loads((data / "dfc-taxonomies/productTypes.json").read_text())[0]["@graph"]
    products = {}
    for node in graph:
        if SKOS + "prefLabel" not in node:
            continue
        key = node["@id"].split("#")[-1]
        labels = {label["@language"]: label["@value"] for label in node[SKOS + "prefLabel"]}
        broader = [b["@id"].split("#")[-1] for b in node.get(SKOS + "broader", [])]
        products[key] = {"broader": broader[0] if broader else None, "labels": {**labels, **({"nl": NL[key]} if key in NL else {})}}
    by_label = {fold(p["labels"].get("fr", "")): k for k, p in products.items()}
    for item in json.loads((data / "seasonal-calendar-ademe/products.json").read_text()):
        name = fold(item["label"]["fr"])
        key = ADEME_TO_DFC.get(name) or by_label.get(name)
        if key and item.get("local"):
            products[key]["months"] = sorted(m + 1 for m in item["months"])
    OUT.write_text(json.dumps({"source": "DFC product types (AGPL-3.0) e6d5d3d; months: ADEME Mes fruits et légumes de saison (MIT) e0ed308",
                               "products": products}, ensure_ascii=False, indent=0, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
