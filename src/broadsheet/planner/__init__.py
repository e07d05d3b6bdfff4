"""The page planner: where each story and box goes, decided in pure Python.

The engine measures the issue once (`engine/gauge.py` reads a laid-out
document into `Gauges`); the planner simulates the columns and pages
(`columns.py`, `pages.py`), chooses the levers that fill every page
(`search.py`: photo heights and places, spacing, the order of briefs,
pull quotes moved or left out, jump lines: `jumps.py`) and hands back a
`Plan` that the render stage sets as explicit HTML. Nothing here imports the
engine, so a plan is deterministic and cheap to test.
"""
