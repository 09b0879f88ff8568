"""The entity layer: people and organisations of the corpus, and linking question subjects to them."""

from bot.entities.link import Link, SubjectLinker
from bot.entities.table import Entity, EntityTable, build_entities
from bot.text import name_key

__all__ = ["Entity", "EntityTable", "Link", "SubjectLinker", "build_entities", "name_key"]
