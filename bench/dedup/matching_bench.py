"""Micro-bench of the pure matching of an import: entities built, then each matched against the index and added.

    .venv/bin/python bench/dedup/matching_bench.py [--records 20000] [--profile] [--decisions FILE]

The records are those of the throughput part of `bench/dedup/run.py` (`build.scaled`, spread over Belgium), read as
the importer reads them (`matching.entity` with the country's vocabulary), in two passes: a first source into an
empty index (each record matched, then added unless merged), then a second source listing the same actors (nearly
every record merges). CPU seconds (`resource.getrusage`) of building the entities and of matching are printed per
pass; `--decisions FILE` writes every decision (record, match, score, verdict, reasons), so that two versions of the
matcher can be compared decision by decision (`cmp`); `--profile` prints the functions that cost most.
"""

import argparse
import cProfile
import json
import os
import pstats
import resource
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))  # first: bench/run.py is another script


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def entities(actors, prefix: str, vocabulary, groups_of) -> list:
    """Return the matching view of each actor, as the importer builds it from a record (one source per pass)."""
    from foodcommons.imports.domain import matching

    shared = matching.shared_points((a.lon, a.lat) for a in actors)
    contacts_of = lambda a: [{"kind": k, "value": v} for k, v in (("phone", a.phone), ("email", a.email), ("website", a.website)) if v]  # noqa: E731
    return [
        matching.entity(("row", prefix + a.key), name=a.name, lon=a.lon, lat=a.lat, street=a.street, house_number=a.number,
                        postcode=a.postcode, locality=a.city, contacts=contacts_of(a), categories=[a.category],
                        groups=groups_of(a.category), weak_location=(round(a.lon, 5), round(a.lat, 5)) in shared,
                        sources={f"source-{prefix}"}, vocabulary=vocabulary)
        for a in actors
    ]


def match_all(items: list, index, out: list) -> None:
    """Match each item against the index as the importer's _resolve does, adding those not merged."""
    from foodcommons.imports.domain import matching

    for me in items:
        found = matching.best_match(me, index, matching.DEFAULT_THRESHOLDS)
        if found:
            out.append([me.key, found[0].key, found[1].score, found[1].verdict, found[1].reasons])
        if not (found and found[1].verdict == "merge"):
            index.add(me)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--decisions", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        from run import DATA, setup

        setup("sqlite", Path(workdir), "")
        import build

        from foodcommons.imports.domain import matching
        from foodcommons.imports.domain.blocking import root_category
        from foodcommons.imports.selectors import matching_vocabulary
        from foodcommons.taxonomy.selectors import category_tree

        tree, vocabulary = category_tree(), matching_vocabulary()
        actors = build.scaled(build.real_actors(DATA), args.records)
        profile = cProfile.Profile() if args.profile else None
        decisions: list = []
        from foodcommons.imports.services.importer import only_new_objects_collected

        index = matching.Index()
        for prefix in ("first-", "second-"):
            started = cpu()
            if profile:
                profile.enable()
            with only_new_objects_collected():  # as the importer runs
                items = entities(actors, prefix, vocabulary, lambda slug: {root_category(tree, slug)})
                built = cpu()
                match_all(items, index, decisions)
            if profile:
                profile.disable()
            done = cpu()
            found = [d for d in decisions if d[0][1].startswith(prefix)]
            print(f"{prefix.rstrip('-')} source, {len(items)} records: entities {built - started:.2f} CPU s, matching {done - built:.2f} CPU s "
                  f"({len(items) / (done - built):.0f} records/CPU s); merges {sum(d[3] == 'merge' for d in found)}, "
                  f"review {sum(d[3] == 'review' for d in found)}; load {os.getloadavg()[0]:.1f}")
        if args.decisions:
            args.decisions.write_text("\n".join(json.dumps(d, default=list) for d in decisions) + "\n")
        if profile:
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
