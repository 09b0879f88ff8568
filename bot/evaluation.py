"""Scoring the answerer on a question file (JSON Lines: question, expect = substrings of the
sentence a correct answer cites first; empty expect = the answer must decline)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from bot.models import Answer


class EvalQuestion(BaseModel):
    question: str
    expect: list[str] = Field(default_factory=list)
    id: str | None = None
    type: str | None = None


class EvalResult(BaseModel):
    item: EvalQuestion
    answer: Answer
    hit_rank: int | None  # 1-based rank of the first citation holding an expected substring
    ok: bool


class EvalReport(BaseModel):
    results: list[EvalResult]

    @property
    def answerable(self) -> list[EvalResult]:
        return [r for r in self.results if r.item.expect]

    @property
    def unanswerable(self) -> list[EvalResult]:
        return [r for r in self.results if not r.item.expect]

    def hits(self, k: int) -> int:
        return sum(1 for r in self.answerable if r.hit_rank is not None and r.hit_rank <= k)

    @property
    def declined(self) -> int:
        return sum(1 for r in self.unanswerable if not r.answer.found)

    def by_type(self) -> dict[str, tuple[int, int, int]]:
        """type → (hit@1, hit@3, count) over answerable questions; 'decline' → (declined, -, count)."""
        out: dict[str, list[int]] = {}
        for r in self.results:
            t = r.item.type or r.answer.kind
            if not r.item.expect:
                t = "decline"
            row = out.setdefault(t, [0, 0, 0])
            row[2] += 1
            if not r.item.expect:
                row[0] += not r.answer.found
                row[1] += not r.answer.found
            else:
                row[0] += r.hit_rank == 1
                row[1] += r.hit_rank is not None and r.hit_rank <= 3
        return {k: (v[0], v[1], v[2]) for k, v in sorted(out.items())}


#: Pydantic error types as the words a question-file author needs ("expect must be a list").
_PROBLEMS = {
    "missing": "is missing",
    "list_type": "must be a list",
    "string_type": "must be a string",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
}


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read a question file; a bad line raises ValueError naming its line and the problem, in one line."""
    items = []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    for no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(EvalQuestion.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: line {no}: not JSON ({exc.msg} at column {exc.colno})") from None
        except ValidationError as exc:
            raise ValueError(f"{path}: line {no}: {_problem(exc)}") from None
    if not items:  # a gate passed on no questions would pass on anything
        raise ValueError(f"{path}: no questions in it")
    return items


def _problem(exc: ValidationError) -> str:
    """The first thing wrong with a record, as `expect must be a list` or `expect[1] must be a string`."""
    e = exc.errors()[0]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e["loc"]).lstrip(".")
    what = _PROBLEMS.get(e["type"], e["msg"][:1].lower() + e["msg"][1:])
    return f"{where} {what}" if where else f"the record {what}"


def hit_rank(answer: Answer, expect: list[str]) -> int | None:
    for rank, c in enumerate(answer.citations, 1):
        if any(e in c.sentence for e in expect):
            return rank
    return None


def evaluate(items: list[EvalQuestion], ask: Callable[[str], Answer]) -> EvalReport:
    results = []
    for item in items:
        ans = ask(item.question)
        rank = hit_rank(ans, item.expect) if item.expect else None
        ok = rank == 1 if item.expect else not ans.found
        results.append(EvalResult(item=item, answer=ans, hit_rank=rank, ok=ok))
    return EvalReport(results=results)
