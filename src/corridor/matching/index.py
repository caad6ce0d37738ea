"""The blocking index: which listed names share rare evidence with a query name.

Two levels, both CSR arrays (offsets + flat int32 postings), so the index is compact and
pickles/loads quickly:

* *keys -> vocabulary tokens*: a token's romanisation fold (``f:``), spelling skeleton
  (``s:``) and single-character deletions (``d:``, SymSpell style: two tokens within one
  edit share a deletion key). Keys point at tokens, not names, so typo keys cost
  vocabulary size, not list size.
* *tokens -> names*: which listed names contain a token.

Plus a full-name key (``n:``, the sorted folded distinctive parts) so a name made only of
common words still finds its exact listed twin even when common tokens are skipped, and
*joined pairs* (two adjacent parts written as one, ``Abu Grein`` -> ``abugrein``) so a
query that glues parts finds the listed name that splits them.
Rarity (IDF over listed names) weighs every token.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from corridor.matching.compare.schema import Kind
from corridor.matching.tuning import (
    CUT_OFF_MIN_LETTERS,
    DELETE_MIN_LEN,
    DIGRAPH_MIN_LEN,
    INITIAL_WEIGHT,
    KEY_MAX_TOKENS,
    MIN_PART_WEIGHT,
    PREFIX_MAX_TOKENS,
    PREFIX_MIN_LEN,
    SHORT_KEY_MIN_LEN,
    STRENGTH,
    TWO_EDIT_KEY_MAX_TOKENS,
    TWO_EDIT_MIN_LEN,
    WEAK_FACTOR,
)
from corridor.names.skeleton import consonants, digraph_key, fold, is_unvowelled, skeleton
from corridor.names.tokens import is_weak, name_tokens


def token_keys(token: str, listed: bool = False, abjad: bool = False) -> list[str]:
    """Blocking keys of one name part: fold, skeleton, and deletion neighbourhood.

    Listed parts also get a consonant key (``c:``); a query part looks it up only when
    it was transliterated from Arabic or Persian script and has no short vowels.
    """
    if token.startswith("@"):
        return ["f:" + token]
    f = fold(token)
    keys = ["f:" + f]
    if listed or (abjad and is_unvowelled(token)):
        cons = consonants(token)
        if len(cons) >= SHORT_KEY_MIN_LEN:
            keys.append("c:" + cons)
    sk = skeleton(token)
    if len(sk) >= SHORT_KEY_MIN_LEN:
        keys.append("s:" + sk)
    if len(token) >= DIGRAPH_MIN_LEN and token.isalpha():  # ISO 9 Sarapov / BGN Sharapov
        keys.append("g:" + digraph_key(token))
    if len(f) >= DELETE_MIN_LEN:
        keys.append("d:" + f)
        keys.extend({"d:" + f[:i] + f[i + 1 :] for i in range(len(f))})
    if token != f and len(token) >= DELETE_MIN_LEN:  # a typo can hide behind folding
        keys.append("d:" + token)
        keys.extend({"d:" + token[:i] + token[i + 1 :] for i in range(len(token))})
    return keys


def full_key(tokens: Sequence[str]) -> str:
    """Order-free key of a whole name: sorted folded distinctive parts."""
    parts = sorted(fold(t) for t in tokens if not is_weak(t))
    return "n:" + " ".join(parts) if parts else ""


def joined_pairs(tokens: Sequence[str]) -> list[str]:
    """Folded concatenations of adjacent distinctive parts (``abu grein`` -> ``abugrein``)."""
    return [
        fold(a + b)
        for a, b in zip(tokens, tokens[1:], strict=False)
        if not is_weak(a) and not is_weak(b)
    ]


def _csr(pairs_a: np.ndarray, pairs_b: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Group ``pairs_b`` by ``pairs_a`` (values 0..n-1), unique per group, as CSR arrays."""
    if len(pairs_a):
        combined = np.unique(pairs_a.astype(np.int64) << 32 | pairs_b.astype(np.int64))
        a = (combined >> 32).astype(np.int32)
        b = (combined & 0xFFFFFFFF).astype(np.int32)
    else:
        a = b = np.zeros(0, dtype=np.int32)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n), out=ptr[1:])
    return ptr, b


