"""The prompt templates. pyproject.toml installs this folder as the package data `summarizer.prompts_data`."""
