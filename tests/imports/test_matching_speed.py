"""The pruned search of best_match gives what comparing every blocking candidate gives (pure, no database)."""

import random

import pytest

from foodcommons.imports.domain.matching import (
    DEFAULT_THRESHOLDS,
    Index,
    Thresholds,
    at_one_spot,
    best_match,
    compare,
    entity,
    lone_namesake,
    one_spot_choice,
    tie_preference,
)

WORDS = ["Josaphat", "Cailles", "Tilleuls", "Moulin", "Source", "Helmet", "Bocage", "Vallée", "Coquelicot", "Tivoli"]
STREETS = ["Rue Josaphat", "Rue Josafat", "Avenue de la Houlette", "Chaussée de Wavre", ""]


def every_candidate(item, index, thresholds):
    """The search before pruning: compare with every candidate, keep the highest rounded score that reaches review (of
    equals the one tie_preference prefers, else the first), then choose among it and those at one spot with it."""
    best = None
    common, candidates = index.common_tokens(item), index.candidates(item)
    lone = lone_namesake(item, candidates)
    for other in candidates:
        decision = compare(item, other, thresholds, common=common, lone=other is lone)
        preference = tie_preference(item, other, common)
        if decision.verdict != "apart" and (best is None or decision.score > best[1].score or (decision.score == best[1].score and preference > best[2])):
            best = (other, decision, preference)
    if best is None:
        return None
    rivals = [(o, d.score) for o in at_one_spot(best[0], candidates)
              if (d := compare(item, o, thresholds, common=common, lone=o is lone)).verdict != "apart"]
    chosen = one_spot_choice(item, [(best[0], best[1].score), *rivals], common) if rivals else best[0]
    return chosen, compare(item, chosen, thresholds, common=common, lone=chosen is lone)


def random_entity(key, rng: random.Random):
    """An entity near one of a few towns or anywhere in Belgium, sometimes at a centroid or without a point."""
    town = rng.choice([(4.35, 50.85), (5.57, 50.63), (4.87, 50.47), (5.5, 49.7)])
    spread = rng.choice([0.002, 0.02, 0.3, 1.5])
    located = rng.random() > 0.05
    contacts = [{"kind": "email", "value": f"{rng.choice(WORDS).lower()}@example.be"}] if rng.random() < 0.2 else []
    return entity(
        key, name=f"{rng.choice(['GASAP ', 'Potager ', 'Ferme ', ''])}{rng.choice(WORDS)} {rng.choice(['', '', 'asbl', str(rng.randint(1, 3))])}",
        lon=town[0] + rng.uniform(-spread, spread) if located else None, lat=town[1] + rng.uniform(-spread, spread) if located else None,
        weak_location=rng.random() < 0.1, street=rng.choice(STREETS), house_number=rng.choice(["", "1", "12"]),
        postcode=rng.choice(["", "", "1030", "1170", "4000"]), locality=rng.choice(["", "Schaerbeek", "Liège"]), contacts=contacts,
        categories=[rng.choice(["csa", "community-garden", "farm"])], groups=[rng.choice(["short-chains", "gardens"])],
        sources=[rng.choice(["a", "b", "c"])],
    )


@pytest.mark.parametrize("thresholds", [DEFAULT_THRESHOLDS, Thresholds(merge=5, review=1), Thresholds(merge=9, review=5)])
def test_the_pruned_search_finds_the_same_match_and_reasons_as_comparing_every_candidate(thresholds):
    rng, index = random.Random(4), Index(max_token_share=60)
    for n in range(1500):
        item = random_entity(n, rng)
        expected, found = every_candidate(item, index, thresholds), best_match(item, index, thresholds)
        assert (found and (found[0].key, found[1])) == (expected and (expected[0].key, expected[1]))
        index.add(item)


def test_a_distant_namesake_with_the_same_postcode_and_street_is_still_found():
    index = Index()
    far = entity(1, name="Ferme du Moulin", lon=5.9, lat=49.7, postcode="6700", street="Rue du Moulin", house_number="3", categories=["farm"], sources=["a"])
    index.add(far)
    probe = entity(
        2, name="Ferme du Moulin", lon=4.35, lat=50.85, postcode="6700", street="Rue du Moulin", house_number="3", categories=["farm"], sources=["b"]
    )
    other, decision = best_match(probe, index)
    assert other.key == 1 and decision.verdict == "review" and any(r.startswith("distant") for r in decision.reasons)


@pytest.mark.parametrize("cutoff", [50.0 - 1e-6, 70.0 - 1e-6])
def test_names_found_alike_in_bulk_are_those_whose_token_set_ratio_or_ratio_reaches_the_cutoff(cutoff):
    from rapidfuzz import fuzz

    from foodcommons.imports.domain.matching import _alike_positions

    rng = random.Random(9)
    words = ["moulin", "mouiln", "source", "ferme", "bocage", "tivoli", "vallee", "helmet", "a", "zz"]
    others = [entity(n, name=" ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))) for n in range(400)]
    for probe in others[:60]:
        expected = {k for k, o in enumerate(others)
                    if max(fuzz.ratio(probe.name, o.name), fuzz.token_set_ratio(probe.name, o.name)) >= cutoff}
        assert _alike_positions(probe.name, [o.name for o in others], cutoff) == expected
