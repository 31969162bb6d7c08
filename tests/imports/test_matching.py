from foodcommons.imports.domain.matching import Index, Thresholds, best_match, compare, entity, normalise_name, shared_points, website_host


def gasap(key, name="GASAP du Chant des Cailles", lon=4.4305, lat=50.8204, **extra):
    return entity(key, name=name, lon=lon, lat=lat, categories=extra.pop("categories", ["csa"]), groups=extra.pop("groups", ["short-chains"]), **extra)


def test_names_lose_accents_case_entities_generic_words_and_abbreviations():
    assert normalise_name("GASAP de l&#039;Écluse asbl") == "ecluse"
    assert normalise_name("Épicerie St-Gilles") == normalise_name("epicerie saint gilles")
    assert normalise_name("GASAP") == "gasap"  # a name made only of generic words keeps them


def test_shared_hosts_say_nothing_about_identity():
    assert website_host("https://www.facebook.com/gasap") == ""
    assert website_host("http://WWW.Gasap.be/x") == "gasap.be"


def test_the_same_actor_described_by_two_sources_merges_and_says_why():
    a = gasap(1, contacts=[{"kind": "email", "value": "cailles@gasap.be"}], postcode="1170", sources=["osm"])
    b = gasap(2, name="Gasap Chant-des-Cailles", lon=4.4307, lat=50.8205, contacts=[{"kind": "email", "value": "Cailles@gasap.be"}],
              postcode="1170", sources=["rcr"])
    decision = compare(a, b)
    assert decision.verdict == "merge"
    assert "same e-mail" in decision.reasons and "same postcode" in decision.reasons and any(r.startswith("same spot") for r in decision.reasons)


def test_look_alike_neighbours_stay_apart():
    a = gasap(1, name="GASAP Josaphat", sources=["osm"])
    b = gasap(2, name="GASAP Helmet", lon=4.3700, lat=50.8700, sources=["rcr"])
    assert compare(a, b).verdict == "apart"


def test_the_same_name_more_than_a_kilometre_away_without_other_evidence_goes_to_review_not_merge():
    a = gasap(1, sources=["osm"])
    b = gasap(2, name="Chant des Cailles", lon=4.4390, lat=50.8340, sources=["rcr"])
    assert compare(a, b).verdict == "review"


def test_a_commune_centroid_is_weak_evidence_and_the_name_decides():
    precise = gasap(1, sources=["osm"])
    centroid = gasap(2, lon=4.44, lat=50.83, weak_location=True, sources=["rcr"])
    decision = compare(precise, centroid)
    assert "same commune area (centroid coordinates, weak)" in decision.reasons and "names agree at a commune centroid" in decision.reasons
    assert decision.verdict == "merge"
    elsewhere = gasap(3, name="GASAP Tilleuls", lon=4.44, lat=50.83, weak_location=True, sources=["rcr"])
    assert compare(precise, elsewhere).verdict == "apart"


def test_two_records_of_one_source_are_never_merged_automatically():
    a = gasap(1, sources=["rcr"], postcode="1170")
    b = gasap(2, sources=["rcr"], postcode="1170")
    decision = compare(a, b)
    assert decision.verdict == "review" and "both from the same source" in decision.reasons


def test_thresholds_are_configurable():
    a, b = gasap(1, sources=["a"]), gasap(2, name="Chant des Cailles", sources=["b"])
    assert compare(a, b, Thresholds(merge=3, review=1)).verdict == "merge"
    assert compare(a, b, Thresholds(merge=50, review=40)).verdict == "apart"


def test_blocking_finds_near_or_name_sharing_entities_and_skips_excluded_pairs():
    index = Index()
    near = gasap(1, sources=["x"])
    named = gasap(2, lon=5.9, lat=49.7, weak_location=True, sources=["x"])
    far = gasap(3, name="Ferme Rose", lon=5.9, lat=49.7, sources=["x"])
    for item in (near, named, far):
        index.add(item)
    probe = gasap("new", sources=["y"])
    assert {e.key for e in index.candidates(probe)} == {1, 2}
    other, decision = best_match(probe, index)
    assert other.key == 1 and decision.verdict == "merge"
    assert best_match(probe, index, excluded={("new", 1), ("new", 2)}) is None


def test_points_shared_by_several_records_are_centroids():
    points = [(4.1, 50.1)] * 3 + [(4.2, 50.2)]
    assert shared_points(points) == {(4.1, 50.1)}
