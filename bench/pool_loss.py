"""Where each hit@1 miss loses its answer: not retrieved, cut from the pool, or ranked low.

    python bench/pool_loss.py --index /tmp/extra-idx [--also FILE ...] [--show]

For every answerable question whose first citation lacks the expected text, the expected sentences
are looked up in the corpus and in the candidates of the question (`FeatureBuilder.build`'s pool,
then the candidates the answerer ranked after its filters):

- no-sentence: no sentence of the corpus holds the expected text (a splitting or gold problem);
- not-retrieved: no pool holds it;
- cut-from-pool: the pool held it, a filter (date, the subject's own words, …) took it out;
- ranked-low-rightart / -wrongart: ranked, another sentence first, of its article or another one;
- in-pool-declined: ranked, and the question was declined.

A table per set and cause; `--show` prints each pool miss with the question analysis.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.shared_sets import DEV_SETS, SHARED, require_dev_sets
from bot.answering import features as F
from bot.corpus import Corpus


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--also", type=Path, action="append", default=[])
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    require_dev_sets()
    corpus = Corpus(SHARED / "corpus-extra", args.index)
    corpus.open(check_stale=False)
    ans_ = corpus.snapshot.answerer
    idx = ans_.index
    built: list[tuple[F.Query, np.ndarray]] = []
    build = F.FeatureBuilder.build

    def recording(self: F.FeatureBuilder, q: F.Query) -> F.Candidates:
        got = build(self, q)
        built.append((q, got.sents.copy()))
        return got

    F.FeatureBuilder.build = recording  # type: ignore[method-assign]
    texts = [idx.sentence(s) for s in range(idx.n_sentences)]
    table: Counter[tuple[str, str]] = Counter()
    for path in [*DEV_SETS, *args.also]:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            expect = row.get("expect") or []
            if not expect:
                continue
            built.clear()
            ans, _, cands, _ = ans_.answer_with_candidates(row["question"])
            if ans.citations and any(e in ans.citations[0].sentence for e in expect):
                continue
            exp = {s for s, t in enumerate(texts) if any(e in t for e in expect)}
            ranked = {int(s) for s in cands.sents} if cands is not None else set()
            pooled = {int(s) for _, sents in built for s in sents}
            if not exp:
                cause = "no-sentence"
            elif ranked & exp and not ans.found:
                cause = "in-pool-declined"
            elif ranked & exp:
                top = idx.article_ids.get(ans.citations[0].article_id)
                cause = "ranked-low-" + (
                    "rightart" if top in {int(idx.sent_article[s]) for s in exp} else "wrongart"
                )
            else:
                cause = "cut-from-pool" if pooled & exp else "not-retrieved"
            for key in (path.stem, "ALL"):
                table[(key, cause)] += 1
            if args.show and cause in ("not-retrieved", "cut-from-pool", "no-sentence"):
                q = built[0][0] if built else None
                print(f"--- {path.stem} {row.get('id')} {cause}: {row['question']}")
                if q is not None:
                    print(f"    terms={q.terms} topic={q.topic} addressee={q.addressee} period={q.period}")
    for key, cause in sorted(table):
        print(f"{key:28s} {cause:20s} {table[(key, cause)]}")


if __name__ == "__main__":
    main()
