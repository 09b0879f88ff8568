"""Sentence splitting that keeps each sentence's exact text and its offsets in the article body.

A rule splitter of our own, modelled on pysbd's English rules (which keep `Jan. 3`, `U.S.`,
`Mr. Smith`, initials and multi-sentence quotations whole: a quote split in two loses its
speaker), but about 50 times faster: pysbd rewrites the text through dozens of regex passes
per paragraph (≈ 0.15 MB/s), far too slow for a corpus of 100+ MB. Here one regex finds the
candidate full stops of a line and a few cheap checks per candidate decide, so a sentence is
always `body[start:end]` verbatim. `bench/compare_splitters.py` measures agreement with pysbd.

Where we part from pysbd on purpose: a closing quote right after a sentence's last full stop
stays with that sentence (pysbd starts the next "sentence" with it when the quote has no
opening mark in the same paragraph, as in the last paragraph of a long quotation).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from bot import lexicon


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# pysbd's English abbreviation lists (pysbd.lang.common.standard.Standard.Abbreviation).
ABBREVIATIONS = _wordset(
    "adj adm adv al ala alta apr arc ariz ark art assn asst attys aug ave bart bld bldg blvd brig bros btw"
    " cal calif capt cl cmdr co col colo comdr con conn corp cpl cres ct d.phil dak dec del dept det dist dr"
    " dr.phil dr.philos drs e.g ens esp esq etc exp expy ext feb fed fla ft fwy fy ga gen gov hon hosp hr"
    " hway hwy i.e ia id ida ill inc ind ing insp is jan jr jul jun kan kans ken ky la lt ltd maj man mar"
    " mass may md me med messrs mex mfg mich min minn miss mlle mm mme mo mont mr mrs ms msgr mssrs mt mtn"
    " neb nebr nev no nos nov nr oct ok okla ont op ord ore p pa pd pde penn penna pfc ph ph.d pl plz pp prof"
    " pvt que rd rs ref rep reps res rev rt sask sec sen sens sep sept sfc sgt sr st supt surg tce tenn tex"
    " univ usafa u.s ut va v ver viz vs vt wash wis wisc wy wyo yuk fig"
)
#: Titles that come before a name: never the end of a sentence when a space follows.
PREPOSITIVE = _wordset(
    "adm attys brig capt cmdr col cpl det dr gen gov ing lt maj mr mrs ms mt messrs mssrs prof ph rep reps"
    " rev sen sens sgt st supt v vs fig"
)
#: Abbreviations that stand before a number (`No. 3`, `pp. 12`).
NUMBER_ABBR = _wordset("art ext no nos p pp")
#: After `U.S.` or a single `I.`, these words start a new sentence (pysbd's SENTENCE_STARTERS).
_STARTERS = (
    "A Being Did For He How However I In It Millions More She That The There They We What When Where Who Why"
)

_LINE = re.compile(r"[^\r\n]+")
_TERMS = re.compile(r"[.!?]+")
_WORD_CH = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_DIGITS = frozenset("0123456789")
_CLOSERS = "”\"'’)]»"
_QUOTE_MARKS = "”“\"'"
_WORD_BEFORE = re.compile(r"(?:^|(?<=\s))(\S+)\Z")
_MULTI_PERIOD = re.compile(r"(?:^|(?<=\W))[A-Za-z](?:\.[A-Za-z])+\Z")
_ABBR_NEXT = re.compile(r"[.:\-?,]|\s(?:[a-z]|I\s|I'm|I'll|\d|\()")
_NUMBER_NEXT = re.compile(r"\s\d|\s+\(")
_STARTER_NEXT = re.compile(rf"\s(?:{'|'.join(_STARTERS.split())})\s")
_CAP_NEXT = re.compile(r"\s[A-Z]")
_NEXT_WORD = re.compile(r"\s([A-Za-z]+)\b")
#: Capitalised words that go on a clock time ("at 9 a.m. Eastern" is one sentence).
_AFTER_CLOCK = lexicon.words("calendar.words.after_clock")
_SPACE_CAP = re.compile(r"\s+[A-Z]")
_LOWER_NEXT = re.compile(r",?\s[a-z]")
_COLON_DIGIT = re.compile(r":\d")
_FILE_EXT = re.compile(
    r"(?:jpe?g|png|gif|tiff?|pdf|ps|docx?|xlsx?|svg|bmp|tga|exif|odt|html?|txt|rtf|bat|sxw|xml|zip|exe|msi|"
    r"blend|wmv|mp[34]|pptx?|flac|rb|cpp|cs|js)\s"
)
_PARENS_BETWEEN_QUOTES = re.compile(r"[\"”]\s\(.*\)\s[\"“]")
_PAREN_CLOSE_QUOTE = re.compile(r"\)\s[\"“]")
_LIST_ITEM = re.compile(r"(?<=\s)(\d{1,2})\)\s")  # " 2) ": pos is the digit's offset
_TWO_SOLID = re.compile(r"\S\S")
_SPACED_ELLIPSIS = re.compile(r"(?:\s\.){3}\s")
# Spans inside which . ! ? never end a sentence (pysbd's BetweenPunctuation), by opening and
# closing mark. Each pattern ends with its closing mark, so no match runs past the last one.
_REGIONS = (
    ("“", "”", re.compile(r"“[^”]*”")),
    ("(", ")", re.compile(r"\([^()]*\)")),
    ("[", "]", re.compile(r"\[[^\]]*\]")),
    ("‘", "’", re.compile(r"(?<=\s)‘(?:[^’]|’[a-zA-Z])*’")),
    ("'", "'", re.compile(r"(?<=\s)'(?:[^']|'[a-zA-Z])*'")),
    ("«", "»", re.compile(r"«[^»]*»")),
    ("--", "--", re.compile(r"--[^-]*--")),
)
# A quotation or parenthesis that opens a sentence and is followed by a capital is a sentence.
_LEADING_GROUP = re.compile(
    r"“[^”]*[^,”]”(?=\s[A-Z])|\"[^\"]*[^,\"]\"(?=\s[A-Z])"
    r"|\((?![mdclxvi]+\))[^)]{2,}\)(?=\s[A-Z])"  # not a roman list number: "(ii) The Director …"
)


#: Characters after which a straight quote mark opens a quotation (`he said "we` , `("We`).
_BEFORE_OPENING = frozenset(" \t([{—–-/")


def _straight_quotes(line: str) -> list[tuple[int, int]]:
    """Spans of the line's straight-quoted passages, each `"` read as opening or closing by what
    stands either side of it (as curly quotes say outright), not by counting.

    Counting pairs the marks of a paragraph in order, so a paragraph that goes on with a quotation
    opened in an earlier one (`…every house," Valerii Zaluzhnyi stressed. For his part, … "So that …`)
    or one whose closing mark the source dropped protects everything between the wrong pair: the
    narration becomes one long "sentence" under the wrong speaker. A mark after a word and before a
    space (or the line's end) closes the innermost open quotation, and one with none open closes a
    quotation opened before the line; a mark after a space and before a word opens one, inside any
    open one (`our "Naftogaz" and`); a mark neither reading settles closes when one is open. A
    quotation never closed protects nothing."""
    spans: list[tuple[int, int]] = []
    opened: list[int] = []
    pos = line.find('"')
    while pos >= 0:
        before = line[pos - 1] if pos else " "
        after = line[pos + 1] if pos + 1 < len(line) else " "
        after_word = before not in _BEFORE_OPENING
        before_word = not after.isspace()
        if before_word and not after_word:
            opened.append(pos)
        elif opened:
            spans.append((opened.pop(), pos + 1))
        elif not (after_word and not before_word):
            opened.append(pos)  # neither reading, none open: it opens
        pos = line.find('"', pos + 1)
    return spans


def _regions(line: str) -> tuple[list[int], list[int]]:
    """Sorted starts and ends of the protected spans of a line (quotes, brackets)."""
    found: list[tuple[int, int]] = _straight_quotes(line) if '"' in line else []
    for opener, closer, pattern in _REGIONS:
        if opener in line:
            # Searched only up to the last closing mark: an opening mark with none after it would
            # otherwise be scanned to the end of the line, once per opening mark (quadratic).
            last = line.rfind(closer)
            if last >= 0:
                found.extend(m.span() for m in pattern.finditer(line, 0, last + len(closer)))
    if " ." in line:
        found.extend(m.span() for m in _SPACED_ELLIPSIS.finditer(line))
    if not found:
        return [], []
    found.sort()
    starts, ends = [found[0][0]], [found[0][1]]
    for s, e in found[1:]:
        if s < ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _period_ends(line: str, i: int) -> bool:
    """Whether the single full stop at `line[i]` ends a sentence (pysbd's period rules)."""
    n = len(line)
    prev = line[i - 1] if i else ""
    nxt = line[i + 1] if i + 1 < n else ""
    if nxt in _DIGITS and nxt:
        return False  # 3.5, .5
    after = line[i + 1 : i + 4].lstrip()[:1]
    if after and (after in "—–" or after.islower()):
        return False  # "Martin Luther King, Jr. — a bill …", "the U.S. officials": no new sentence
    if prev in _WORD_CH and prev and nxt in _WORD_CH and nxt:
        return False  # whitehouse.gov, U.S (inner stop)
    if prev in _DIGITS and prev:
        if nxt and not nxt.isspace():
            return False
        if i <= 2 and line[:i].isdigit():
            return False  # a numbered list item: "1. First"
    if nxt in ("'", "’") and nxt and line[i + 2 : i + 3] == "s" and not line[i + 3 : i + 4].isalpha():
        return False  # Inc.'s
    if prev.isspace() and _FILE_EXT.match(line, i + 1):
        return False
    m = _WORD_BEFORE.search(line, max(0, i - 40), i)
    if m is None:
        return True
    word = m.group(1)
    j = i + 1  # what follows is matched in place: a copy of the rest of a long line per stop is quadratic
    if len(word) == 1 and "A" <= word <= "Z":  # an initial
        if i == 1 and nxt.isspace():
            return False
        if line[j : j + 1].isspace() or (line[j : j + 1] == "," and line[j + 1 : j + 2].isspace()):
            return word == "I" and _STARTER_NEXT.match(line, j) is not None
    mp = _MULTI_PERIOD.search(word)
    if mp is not None:  # U.S. D.C. p.m.
        letters = word[mp.start() :].replace(".", "")
        if letters in ("PM", "AM", "pm", "am"):
            nw = _NEXT_WORD.match(line, j)
            if nw is not None and nw.group(1).lower() in _AFTER_CLOCK:
                return False  # "at 9 a.m. Eastern", "10 a.m. Tuesday": the time goes on
            return _CAP_NEXT.match(line, j) is not None
        if letters in ("US", "UK", "EU", "USA", "iv", "IV"):
            return _STARTER_NEXT.match(line, j) is not None
        return False
    low = word.lower()
    if low in ABBREVIATIONS:
        if low in PREPOSITIVE:
            return not (line[j : j + 1].isspace() or _COLON_DIGIT.match(line, j))
        if low in NUMBER_ABBR:
            return _NUMBER_NEXT.match(line, j) is None
        return _ABBR_NEXT.match(line, j) is None
    return True


def _run_ends(line: str, i: int, j: int) -> bool:
    """Whether the run of terminators `line[i:j]` ends a sentence."""
    run = line[i:j]
    nxt = line[j : j + 1]
    if run == ".":
        return _period_ends(line, i)
    if "!" not in run and "?" not in run:
        if j - i >= 3:  # an ellipsis ends a sentence only before a capital
            return _SPACE_CAP.match(line, j) is not None
        return True
    if j - i >= 3 and "." not in run:
        return False  # "!!!" / "???": emphasis, not an end (pysbd)
    if j - i == 1:
        if nxt in ("'", '"') and nxt:
            return False
        if run == "!" and _LOWER_NEXT.match(line, j):
            return False
    return True


def _line_cuts(line: str) -> list[int]:
    """Offsets in `line` where a sentence ends (each just after its last character)."""
    starts, ends = _regions(line)
    cuts: list[int] = []
    for m in _TERMS.finditer(line):
        i, j = m.span()
        k = bisect_right(starts, i) - 1
        if k >= 0 and i < ends[k]:
            # Inside a quotation: only a stop right before a quotation mark, followed by one space
            # and a capital, ends the sentence there (“We are ready.” Then …).
            if line[j : j + 1] in _QUOTE_MARKS and line[j : j + 1] and _CAP_NEXT.match(line, j + 1):
                cuts.append(j + 1)
            continue
        if not _run_ends(line, i, j):
            continue
        while j < len(line) and line[j] in _CLOSERS and not _opens_region(starts, j):
            if line[j] in "’'" and line[j + 1 : j + 2].isalpha():
                break  # an apostrophe: Inc.’s
            j += 1
        cuts.append(j)
    if "(" in line:
        cuts = _paren_cuts(line, cuts)
    if "“" in line or '"' in line or "(" in line:
        cuts = _leading_groups(line, cuts)
    return cuts


def _paren_cuts(line: str, cuts: list[int]) -> list[int]:
    """pysbd's two parenthesis rules: `” (Laughter.) “` stands alone, and `1) … 2) …` list items."""
    extra: list[int] = []
    # Up to the end of the last `) "`: the greedy `.*` would otherwise scan the rest of the line
    # from every `" (` that no `) "` follows.
    ends = [m.end() for m in _PAREN_CLOSE_QUOTE.finditer(line)]
    for m in _PARENS_BETWEEN_QUOTES.finditer(line, 0, ends[-1] if ends else 0):
        extra.extend(m.start() + k.start() for k in re.finditer(r"\s(?=\()|(?<=\))\s", m.group()))
    items = [(int(m.group(1)), m.start()) for m in _LIST_ITEM.finditer(line)]
    if len(items) > 1:
        numbers = [n for n, _ in items]
        listed = {
            n
            for k, n in enumerate(numbers)
            if (k + 1 < len(numbers) and numbers[k + 1] == n + 1) or (k > 0 and numbers[k - 1] == n - 1)
        }
        # The space before the item number ends the sentence, after two non-space characters.
        extra.extend(p - 1 for n, p in items if n in listed and p >= 3 and _TWO_SOLID.match(line, p - 3))
    return sorted(set(cuts + extra)) if extra else cuts


def _opens_region(starts: list[int], j: int) -> bool:
    k = bisect_right(starts, j) - 1
    return k >= 0 and starts[k] == j


def _leading_groups(line: str, cuts: list[int]) -> list[int]:
    """Add a cut after a quotation or parenthesis that starts a sentence and precedes a capital."""
    extra = []
    begin = 0
    bounds = [*cuts, len(line)]
    for end in bounds:
        seg_start = begin
        while seg_start < end and line[seg_start].isspace():
            seg_start += 1
        m = _LEADING_GROUP.match(line, seg_start, end) if seg_start < end else None
        if m is not None and m.end() < end:
            extra.append(m.end())
        begin = end
    return sorted(set(cuts + extra)) if extra else cuts


def split_paragraph(paragraph: str) -> list[str]:
    """Sentences of one paragraph, as substrings of it (whitespace trimmed)."""
    return [paragraph[s:e] for s, e in _paragraph_spans(paragraph, 0)]


#: The longest news sentence of corpus-extra has 1,806 bytes. A "sentence" longer than this is text
#: with no sentence ends (a list run together, a hostile one-line file): it is cut at spaces into
#: pieces of at most this length, so attribution, which reads around each verb of a sentence, stays
#: linear in the text's length instead of growing with its square.
MAX_SENTENCE_CHARS = 4_000


def _paragraph_spans(para: str, base: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lm in _LINE.finditer(para):
        line = lm.group()
        offset = base + lm.start()
        prev = 0
        for cut in [*_line_cuts(line), len(line)] if _TERMS.search(line) else [len(line)]:
            piece = line[prev:cut]
            stripped = piece.lstrip()
            if stripped:
                s = prev + len(piece) - len(stripped)
                e = prev + len(piece.rstrip())
                out.extend((offset + a, offset + b) for a, b in _bounded(line, s, e))
            prev = cut
    return out


def _bounded(line: str, s: int, e: int) -> list[tuple[int, int]]:
    """`line[s:e]` as pieces of at most `MAX_SENTENCE_CHARS`, cut at the last space before the limit
    (or at the limit, in a run of no spaces), each trimmed."""
    if e - s <= MAX_SENTENCE_CHARS:
        return [(s, e)]
    out = []
    while s < e:
        end = min(e, s + MAX_SENTENCE_CHARS)
        if end < e:
            space = line.rfind(" ", s + 1, end)
            end = space if space > s else end
        out.append((s, end))
        s = end
        while s < e and line[s].isspace():
            s += 1
    return out


def sentence_spans(body: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph number) of every sentence of `body`, so `body[start:end]` is verbatim.

    Paragraphs are split on blank lines first (a sentence never spans two paragraphs), and
    lines within a paragraph end a sentence too, as in pysbd.
    """
    spans: list[tuple[int, int, int]] = []
    pos = 0
    for para_no, para in enumerate(body.split("\n\n")):
        spans.extend((s, e, para_no) for s, e in _paragraph_spans(para, pos))
        pos += len(para) + 2
    return spans
