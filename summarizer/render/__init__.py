"""Renderings of a brief: Markdown (`markdown.py`) and the HTML review page (`html.py`).

Each is a pure function of the brief, built from small named section builders listed in order in
one place; what both print alike (headings, what an empty section says, lookups) is in `view.py`.
"""
