"""What a person typed into the search box, read once and said to each engine in its own words.

The syntax is the one search engines (and PostgreSQL's websearch_to_tsquery) taught everyone:
words (all of them must be found), "a quoted phrase" (those words in that order), `or` between
two of them (either), and `-word` or `-"a phrase"` (not that). Unlike websearch_to_tsquery, a
word also finds the longer words it begins ("guide" finds "guides" and "guideline"), so that a
search typed half-way finds something; a phrase is its words exactly.

Parsing here, once, is what makes PostgreSQL's full-text search and the SQLite engine answer the
same question: `tsquery()` writes the query for PostgreSQL, and `matches()` / `marks()` answer it
for a text in Python (engines.py, snippets.py).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

QUERY_MAX = 200  # characters
WORDS_MAX = 12  # each word is a prefix scan of the index: bound their number
# A word is a run of letters and digits, as both databases' tokenizers read words.
TOKEN = re.compile(r"[^\W_]+")
CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """A word (`words` of one), or a phrase; each word as typed and as the tokens it holds."""

    words: tuple[str, ...]
    phrase: bool = False

    @property
    def tokens(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(TOKEN.findall(word.lower())) for word in self.words)


@dataclass(frozen=True)
class Query:
    """All of `clauses` (each: any of its terms), and none of `excluded`."""

    clauses: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    @property
    def terms(self) -> tuple[Term, ...]:
        return tuple(term for clause in self.clauses for term in clause)

    def tsquery(self) -> str:
        """The query in PostgreSQL's to_tsquery syntax (SearchQuery(search_type="raw"))."""
        wanted = [_any(clause) for clause in self.clauses]
        unwanted = [f"!{_lexemes(term)}" for term in self.excluded]
        return " & ".join(wanted + unwanted)

    def matches(self, text: str) -> bool:
        tokens = [word for word, _ in words_of(text)]
        return all(any(_found(term, tokens) for term in clause) for clause in self.clauses) and (
            not any(_found(term, tokens) for term in self.excluded)
        )

    def score(self, text: str) -> float:
        """How well `text` answers: each term counts, each more time it occurs a little less."""
        tokens = [word for word, _ in words_of(text)]
        return sum(1 - 0.5 ** len(_starts(term, tokens)) for term in self.terms)

    def marks(self, text: str) -> list[tuple[int, int]]:
        """The (start, end) of each word of `text` that a term found, in order."""
        found = words_of(text)
        tokens = [word for word, _ in found]
        marked = set()
        for term in self.terms:
            width = sum(len(parts) for parts in term.tokens)
            for start in _starts(term, tokens):
                marked.update(range(start, start + width))
        return [found[index][1] for index in sorted(marked)]


def words_of(text: str) -> list[tuple[str, tuple[int, int]]]:
    """Each word of `text`, lowercased, with where it stands in `text`."""
    return [(match[0].lower(), match.span()) for match in TOKEN.finditer(text)]


def parse(text: str) -> Query:
    """The query, or ValidationError with the message for the field `q`."""
    if len(text) > QUERY_MAX:
        raise ValidationError(f"Search for at most {QUERY_MAX} characters.")
    if "\x00" in text:  # PostgreSQL takes no NUL in a text: refused, never a 500
        raise ValidationError("A search may not hold a null character.")
    clauses, excluded, joining = [], [], False
    for negated, term in _terms(text):
        if term is None:  # an `or` between two terms
            joining = bool(clauses)
        elif negated:
            excluded.append(term)
            joining = False
        elif joining:
            clauses[-1].append(term)
            joining = False
        else:
            clauses.append([term])
    if sum(len(term.words) for term in [*sum(clauses, []), *excluded]) > WORDS_MAX:
        raise ValidationError(f"Search for at most {WORDS_MAX} words.")
    if not clauses:
        raise ValidationError(
            "Type a word to look for." if not excluded else "Say what to look for, too."
        )
    return Query(tuple(tuple(clause) for clause in clauses), tuple(excluded))


def _terms(text: str):
    """(negated, Term) for each word or phrase that holds a word; (False, None) for `or`."""
    for match in CHUNK.finditer(text):
        negated, quoted, word = match[1], match[2], match[3]
        if word is not None and word.lower() == "or":
            yield False, None
            continue
        if word is not None:
            negated, words, phrase = word.startswith("-"), (word.lstrip("-"),), False
        else:
            words, phrase = tuple(quoted.split()), True
        words = tuple(part for part in words if TOKEN.search(part))
        if words:
            yield bool(negated), Term(words, phrase=phrase)


def _any(clause: tuple[Term, ...]) -> str:
    if len(clause) == 1:
        return _lexemes(clause[0])
    return "(" + " | ".join(_lexemes(term) for term in clause) + ")"


def _lexemes(term: Term) -> str:
    """A word as a prefix lexeme, a phrase as its exact words in order. Each word is passed as
    typed, quoted: PostgreSQL's parser cuts it into lexemes as it cut the texts it indexed."""
    suffix = "" if term.phrase else ":*"
    lexemes = [f"'{_quoted(word.lower())}'{suffix}" for word in term.words]
    return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"


def _quoted(word: str) -> str:
    return word.replace("\\", "\\\\").replace("'", "''")


def _starts(term: Term, tokens: list[str]) -> list[int]:
    """Where in `tokens` the term is found: a word's tokens as prefixes of consecutive tokens
    (as PostgreSQL's prefix lexemes), a phrase's exactly."""
    wanted = [token for parts in term.tokens for token in parts]
    same = str.__eq__ if term.phrase else str.startswith
    return [
        start
        for start in range(len(tokens) - len(wanted) + 1)
        if all(same(tokens[start + offset], token) for offset, token in enumerate(wanted))
    ]


def _found(term: Term, tokens: list[str]) -> bool:
    return bool(_starts(term, tokens))
