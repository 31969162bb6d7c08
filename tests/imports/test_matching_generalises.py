"""The rules that make matching hold on lists unlike our own (issue 13): abbreviations both ways, a second language,
generic and place words, commune centroids, approximate points, letters swapped (pure, no database)."""

from foodcommons.imports.domain.matching import Entity, Index, best_match, compare, entity, normalise_name
from foodcommons.imports.domain.names import Vocabulary, read_name

PLACES = Vocabulary.of(places=["Nivelles", "Rixensart", "Rossignol", "Tintigny", "Biez", "Liège", "Schaerbeek", "Leuze", "Louvain"],
                       streets=[("Leuvensesteenweg", "Chaussée de Louvain"), ("Walckiersstraat", "Rue Walckiers")])
LIEGE = (5.5892929574, 50.632422069)  # the RCR list's centroid of Liège, where 39 of its records lie


def group(key, name, *, at=LIEGE, weak=False, source="a", category="buying-group", group_="short-chains", **extra):
    return entity(key, name=name, lon=at[0], lat=at[1], weak_location=weak, categories=[category], groups=[group_], sources=[source],
                  vocabulary=PLACES, **extra)


def moved(metres_east: float, metres_north: float = 0.0, origin=LIEGE) -> tuple[float, float]:
    return origin[0] + metres_east / 70_700, origin[1] + metres_north / 111_320


def test_a_gac_written_out_matches_its_abbreviation():
    assert normalise_name("Groupe d'achat commun de Rossignol (Tintigny)") == normalise_name("GAC de Rossignol Tintigny") == "rossignol tintigny"
    assert normalise_name("Groupe d'achat solidaire de l'agriculture paysanne du Chant des Cailles") == normalise_name("GASAP du Chant des Cailles")
    assert read_name("Groupe d'achat commun de Nivelles").kinds == read_name("GAC de Nivelles").kinds == ("gac",)
    written = group(1, "GROUPE D'ACHAT COMMUN DE LA VACHE", at=moved(600), source="csv")
    assert compare(written, group(2, "GAC de la Vache", weak=True)).verdict == "merge"


def test_a_legal_form_written_out_or_in_dutch_says_nothing():
    assert normalise_name("Potager de l'association sans but lucratif Humus") == normalise_name("Potager Humus asbl") == normalise_name("Humus vzw")


def test_the_same_actor_named_in_dutch_and_in_french_matches():
    assert normalise_name("Vrijdagmarkt") == normalise_name("Marché du vendredi") == "vendredi"
    assert read_name("Collectieve moestuin Humus").kinds == ("collectif", "potager")
    assert normalise_name("Buurtcompost Walckiersstraat", PLACES) == normalise_name("Compost de quartier Rue Walckiers", PLACES) == "walckiers"
    assert normalise_name("Buurtcompost Leuvensesteenweg", PLACES) == normalise_name("Compost Chaussée de Louvain", PLACES) == "louvain"


def test_html_entities_escaped_twice_or_put_in_capitals_are_decoded():
    assert normalise_name("COMIT&EACUTE; CIT&EACUTE;") == normalise_name("Comit&eacute; Cit&eacute;") == "comite cite"
    assert normalise_name("L&amp;#039;Épi") == "epi"


def test_a_slip_in_a_generic_word_still_reads_as_that_word():
    assert normalise_name("Gorupe d'achat commun de Rossignol") == normalise_name("Groupe d'acaht commun de Rossignol") == "rossignol"
    assert read_name("Potager clolectif Humus").kinds == ("potager",)
    assert normalise_name("Woensdagmarhcé") == normalise_name("Woensdagmarkt") == "mercredi"


def test_letters_swapped_in_a_name_still_agree():
    decision = compare(group(1, "GAS Beiz", at=moved(300), source="csv"), group(2, "GAS Biez", weak=True))
    assert decision.verdict == "merge" and "names agree (0.96)" in decision.reasons
    assert compare(group(1, "Ferme Evrrad", at=moved(500)), group(2, "Ferme Evrard", source="b")).verdict == "merge"


def test_two_gardens_at_one_commune_centroid_with_different_names_are_not_merged():
    a = group(1, "Potager des Tilleuls", weak=True, category="community-garden", group_="gardens")
    b = group(2, "Potager du Coquelicot", at=moved(200), source="b", category="community-garden", group_="gardens")
    assert compare(a, b).verdict == "apart"