@dataclass
class NameIndex:
    """Vocabulary, names as token-id sequences, and the two posting levels."""

    tok_str: list[str]
    tok_id: dict[str, int]
    tok_weight: np.ndarray  # float32, per token
    tok_ptr: np.ndarray  # token -> names
    tok_names: np.ndarray
    key_id: dict[str, int]
    key_ptr: np.ndarray  # key -> tokens
    key_toks: np.ndarray
    name_ptr: np.ndarray  # name -> tokens (in order)
    name_tids: np.ndarray
    name_ent: np.ndarray  # int32, entity number
    name_weak: np.ndarray  # bool, a weak alias
    name_text: list[str]  # the name as listed, for explanations
    name_weight: np.ndarray  # float32, sum of token weights
    full_id: dict[str, int]
    full_ptr: np.ndarray
    full_names: np.ndarray
    joined_id: dict[str, int]
    joined_ptr: np.ndarray
    joined_names: np.ndarray
    max_weight: float

    @property
    def n_names(self) -> int:
        return len(self.name_ent)

    @classmethod
    def build(cls, names: list[tuple[int, str, bool]], kinds: Sequence[Kind]) -> NameIndex:
        """Index ``(entity number, name, is_weak)`` triples; ``kinds`` tells persons apart."""
        tok_id: dict[str, int] = {}
        tok_str: list[str] = []
        name_ptr = [0]
        name_tids: list[int] = []
        name_ent: list[int] = []
        name_weak: list[bool] = []
        name_text: list[str] = []
        full_pairs_k: list[int] = []
        full_pairs_n: list[int] = []
        full_id: dict[str, int] = {}
        joined_id: dict[str, int] = {}
        jp_k: list[int] = []
        jp_n: list[int] = []
        for ent, name, weak in names:
            toks = name_tokens(name, kinds[ent] != "person")
            if not toks:
                continue
            nid = len(name_ent)
            name_ent.append(ent)
            name_weak.append(weak)
            name_text.append(name)
            for t in toks:
                tid = tok_id.get(t)
                if tid is None:
                    tid = tok_id[t] = len(tok_str)
                    tok_str.append(t)
                name_tids.append(tid)
            name_ptr.append(len(name_tids))
            for joined in joined_pairs(toks):
                jp_k.append(joined_id.setdefault(joined, len(joined_id)))
                jp_n.append(nid)
            fk = full_key(toks)
            if fk:
                full_pairs_k.append(full_id.setdefault(fk, len(full_id)))
                full_pairs_n.append(nid)
        n_names, n_toks = len(name_ent), len(tok_str)
        name_ptr_a = np.asarray(name_ptr, dtype=np.int64)
        name_tids_a = np.asarray(name_tids, dtype=np.int32)
        owners = np.repeat(np.arange(n_names, dtype=np.int32), np.diff(name_ptr_a))
        tok_ptr, tok_names = _csr(name_tids_a, owners, n_toks)
        df = np.diff(tok_ptr).astype(np.float64)
        weight = np.log((n_names + 1.0) / (df + 0.5))
        weak_mask = np.fromiter((is_weak(t) for t in tok_str), dtype=bool, count=n_toks)
        weight[weak_mask] *= WEAK_FACTOR
        initial_mask = np.fromiter((len(t) == 1 for t in tok_str), dtype=bool, count=n_toks)
        weight[initial_mask] = np.minimum(weight[initial_mask], INITIAL_WEIGHT)
        tok_weight = np.maximum(weight, MIN_PART_WEIGHT).astype(np.float32)
        key_id: dict[str, int] = {}
        kp_k: list[int] = []
        kp_t: list[int] = []
        for tid, t in enumerate(tok_str):
            for key in token_keys(t, listed=True):
                kp_k.append(key_id.setdefault(key, len(key_id)))
                kp_t.append(tid)
        key_ptr, key_toks = _csr(
            np.asarray(kp_k, dtype=np.int32), np.asarray(kp_t, dtype=np.int32), len(key_id)
        )
        full_ptr, full_names = _csr(
            np.asarray(full_pairs_k, dtype=np.int32),
            np.asarray(full_pairs_n, dtype=np.int32),
            len(full_id),
        )
        joined_ptr, joined_names = _csr(
            np.asarray(jp_k, dtype=np.int32), np.asarray(jp_n, dtype=np.int32), len(joined_id)
        )
        name_weight = (
            np.add.reduceat(tok_weight[name_tids_a], name_ptr_a[:-1])
            if n_names
            else (np.zeros(0, dtype=np.float32))
        )
        return cls(
            tok_str=tok_str,
            tok_id=tok_id,
            tok_weight=tok_weight,
            tok_ptr=tok_ptr,
            tok_names=tok_names,
            key_id=key_id,
            key_ptr=key_ptr,
            key_toks=key_toks,
            name_ptr=name_ptr_a,
            name_tids=name_tids_a,
            name_ent=np.asarray(name_ent, dtype=np.int32),
            name_weak=np.asarray(name_weak, dtype=bool),
            name_text=name_text,
            name_weight=name_weight.astype(np.float32),
            full_id=full_id,
            full_ptr=full_ptr,
            full_names=full_names,
            joined_id=joined_id,
            joined_ptr=joined_ptr,
            joined_names=joined_names,
            max_weight=float(math.log((n_names + 1.0) / 0.5)),
        )

    def name_parts(self, nid: int) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """The parts of listed name ``nid`` and their weights."""
        tids = self.name_tids[self.name_ptr[nid] : self.name_ptr[nid + 1]]
        return tuple(self.tok_str[t] for t in tids), tuple(self.tok_weight[tids].tolist())

    def similar_tokens(self, token: str, abjad: bool = False) -> dict[int, float]:
        """Vocabulary tokens sharing a blocking key with ``token``: id -> key strength."""
        found: dict[int, float] = {}
        kid_get = self.key_id.get
        for key in token_keys(token, abjad=abjad):
            kid = kid_get(key)
            if kid is None:
                continue
            strength = STRENGTH[key[0]]
            start, end = self.key_ptr[kid], self.key_ptr[kid + 1]
            if end - start > KEY_MAX_TOKENS:
                continue
            for tid in self.key_toks[start:end].tolist():
                if found.get(tid, 0.0) < strength:
                    found[tid] = strength
        exact = self.tok_id.get(token)
        if exact is not None:
            found[exact] = 1.0
        if exact is None and len(token) >= TWO_EDIT_MIN_LEN and token.isalpha():
            for tid, strength in self._two_edit_tokens(token).items():
                found.setdefault(tid, strength)
        if exact is None and len(token) >= PREFIX_MIN_LEN and token.isalpha():
            for tid in self.completions(token):
                found.setdefault(tid, STRENGTH["p"])
        return found

    @cached_property
    def _sorted_vocab(self) -> tuple[list[str], list[int]]:
        """Vocabulary in alphabetical order (with token ids), for prefix look-ups."""
        order = sorted(range(len(self.tok_str)), key=self.tok_str.__getitem__)
        return [self.tok_str[t] for t in order], order

    def completions(self, prefix: str) -> list[int]:
        """Tokens that ``prefix`` is a cut-off start of: two or more letters cut, at most
        half (the same rule the name comparison applies)."""
        words, ids = self._sorted_vocab
        lo = bisect_left(words, prefix)
        hi = bisect_left(words, prefix + "{")  # "{" sorts right after "z"
        if hi - lo > PREFIX_MAX_TOKENS:
            return []
        n = len(prefix)
        return [ids[i] for i in range(lo, hi) if n + CUT_OFF_MIN_LETTERS <= len(words[i]) <= 2 * n]

    def _two_edit_tokens(self, token: str) -> dict[int, float]:
        """Tokens about two edits away from an unknown long part (two deletions on the query
        side meet one on the listed side): misspellings the one-edit keys miss."""
        found: dict[int, float] = {}
        strength = STRENGTH["d2"]
        for word in {token, fold(token)}:
            seen: set[str] = set()
            for i in range(len(word)):
                once = word[:i] + word[i + 1 :]
                for j in range(i, len(once)):
                    twice = once[:j] + once[j + 1 :]
                    if twice in seen:
                        continue
                    seen.add(twice)
                    kid = self.key_id.get("d:" + twice)
                    if kid is None:
                        continue
                    start, end = self.key_ptr[kid], self.key_ptr[kid + 1]
                    if end - start > TWO_EDIT_KEY_MAX_TOKENS:
                        continue
                    for tid in self.key_toks[start:end].tolist():
                        found.setdefault(tid, strength)
        return found

    def joined_matches(self, token: str) -> np.ndarray:
        """Listed names with two adjacent parts that, glued, are this (folded) part."""
        jid = self.joined_id.get(fold(token))
        if jid is None:
            return np.zeros(0, dtype=np.int32)
        return self.joined_names[self.joined_ptr[jid] : self.joined_ptr[jid + 1]]

    def full_matches(self, tokens: Sequence[str]) -> np.ndarray:
        """Listed names whose full-name key equals this name's."""
        kid = self.full_id.get(full_key(tokens))
        if kid is None:
            return np.zeros(0, dtype=np.int32)
        return self.full_names[self.full_ptr[kid] : self.full_ptr[kid + 1]]
