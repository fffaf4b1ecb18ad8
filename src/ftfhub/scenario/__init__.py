"""The seeded synthetic world: fighters, innocent travellers and the files five owners keep.

``build_world(out_dir)`` writes a Belgian, a German and a British watchlist, Turkish
deportation notices, captured IS personnel forms (Arabic headers) and a Belgian PIU's flight
manifests, each in its owner's spelling habits, plus ``truth.csv`` naming the person behind
every record. All people are invented from tables of common name parts (``scenario/data``).
"""

from ftfhub.scenario.build import WorldFiles, build_world, plan

__all__ = ["WorldFiles", "build_world", "plan"]
