"""Consensus: group claims about the same fact across sources and judge each group.

The stages, one module each: `values` reads typed figures, dates and names from a quote; `frames`
says what each figure counts, whose and when; `similarity` weighs shared wording; `grouping` ties
claims of different sources into groups; `judging` marks each group agree / conflict / single;
`names`, `dating` and `figures` hold the comparisons judging and grouping share; `topics` names a
group for an editor.
"""

from summarizer.consensus.grouping import group_claims, near_misses
from summarizer.consensus.judging import compare, judge

__all__ = ["compare", "group_claims", "judge", "near_misses"]
