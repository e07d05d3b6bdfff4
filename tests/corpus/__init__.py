"""A corpus of generated issues nobody fitted by hand, for judging a page planner.

`generate.corpus(count)` makes the cases (deterministic: each is seeded by its
index), `generate.write_project` writes them into one project folder, and
`python -m tests.corpus.run` (`make corpus`) builds each through the real
pipeline and reports how full its pages are against the targets in
`targets.py`.
"""
