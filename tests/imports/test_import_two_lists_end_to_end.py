"""Two lists of the same buying groups and gardens, kept the way two networks really keep them, through `foodcommons
import` (its management command) on either database: the true pairs merge, the look-alikes at the same commune centroid
stay apart (issue 13)."""

import json

import pytest
from django.core.management import call_command

from foodcommons.imports.models import MatchCandidate, SourceRecord

pytestmark = pytest.mark.django_db

LIEGE = (5.5892929574, 50.632422069)  # a commune centroid: the first list puts every actor of Liège there
FOSSE = (4.6906, 50.4431)
ROSSIGNOL = (5.4836, 49.7204)

# The first list: clean GeoJSON, commune centroids.
CLEAN = [
    ("g1", "GAC de Rossignol (Tintigny)", "gac", ROSSIGNOL),
    ("g2", "GASAP du Laveu", "gac", LIEGE),
    ("g3", "Potager des Tilleuls", "potager", LIEGE),
    ("g4", "Les jardins de Cointe", "potager", LIEGE),
    ("g5", "GAC de Nivelles", "gac", (4.3247, 50.5977)),
    ("g6", "Potager collectif de Fosses-la-Ville", "potager", FOSSE),
    ("g7", "Biomarkt", "potager", LIEGE),
]


def moved(point, east_m, north_m):
    return point[0] + east_m / 70_700, point[1] + north_m / 111_320


# The second list: a CSV of the same actors (names in capitals, without accents, written out, in Dutch, letters
# swapped, parentheses dropped, HTML entities; points moved up to 800 m; no contacts) and of others.
HABITS = [
    ("c1", "GROUPE D&#039;ACHAT COMMUN DE ROSSIGNOL TINTIGNY", "gac", moved(ROSSIGNOL, 500, -300), "g1"),
    ("c2", "Groupe d'achat solidaire de l'agriculture paysanne du Lavue", "gac", moved(LIEGE, -700, 200), "g2"),
    ("c3", "Moestuin des Tilleuls", "potager", moved(LIEGE, 300, 400), "g3"),
    ("c4", "LES JARDINS DE COINTE", "potager", moved(LIEGE, -100, -750), "g4"),
    ("c6", "Potager clolectif de Fosses la Ville asbl", "potager", moved(FOSSE, 600, 0), "g6"),
    # Not in the first list: another garden and another group at the same centroids, another AMAP in Nivelles.
    ("x1", "Potager du Coquelicot", "potager", moved(LIEGE, 200, 100), None),
    ("x2", "GAC Josaphat", "gac", moved(LIEGE, -300, 0), None),
    ("x3", "AMAP de Nivelles", "gac", (4.3290, 50.5990), None),
]


def clean_geojson() -> bytes:
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": list(point)}, "properties": {"id": key, "name": name, "type": kind}}
                for key, name, kind, point in CLEAN]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def habits_csv() -> bytes:
    rows = ["id,name,type,lat,lon"] + [f'{key},"{name}",{kind},{point[1]:.6f},{point[0]:.6f}' for key, name, kind, point, _ in HABITS]
    return ("\n".join(rows) + "\n").encode()


def test_two_lists_with_other_habits_merge_their_true_pairs_and_keep_look_alikes_apart(tmp_path, capsys):
    clean, other = tmp_path / "rcr.geojson", tmp_path / "network.csv"
    clean.write_bytes(clean_geojson())
    other.write_bytes(habits_csv())
    call_command("import", str(clean), "--source", "rcr", "--licence", "CC0-1.0")
    call_command("import", str(other), "--source", "network", "--licence", "CC0-1.0")
    place_of = {(s, e): p for s, e, p in SourceRecord.objects.values_list("source__slug", "external_id", "place_id")}
    for key, name, _kind, _point, same_as in HABITS:
        if same_as:
            assert place_of[("network", key)] == place_of[("rcr", same_as)], f"{name} should have merged into {same_as}"
        else:
            assert place_of[("network", key)] not in {place_of[("rcr", k)] for k, *_ in CLEAN}, f"{name} should stay apart"
    # The other actors at the centroid of Liège do not even wait in the review queue (the AMAP of Nivelles, 300 m from
    # its GAC, may: a person tells).
    look_alikes = {place_of[("network", key)] for key in ("x1", "x2")}
    assert not MatchCandidate.objects.filter(place_a_id__in=look_alikes).exists()
    assert not MatchCandidate.objects.filter(place_b_id__in=look_alikes).exists()
    assert "merged: 5" in capsys.readouterr().out