def test_a_kind_of_actor_and_a_commune_do_not_identify_one():
    assert compare(group(1, "GAC de Nivelles", weak=True), group(2, "AMAP de Nivelles", at=moved(300), source="b")).verdict == "apart"
    assert compare(group(1, "GAC de Rixensart", weak=True), group(2, "GAC Rixensart gare", at=moved(300), source="b")).verdict == "apart"
    # The same kind and the same village: one group.
    assert compare(group(1, "GAC de Rossignol", weak=True), group(2, "Groupe d'achat commun de Rossignol", at=moved(300), source="b")).verdict == "merge"


def test_a_point_moved_800_metres_still_merges_a_distinctive_name():
    decision = compare(group(1, "Ferme de la Vache"), group(2, "FERME DE LA VACHE", at=moved(560, 560), source="b"))
    assert decision.verdict == "merge" and any(r.startswith("close (79") for r in decision.reasons)


def test_a_name_made_only_of_generic_words_merges_only_when_it_is_the_only_one_around():
    market, here = group(1, "Markt", category="market"), group(2, "Marché", at=moved(500), source="b", category="market")
    assert compare(here, market).verdict == "review" and "same name, only generic words" in compare(here, market).reasons
    index = Index()
    index.add(market)
    other, decision = best_match(here, index)
    assert other.key == 1 and decision.verdict == "merge" and "the only one of its name nearby" in decision.reasons
    index.add(group(3, "Marché", at=moved(-400), source="c", category="market"))
    assert best_match(here, index)[1].verdict == "review"  # two markets around: a person decides


def test_a_word_many_names_of_the_lists_bear_does_not_identify_by_containment():
    index = Index()
    for key, name in enumerate(["Compost Parc Josaphat", "Compost Coteaux-Josaphat Kessels", "Compost Coteaux-Josaphat Deschanel"]):
        index.add(group(key, name, at=moved(100 * key, origin=(4.3775, 50.8676)), category="neighbourhood-compost", group_="compost-recovery"))
    probe = group(9, "Buurtcompost Josaphatstraat", weak=True, at=(4.3775, 50.8676), source="b", category="neighbourhood-compost", group_="compost-recovery")
    assert index.common_tokens(probe) == {"josaphat"}
    found = best_match(probe, index)
    assert found is None or found[1].verdict != "merge"


def test_a_slip_in_a_name_does_not_hide_a_record_at_a_commune_centroid():
    index = Index()
    index.add(group(1, "GAC de Bousval", weak=True))
    other, decision = best_match(group(2, "GAC de Bousavl", at=moved(700), source="b"), index)
    assert other.key == 1 and decision.verdict == "merge"


def test_at_a_commune_centroid_the_same_address_stands_in_for_the_point():
    centre = (4.3775, 50.8676)
    listed = group(1, "Compost de quartier Bienfaiteurs Avenue Ernest Cambier", at=moved(900, origin=centre), street="Avenue Ernest Cambier",
                   house_number="12", category="neighbourhood-compost", group_="compost-recovery")
    on_centre = group(2, "Buurtcompost Ernest Cambierlaan", at=centre, weak=True, source="b", street="Ernest Cambierlaan", house_number="12",
                      category="neighbourhood-compost", group_="compost-recovery")
    decision = compare(on_centre, listed)
    assert decision.verdict == "merge" and "same address at a commune centroid" in decision.reasons


def test_two_records_of_one_source_need_stronger_evidence_to_reach_review():
    a, b = group(1, "GAC Tilleuls", source="a"), group(2, "GAC Tilleul", at=moved(1500), source="a")
    assert compare(a, b).score >= 3 and compare(a, b).verdict == "apart"
    assert compare(a, group(3, "GAC Tilleuls", at=moved(1500), source="other")).verdict == "review"


def test_a_slip_inside_a_dutch_street_name_still_finds_the_street_in_french():
    assert normalise_name("BUURTCOMPOST LEUEVNSESTEENWEG", PLACES) == normalise_name("Compost Chaussée de Louvain", PLACES)
    assert PLACES.street_despite_slip("walckierstraat") == ("rue", "walckiers")
    assert PLACES.street_despite_slip("kesselsstraat") is None  # no street of the table one slip away


def test_dutch_words_of_street_names_missing_from_the_table_still_read_in_french():
    assert normalise_name("Buurtcompost Grote Bosstraat", PLACES) == normalise_name("Compost Grande Rue au Bois", PLACES) == "grande bois"


