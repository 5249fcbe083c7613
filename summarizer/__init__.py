"""summarizer: grounded briefs of what news sources agree on, where they conflict, and what one claims."""

from summarizer.config import Settings
from summarizer.errors import SummarizerError
from summarizer.models import Article, Brief
from summarizer.pipeline import summarize

__all__ = ["Article", "Brief", "Settings", "SummarizerError", "summarize"]
__version__ = "0.1.0"
