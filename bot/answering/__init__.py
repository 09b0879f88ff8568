"""Answering questions from an index: question analysis, candidate features, one fitted scorer, per-kind
strategies. Pure core: nothing here knows of Slack or the terminal."""

from bot.answering.answerer import Answerer
from bot.answering.citing import Candidate

__all__ = ["Answerer", "Candidate"]
