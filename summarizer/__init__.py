"""summarizer: grounded briefs of what news sources agree on, where they conflict, and what one claims."""

from summarizer._version import __version__
from summarizer.config import Settings
from summarizer.errors import SummarizerError
from summarizer.models import Article, Brief, use_markdown_renderer
from summarizer.pipeline import summarize
from summarizer.render.markdown import render_markdown

use_markdown_renderer(render_markdown)  # the models cannot import their renderer (it imports them)

__all__ = ["Article", "Brief", "Settings", "SummarizerError", "__version__", "summarize"]
