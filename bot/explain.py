"""`citebot ask --explain`: why an answer was given (or declined), for a person to check."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from bot.answerer import Answerer, Candidate
from bot.ingest import HOW_CODES
from bot.questions import analyse
from bot.terminal import plain


def explain(answerer: Answerer, question: str, console: Console) -> None:
    """Print the question analysis and the top candidates with their BM25 and answer scores."""
    q = analyse(question)
    console.print("[bold]question analysis[/bold]")
    console.print(f"  kind: {q.kind}   subject: {q.subject or '-'}   verb: {q.verb or '-'}")
    console.print(f"  terms: {' '.join(q.terms) or '-'}")
    if q.kind == "said":
        console.print(f"  topic terms: {' '.join(q.topic_terms) or '-'}")
    console.print(f"  names: {', '.join(q.name_groups) or '-'}")
    trace: list[Candidate] = []
    answer = answerer.answer(question, trace=trace)
    cited = {c.start_sent for c in answer.citations}
    if not trace:
        console.print(f"  no candidate sentences; {'declined' if not answer.found else 'answered'}")
        return
    idx = answerer.index
    table = Table("", "bm25", "answer", "speaker (how)", "article", "sentence", show_lines=False)
    for c in trace:
        spk = int(idx.sent_speaker[c.sent])
        who = f"{idx.speakers[spk]['display']} ({HOW_CODES[idx.sent_how[c.sent]]})" if spk >= 0 else "-"
        art = idx.articles[int(idx.sent_article[c.sent])]["article_id"]
        table.add_row(
            "✓" if c.sent in cited else "",
            f"{c.score:.2f}",
            f"{c.rank:.2f}",
            plain(who),  # corpus text: no markup, no emoji codes, no control characters
            plain(art[-40:]),
            plain(idx.sentence(c.sent)[:120]),
        )
    console.print("[bold]top candidates[/bold] (✓ = cited)")
    console.print(table)
