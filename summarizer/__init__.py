"""summarizer: grounded briefs of what news sources agree on, where they conflict, and what one claims."""

from summarizer._version import __version__
from summarizer.config import Settings
from summarizer.errors import SummarizerError
from summarizer.models import Article, Brief
from summarizer.pipeline import summarize

__all__ = ["Article", "Brief", "Settings", "SummarizerError", "__version__", "summarize"]
