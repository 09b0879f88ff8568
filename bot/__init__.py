"""citebot: answers questions about a news corpus with cited, verbatim sentences."""

__version__ = "0.1.0"
