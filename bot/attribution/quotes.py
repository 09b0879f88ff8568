"""The quote bank: every attributed sentence of an index, filtered by speaker, words and period.

`citebot quotes` renders it; it is also the measuring interface (the records are the format
PolNeAR's scorer reads: body offsets, speaker, how). Speakers are the entity layer's
(`bot.entities`): a sentence is shown under its speaker entity's fullest name in the corpus,
and `--speaker` is linked the way questions are (folded, surname, full name, typos).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel

from bot.index import CorpusIndex
from bot.ingest import HOW_CODES
from bot.periods import Period
from bot.text import fold, name_key, tokenize

if TYPE_CHECKING:
    from bot.retriever import Retriever


class Quote(BaseModel):
    """One attributed sentence (`--json` writes the first six fields, exactly)."""

    article_id: str
    start: int  # offsets into the article body as stored (after the title line and its blank line)
    end: int
    sentence: str
    speaker: str
    how: str
    title: str = ""
    published: date | None = None
    rule: str = ""
    cue: str = ""
    mention: str = ""

    def contract(self, explain: bool = False) -> dict[str, Any]:
        keys = ["article_id", "start", "end", "sentence", "speaker", "how"]
        if explain:
            keys += ["rule", "cue", "mention"]
        return self.model_dump(mode="json", include=set(keys))


@dataclass
class QuoteFilter:
    speaker: str | None = None
    about: str | None = None
    period: Period | None = None


def speaker_rows(index: CorpusIndex, name: str, linker: object | None = None) -> set[int]:
    """Rows of the index's speaker table that `name` means.

    Through the entity linker when there is one (every entity it links, so a surname two people
    share lists both); otherwise a folded match of the name's words against each speaker's.
    """
    if linker is not None:
        link = linker.link(name)  # type: ignore[attr-defined]
        if link.strengths:
            table = linker.table  # type: ignore[attr-defined]
            wanted = set(link.strengths)
            return {row for row, ent in enumerate(table.speaker_entity) if ent in wanted}
    keys = {name_key(w) for w in fold(name).split() if w}
    out = set()
    for row, spk in enumerate(index.speakers):
        have = {name_key(n) for n in spk.get("names", [])}
        if keys and have and keys <= have:
            out.add(row)
    return out


def _article_order(index: CorpusIndex) -> list[int]:
    """Newest article first (undated last), ties in index order."""

    def key(a: int) -> tuple[int, str, int]:
        pub = index.articles[a].get("published") or ""
        return (0 if pub else 1, "".join(chr(0x10FFFF - ord(c)) for c in pub), a)

    return sorted(range(len(index.articles)), key=key)


def list_quotes(
    index: CorpusIndex,
    flt: QuoteFilter | None = None,
    *,
    linker: object | None = None,
    display: list[str] | None = None,
    retriever: Retriever | None = None,
) -> list[Quote]:
    """Every attributed sentence passing the filter, newest article first, article order within one.

    `display` gives each speaker row's name to show (the entity's fullest name); by default the
    row's own. `retriever` (a `bot.retriever.Retriever`) is needed for `about`.
    """
    flt = flt or QuoteFilter()
    spk = np.asarray(index.sent_speaker)
    keep = spk >= 0
    if flt.speaker:
        wanted = speaker_rows(index, flt.speaker, linker)
        keep &= np.isin(spk, np.fromiter(wanted, dtype=np.int64, count=len(wanted)))
    if flt.about:
        if retriever is None:
            raise ValueError("about needs a retriever")
        ids, scores = retriever.scores(tokenize(flt.about))
        hit = np.zeros(len(spk), dtype=bool)
        hit[ids[scores > 0]] = True
        keep &= hit
    names = display or [s["display"] for s in index.speakers]
    rules = index.manifest.attributor.get("rules", [])
    out: list[Quote] = []
    for a in _article_order(index):
        meta = index.articles[a]
        iso = meta["published"]
        published = date.fromisoformat(iso[:10]) if iso else None
        if flt.period is not None and not flt.period.contains(published):
            continue
        rows = index.article_sentences(a)
        chosen = np.flatnonzero(keep[rows.start : rows.stop])
        if not len(chosen):
            continue
        body = index.body(a)
        for k in chosen.tolist():
            i = rows.start + k
            s, e, _ = (int(x) for x in index.sent_span[i])
            where = [int(x) for x in index.sent_where[i]]
            code = int(index.sent_rule[i])
            out.append(
                Quote(
                    article_id=meta["article_id"],
                    start=s,
                    end=e,
                    sentence=body[s:e],
                    speaker=names[int(spk[i])],
                    how=HOW_CODES[int(index.sent_how[i])],
                    title=meta.get("title", ""),
                    published=published,
                    rule=rules[code] if code < len(rules) else "",
                    cue=body[where[0] : where[1]] if where[0] >= 0 else "",
                    mention=body[where[2] : where[3]] if where[2] >= 0 else "",
                )
            )
    return out
