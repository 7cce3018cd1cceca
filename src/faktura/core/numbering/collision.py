"""Can two patterns produce the same number? An exact test on their languages.

Each pattern is a small automaton over characters: a literal is one step per
character, a year or month a fixed number of digit steps, the counter the
padded form of an integer >= 1 (exactly its width and not all zeros, or longer
without a leading zero). Two patterns collide when the product of their
automata reaches a state where both accept; a breadth-first search finds it
and spells the number on the way. Letters are compared without case, so
``fa{CCC}`` and ``FA{CCC}`` collide: a buyer, a bank or a tax office would not
tell their numbers apart.
"""

from __future__ import annotations

from collections import deque

from faktura.core.numbering.pattern import Pattern
from faktura.core.numbering.tokens import Kind

_Label = frozenset[str] | None  # characters a step reads; None: a step that reads nothing
_Edges = list[list[tuple[_Label, int]]]

_DIGITS = frozenset("0123456789")
_NONZERO = _DIGITS - {"0"}


def patterns_may_collide(a: Pattern, b: Pattern) -> bool:
    """True when some number could be produced by both patterns."""
    return collision_example(a, b) is not None


def collision_example(a: Pattern, b: Pattern) -> str | None:
    """A number (letters in upper case) that both patterns can produce, or None."""
    edges_a, final_a = _automaton(a)
    edges_b, final_b = _automaton(b)
    start = (0, 0)
    came_from: dict[tuple[int, int], tuple[tuple[int, int], str] | None] = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        p, q = state
        if p == final_a and q == final_b:
            return _spell(came_from, state)
        steps = [((p2, q), "") for label, p2 in edges_a[p] if label is None]
        steps += [((p, q2), "") for label, q2 in edges_b[q] if label is None]
        for label_a, p2 in edges_a[p]:
            for label_b, q2 in edges_b[q]:
                if label_a is not None and label_b is not None and label_a & label_b:
                    steps.append(((p2, q2), min(label_a & label_b)))
        for target, char in steps:
            if target not in came_from:
                came_from[target] = (state, char)
                queue.append(target)
    return None


def _spell(came_from: dict[tuple[int, int], tuple[tuple[int, int], str] | None], end: tuple[int, int]) -> str:
    chars: list[str] = []
    step = came_from[end]
    while step is not None:
        state, char = step
        chars.append(char)
        step = came_from[state]
    return "".join(reversed(chars))


def _automaton(pattern: Pattern) -> tuple[_Edges, int]:
    """Edges by state (0 is the start) and the one accepting state."""
    nfa = _Builder()
    here = 0
    for token in pattern.tokens:
        if token.kind is Kind.LITERAL:
            here = nfa.chain(here, [frozenset({ch.upper()}) for ch in token.text])
        elif token.kind is Kind.MONTH:
            end = nfa.new()
            nfa.chain(here, [frozenset("0"), _NONZERO], end)  # 01-09
            nfa.chain(here, [frozenset("1"), frozenset("012")], end)  # 10-12
            here = end
        elif token.kind is Kind.COUNTER:
            here = nfa.counter(here, token.width)
        else:
            here = nfa.chain(here, [_DIGITS] * token.width)
    return nfa.edges, here


class _Builder:
    def __init__(self) -> None:
        self.edges: _Edges = [[]]

    def new(self) -> int:
        self.edges.append([])
        return len(self.edges) - 1

    def chain(self, start: int, labels: list[frozenset[str]], end: int | None = None) -> int:
        """Steps reading ``labels`` one after the other from ``start``; returns the last state."""
        for index, label in enumerate(labels):
            target = end if end is not None and index == len(labels) - 1 else self.new()
            self.edges[start].append((label, target))
            start = target
        return start

    def counter(self, start: int, width: int) -> int:
        """Exactly ``width`` digits not all zero, or more than ``width`` digits without a leading zero."""
        end = self.new()
        zeros, some = self.new(), self.new()  # after the first digit: all zeros so far, or not
        self.edges[start] += [(frozenset("0"), zeros), (_NONZERO, some)]
        for _ in range(width - 1):
            zeros2, some2 = self.new(), self.new()
            self.edges[zeros] += [(frozenset("0"), zeros2), (_NONZERO, some2)]
            self.edges[some].append((_DIGITS, some2))
            zeros, some = zeros2, some2
        self.edges[some].append((None, end))
        longer = self.chain(start, [_NONZERO] + [_DIGITS] * width)
        self.edges[longer] += [(_DIGITS, longer), (None, end)]
        return end