def test_a_place_name_that_names_a_street_is_no_place_and_identifies_at_a_commune_centroid():
    street = read_name("Compost de quartier Bienfaiteurs Chaussée de Louvain", PLACES)
    assert "louvain" in street.identity and read_name("Marché de Louvain", PLACES).identity == frozenset()
    centre = (4.3775, 50.8676)
    listed = group(1, "Compost de quartier Bienfaiteurs Chaussée de Louvain", at=moved(1200, origin=centre), street="Chaussée de Louvain",
                   house_number="266", category="neighbourhood-compost", group_="compost-recovery")
    on_centre = group(2, "BUURTCOMPOST LEUEVNSESTEENWEG", at=centre, weak=True, source="b", street="Leuvensesteenweg", house_number="266",
                      category="neighbourhood-compost", group_="compost-recovery")
    assert compare(on_centre, listed).verdict == "merge"


def test_two_records_of_one_list_named_as_two_kinds_of_actor_are_not_proposed_as_one():
    assert read_name("Boerenmarkt Vallon").kinds == read_name("Marché fermier du Vallon").kinds == ("marche", "ferme")
    market = group(1, "Marché Vallon", category="market", source="b")
    farmers = group(2, "Boerenmarkt Vallon", at=moved(500, 280), category="market", source="b")
    decision = compare(market, farmers)
    assert decision.score >= 5 and decision.verdict == "apart" and "the source names them as two kinds of actor" in decision.reasons
    index = Index()
    index.add(market)
    assert best_match(farmers, index) is None
    # One kind in two languages in one list, or the two kinds from two lists (which write kind words at will): asked or merged.
    assert compare(market, group(3, "Markt Vallon", at=moved(500, 280), category="market", source="b")).verdict == "review"
    assert compare(market, group(4, "Boerenmarkt Vallon", at=moved(500, 280), category="market", source="c")).verdict == "merge"


HERENT = (4.6839062, 50.9171933)


def ten_halve_farm() -> tuple[Index, Entity, Entity]:
    """Two OpenStreetMap objects of one farm 17 m apart: its potato vending machine and its butcher's shop."""
    vending = group(1, "Ten Halve", at=HERENT, category="farm-shop", source="osm")
    butcher = group(2, "Hoeveslagerij Ten Halve", at=moved(-16, 9, origin=HERENT), category="farm-shop", source="osm")
    index = Index()
    for item in (vending, butcher):
        index.add(item)
    return index, vending, butcher


def test_of_two_places_at_one_spot_the_record_is_the_one_it_is_named_as_not_the_one_a_few_metres_nearer():
    index, vending, butcher = ten_halve_farm()
    for name in ("Fermeslagerij Ten Halve", "Fermeslageirj Ten Halve"):  # as written, and with a slip
        record = group(3, name, at=moved(40, 42, origin=HERENT), category="farm-shop", source="b")
        to_vending, to_butcher = compare(record, vending), compare(record, butcher)
        # The name contained in the record's (+4) at the same spot (59 m: +3) scores at least the named one 65 m away (+2).
        assert to_vending.score >= to_butcher.score and to_butcher.verdict == "merge"
        assert any(r.startswith("same spot") for r in to_vending.reasons) and any(r.startswith("close") for r in to_butcher.reasons)
        assert best_match(record, index)[0].key == 2


def test_places_a_little_more_than_the_same_spot_apart_are_still_told_apart_by_distance():
    _, vending, _ = ten_halve_farm()
    butcher_farther = group(4, "Hoeveslagerij Ten Halve", at=moved(-150, 0, origin=HERENT), category="farm-shop", source="osm")
    index = Index()
    for item in (vending, butcher_farther):
        index.add(item)
    record = group(5, "Fermeslageirj Ten Halve", at=moved(40, 42, origin=HERENT), category="farm-shop", source="b")
    assert best_match(record, index)[0].key == 1  # 8 (same spot) against 7 (close): the nearer, as before


def test_of_two_candidates_of_equal_score_named_alike_the_nearer_wins():
    index, _, _ = ten_halve_farm()
    index.add(group(4, "Fermeslagerij Ten Halve", at=moved(600, origin=HERENT), category="farm-shop", source="other"))
    record = group(5, "Fermeslagerij Ten Halve", at=moved(400, 300, origin=HERENT), category="farm-shop", source="b")
    assert best_match(record, index)[0].key == 4
