"""`citebot ask --explain`: why an answer was given (or declined), for a person to check."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from bot.answering.answerer import Answerer
from bot.answering.citing import Candidate
from bot.answering.questions import analyse
from bot.ingest import HOW_CODES
from bot.terminal import plain


def explain(answerer: Answerer, question: str, console: Console) -> None:
    """Print the question analysis, the subject link, and the top candidates with each feature's share."""
    q = analyse(question)
    console.print("[bold]question analysis[/bold]")
    console.print(
        plain(f"  rule: {q.rule}   kind: {q.kind}   subject: {q.subject or '-'}   verb: {q.verb or '-'}")
    )
    if q.addressee:
        console.print(plain(f"  addressee: {q.addressee}"))
    if q.agent or q.agent_roles:  # the doer asked for: its verb, or the role its holder has
        console.print(plain(f"  doer of: {' '.join([q.agent] if q.agent else list(q.agent_roles))}"))
    if q.kind == "when" and q.tense:
        console.print(plain(f"  tense: {q.tense}"))
    console.print(plain(f"  terms: {' '.join(q.terms) or '-'}"))
    if q.kind == "said":
        console.print(plain(f"  topic terms: {' '.join(q.topic_terms) or '-'}"))
    console.print(plain(f"  names: {', '.join(q.name_groups) or '-'}"))
    trace: list[Candidate] = []
    answer = answerer.answer(question, trace=trace)
    link = answerer.last_link
    if link is not None:
        ents = answerer.entities.entities
        linked = ", ".join(
            f"{ents[e].display} ({s:.2f})"
            for e, s in sorted(link.strengths.items(), key=lambda kv: -kv[1])[:5]
        )
        fixed = "".join(f"; typed {w!r} read as {c!r}" for w, c in link.corrected.items())
        if link.held_roles:  # speaker_link is lowered where a holder was out of these at the date
            fixed += f"; held at the article's date: {' '.join(link.held_roles)}"
        console.print(  # names and typed words are corpus and user text: never markup
            plain(
                f"  subject link: {linked or 'none'}   how: {link.how}   "
                f"confidence: {link.confidence:.2f}{fixed}"
            )
        )
    if answerer.last_retry is not None:  # the attempt before the one shown below
        console.print(plain(f"  retried: {answerer.last_retry}"))
    cited = {c.start_sent for c in answer.citations}
    why = answerer.last_decline
    if why is not None:
        console.print(plain(f"  declined: {why}"))
    if answerer.last_kept is not None:
        console.print(plain(f"  answered: {answerer.last_kept}"))
    if not trace:
        console.print(f"  no candidate sentences; {'declined' if not answer.found else 'answered'}")
        return
    idx = answerer.index
    table = Table(
        "", "bm25", "score", "features (contribution)", "speaker (how; rule)", "sentence", show_lines=False
    )
    for c in trace:
        spk = int(idx.sent_speaker[c.sent])
        how = HOW_CODES[idx.sent_how[c.sent]]
        who = f"{idx.speakers[spk]['display']} ({how}; rule {idx.rule_of(c.sent)})" if spk >= 0 else "-"
        parts = sorted(c.features.items(), key=lambda kv: -abs(kv[1]))
        feats = " ".join(f"{k}={v:+.2f}" for k, v in parts if abs(v) >= 0.01)
        table.add_row(
            "✓" if c.sent in cited else "",
            f"{c.score:.2f}",
            f"{c.rank:.2f}",
            plain(feats),
            plain(who),  # corpus text: no markup, no emoji codes, no control characters
            plain(idx.sentence(c.sent)[:120]),
        )
    console.print("[bold]top candidates[/bold] (✓ = cited)")
    console.print(table)
