"""The blocking index: which listed names share rare evidence with a query name.

Two levels, both CSR arrays (offsets + flat int32 postings), and nothing but numpy arrays
anywhere (strings as UTF-8 blobs with offsets, look-ups by string as sorted 64-bit
hashes, ``matching/columns.py``), so the index is compact, is written to the cache as
raw arrays and is mapped back read-only, shared by every process that loads it:

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
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, fields

import cython
import numpy as np

from corridor.matching.columns import (
    Arrays,
    HashLookup,
    StringColumn,
    hash_array,
    prefixed,
    sub_arrays,
    two_deletion_hashes,
)
from corridor.matching.compare.schema import Kind
from corridor.matching.tuning import (
    CUT_OFF_MIN_LETTERS,
    DELETE_MIN_LEN,
    DIGRAPH_MIN_LEN,
    INITIAL_WEIGHT,
    JOINED_MAX_PARTS,
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
from corridor.names.central_asian import stem_keys, variant_spellings
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
    if token.isalpha():  # the patronymic's father's name, the surname without its ending
        keys.extend(stem_keys(token))
    if not listed:  # a query part in another romanisation, spelled the lists' way
        for variant in variant_spellings(token):
            keys.extend(k for k in token_keys(variant, listed, abjad) if k[0] != "t")
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
    parts = sorted([fold(t) for t in tokens if not is_weak(t)])
    return "n:" + " ".join(parts) if parts else ""


def joined_pairs(tokens: Sequence[str], max_parts: int = JOINED_MAX_PARTS) -> list[str]:
    """Folded concatenations of two (up to ``max_parts``) adjacent distinctive parts
    (``abu grein`` -> ``abugrein``, ``kaz munai gaz`` -> ``kazmunaigas``). The definition:
    the build makes the same for every name at once (``_joined_keys``)."""
    weak = [is_weak(t) for t in tokens]
    out = []
    for size in range(2, max_parts + 1):
        for i in range(len(tokens) - size + 1):
            if not any(weak[i : i + size]):
                out.append(fold("".join(tokens[i : i + size])))
    return out


def _csr(pairs_a: np.ndarray, pairs_b: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Group ``pairs_b`` by ``pairs_a`` (values 0..n-1), unique per group, as CSR arrays."""
    if len(pairs_a):
        # Sorted, then repeats dropped: what np.unique gives, without its hash table (a
        # million entities' token occurrences are sorted in a tenth of the time).
        combined = np.sort(pairs_a.astype(np.int64) << 32 | pairs_b.astype(np.int64))
        first = np.ones(len(combined), dtype=bool)
        np.not_equal(combined[1:], combined[:-1], out=first[1:])
        combined = combined[first]
        a = (combined >> 32).astype(np.int32)
        b = (combined & 0xFFFFFFFF).astype(np.int32)
    else:
        a = b = np.zeros(0, dtype=np.int32)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n), out=ptr[1:])
    return ptr, b


def gather_ranges(
    values: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``values[starts[k]:ends[k]]`` for every k, concatenated, and each item's k: many CSR
    rows read in one go instead of one small array per row."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return values[:0], np.zeros(0, dtype=np.int64)
    owner = np.repeat(np.arange(len(lengths)), lengths)
    offsets = np.cumsum(lengths) - lengths
    positions = starts[owner] + (np.arange(total) - offsets[owner])
    return values[positions], owner


#: Blocking keys hashed at once while building (a chunk's strings, not all of a million
#: entities' keys, are held at a time).
HASH_CHUNK = 100_000

#: Bytes of a token's start kept as one integer for the prefix search (``completions``).
HEAD_BYTES = 8


def _head(token: str) -> int:
    """A token's first eight bytes as a big-endian integer: integers sort as the tokens."""
    return int.from_bytes(token.encode()[:HEAD_BYTES].ljust(HEAD_BYTES, b"\0"), "big")


def _lookup_csr(
    hashes: array | np.ndarray, members: array | np.ndarray
) -> tuple[HashLookup, np.ndarray, np.ndarray]:
    """Keys (by their hashes) -> member ids as a hash look-up (one id per distinct key)
    and CSR arrays: one stable sort, members unique and in order within each key."""
    h = np.frombuffer(hashes, dtype=np.uint64)
    m = np.frombuffer(members, dtype=np.int32)
    order = np.argsort(h, kind="stable")  # members were added in increasing order
    h, m = h[order], m[order]
    del order
    keep = np.ones(len(h), dtype=bool)
    keep[1:] = (h[1:] != h[:-1]) | (m[1:] != m[:-1])
    h, m = h[keep], m[keep]
    first = np.ones(len(h), dtype=bool)
    first[1:] = h[1:] != h[:-1]
    starts = np.flatnonzero(first)
    ptr = np.empty(len(starts) + 1, dtype=np.int64)
    ptr[:-1] = starts
    ptr[-1] = len(h)
    return HashLookup(h[starts], None), ptr, m.astype(np.int32, copy=False)


def _joined_keys(
    name_tids: np.ndarray,
    owners: np.ndarray,
    weak: np.ndarray,
    tok_str: Sequence[str],
    max_parts: int = JOINED_MAX_PARTS,
) -> tuple[np.ndarray, np.ndarray]:
    """The hashed :func:`joined_pairs` of every name and each one's name id, in the order
    a name-by-name loop makes them (by name, two parts before three).

    Runs of adjacent distinctive parts are found on the token ids at once, and each
    distinct run is glued, folded and hashed once: names repeat given name and surname
    pairs (a million synthetic entities: 3.0 million runs, 1.4 million distinct).
    """
    n = len(name_tids)
    if n < 2:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32)
    strong = ~weak[name_tids]
    # link[i]: parts i and i + 1 are distinctive and of one name.
    link = strong[:-1] & strong[1:] & (owners[:-1] == owners[1:])
    fold_text = fold.__wrapped__  # each run once: no use filling the token cache
    hashes: list[np.ndarray] = []
    nids: list[np.ndarray] = []
    runs = np.arange(len(tok_str), dtype=np.int64)[:, None]  # runs of one part: tokens
    run_id = name_tids.astype(np.int64)  # per position, its run's number among those
    starts_mask = np.ones(n, dtype=bool)
    for size in range(2, max_parts + 1):
        starts_mask = starts_mask[: n - size + 1] & link[size - 2 : n - 1]
        starts = np.flatnonzero(starts_mask)
        if not len(starts):
            break
        code = run_id[starts] << 32 | name_tids[starts + size - 1].astype(np.int64)
        distinct, inverse = np.unique(code, return_inverse=True)
        runs = np.concatenate([runs[distinct >> 32], (distinct & 0xFFFFFFFF)[:, None]], axis=1)
        run_hash = np.empty(len(runs), dtype=np.uint64)
        for lo in range(0, len(runs), HASH_CHUNK):
            texts = [
                fold_text("".join([tok_str[t] for t in run]))
                for run in runs[lo : lo + HASH_CHUNK].tolist()
            ]
            run_hash[lo : lo + len(texts)] = hash_array(texts)
        hashes.append(run_hash[inverse])
        nids.append(owners[starts])
        run_id = np.zeros(n - size + 1, dtype=np.int64)
        run_id[starts] = inverse
    if not hashes:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32)
    all_nids = np.concatenate(nids)
    order = np.argsort(all_nids, kind="stable")
    return np.concatenate(hashes)[order], all_nids[order]


#: No listed names, or no tokens (shared: read, never written).
_NO_NAMES = np.zeros(0, dtype=np.int32)
_NO_NAMES.setflags(write=False)

#: The arrays compiled loops read by address (``NameIndex.addresses``), with their types.
_READ_BY_ADDRESS = {
    "tok_ptr": np.dtype(np.int64),
    "tok_names": np.dtype(np.int32),
    "key_ptr": np.dtype(np.int64),
    "key_toks": np.dtype(np.int32),
}

#: The index's array fields and its look-ups, in the order they are stored.
_LOOKUPS = ("tok_lookup", "key_lookup", "full_lookup", "joined_lookup")


@dataclass
class NameIndex:
    """Vocabulary, names as token-id sequences, and the two posting levels."""

    tok_str: StringColumn  # token id -> token
    tok_lookup: HashLookup  # token -> token id
    tok_weight: np.ndarray  # float32, per token
    tok_ptr: np.ndarray  # token -> names
    tok_names: np.ndarray
    vocab_order: np.ndarray  # token ids in alphabetical order of the tokens
    vocab_heads: np.ndarray  # uint64: the first 8 bytes of each token in that order
    key_lookup: HashLookup  # key -> key id
    key_ptr: np.ndarray  # key -> tokens
    key_toks: np.ndarray
    name_ptr: np.ndarray  # name -> tokens (in order)
    name_tids: np.ndarray
    name_ent: np.ndarray  # int32, entity number
    name_weak: np.ndarray  # bool, a weak alias
    name_text: StringColumn  # the name as listed, for explanations
    name_weight: np.ndarray  # float32, sum of token weights
    full_lookup: HashLookup
    full_ptr: np.ndarray
    full_names: np.ndarray
    joined_lookup: HashLookup
    joined_ptr: np.ndarray
    joined_names: np.ndarray
    max_weight: float

    @property
    def n_names(self) -> int:
        return len(self.name_ent)

    @classmethod
    def build(
        cls,
        names: list[tuple[int, str, bool]],
        kinds: Sequence[Kind],
        merge_keys: array | None = None,
    ) -> NameIndex:
        """Index ``(entity number, name, is_weak)`` triples; ``kinds`` tells persons apart.

        ``merge_keys``: filled with the hash of each name's sorted folded distinctive parts
        (0 for none; in the order of ``names``), what merging records across lists
        compares, so a name is split into parts once.
        """
        tok_id: dict[str, int] = {}
        tok_str: list[str] = []
        # Per token id: its fold when it is a distinctive part, "" for a weak one (what a
        # name's full key is made of, worked out once per vocabulary token).
        tok_key_part: list[str] = []
        # Machine arrays, not lists of Python ints: a million entities' names hold
        # millions of token ids.
        name_ptr = array("q", [0])
        name_tids = array("i")
        name_ent = array("i")
        name_weak = array("b")
        name_text: list[str] = []
        full_keys = array("Q")
        full_nids = array("i")
        full_pending: list[str] = []
        # Per input name: its full key's number in ``full_keys``, -1 for none.
        full_slot = array("i")
        get = tok_id.get
        key_part = tok_key_part.__getitem__
        # Each name's first name id: a name listed again (the same party on two lists, a
        # common name, an alias spelled like the name) is not split into parts again.
        # name_tokens caches too, but only the last 100,000 names: too few for a large build.
        first_nid: dict[str, int] = {}
        for ent, name, weak in names:
            organisation = kinds[ent] != "person"
            seen = first_nid.get(name)
            if seen is not None and (kinds[name_ent[seen]] != "person") == organisation:
                tids = name_tids[name_ptr[seen] : name_ptr[seen + 1]].tolist()
            else:
                toks = name_tokens(name, organisation)
                if not toks:
                    full_slot.append(-1)
                    continue
                if seen is None:
                    first_nid[name] = len(name_ent)
                tids = [get(t, -1) for t in toks]
            if -1 in tids:  # a new vocabulary token
                for k, t in enumerate(toks):
                    tid = get(t)
                    if tid is None:
                        tid = tok_id[t] = len(tok_str)
                        tok_str.append(t)
                        tok_key_part.append("" if is_weak(t) else fold(t))
                    tids[k] = tid
            nid = len(name_ent)
            name_ent.append(ent)
            name_weak.append(weak)
            name_text.append(name)
            name_tids.extend(tids)
            name_ptr.append(len(name_tids))
            parts = sorted(filter(None, map(key_part, tids)))  # full_key(toks)
            if parts:
                full_slot.append(len(full_nids))
                full_pending.append("n:" + " ".join(parts))
                full_nids.append(nid)
                if len(full_pending) >= HASH_CHUNK:
                    full_keys.frombytes(hash_array(full_pending).tobytes())
                    full_pending.clear()
            else:
                full_slot.append(-1)
        full_keys.frombytes(hash_array(full_pending).tobytes())
        del full_pending, tok_id, first_nid
        if merge_keys is not None:
            slot = np.frombuffer(full_slot, dtype=np.int32)
            merged = np.zeros(len(slot), dtype=np.uint64)
            merged[slot >= 0] = np.frombuffer(full_keys, dtype=np.uint64)[slot[slot >= 0]]
            merge_keys.frombytes(merged.tobytes())
            del slot, merged
        del full_slot
        n_names, n_toks = len(name_ent), len(tok_str)
        name_ptr_a = np.frombuffer(name_ptr, dtype=np.int64).copy()
        name_tids_a = np.frombuffer(name_tids, dtype=np.int32).copy()
        del name_ptr, name_tids
        name_text_column = StringColumn.build(name_text)
        del name_text
        owners = np.repeat(np.arange(n_names, dtype=np.int32), np.diff(name_ptr_a))
        tok_ptr, tok_names = _csr(name_tids_a, owners, n_toks)
        weak_mask = np.fromiter((not p for p in tok_key_part), dtype=bool, count=n_toks)
        del tok_key_part
        joined_keys, joined_nids = _joined_keys(name_tids_a, owners, weak_mask, tok_str)
        del owners
        df = np.diff(tok_ptr).astype(np.float64)
        weight = np.log((n_names + 1.0) / (df + 0.5))
        weight[weak_mask] *= WEAK_FACTOR
        initial_mask = np.fromiter((len(t) == 1 for t in tok_str), dtype=bool, count=n_toks)
        weight[initial_mask] = np.minimum(weight[initial_mask], INITIAL_WEIGHT)
        tok_weight = np.maximum(weight, MIN_PART_WEIGHT).astype(np.float32)
        # Keys are hashed as they are made: ten million key strings of a million-entity
        # index would hold far more memory than their hashes.
        key_hashes = array("Q")
        key_tids = array("i")
        pending: list[str] = []
        for tid, t in enumerate(tok_str):
            keys = token_keys(t, listed=True)
            pending.extend(keys)
            key_tids.extend([tid] * len(keys))
            if len(pending) >= HASH_CHUNK:
                key_hashes.frombytes(hash_array(pending).tobytes())
                pending.clear()
        key_hashes.frombytes(hash_array(pending).tobytes())
        del pending
        key_lookup, key_ptr, key_toks = _lookup_csr(key_hashes, key_tids)
        del key_hashes, key_tids
        full_lookup, full_ptr, full_names = _lookup_csr(full_keys, full_nids)
        joined_lookup, joined_ptr, joined_names = _lookup_csr(joined_keys, joined_nids)
        name_weight = (
            np.add.reduceat(tok_weight[name_tids_a], name_ptr_a[:-1])
            if n_names
            else (np.zeros(0, dtype=np.float32))
        )
        vocab_order = np.asarray(sorted(range(n_toks), key=tok_str.__getitem__), dtype=np.int32)
        vocab_heads = np.fromiter(
            (_head(tok_str[t]) for t in vocab_order.tolist()), dtype=np.uint64, count=n_toks
        )
        return cls(
            tok_str=StringColumn.build(tok_str),
            tok_lookup=HashLookup.of_ids(hash_array(tok_str)),
            tok_weight=tok_weight,
            tok_ptr=tok_ptr,
            tok_names=tok_names,
            vocab_order=vocab_order,
            vocab_heads=vocab_heads,
            key_lookup=key_lookup,
            key_ptr=key_ptr,
            key_toks=key_toks,
            name_ptr=name_ptr_a,
            name_tids=name_tids_a,
            name_ent=np.frombuffer(name_ent, dtype=np.int32).copy(),
            name_weak=np.frombuffer(name_weak, dtype=np.int8).astype(bool),
            name_text=name_text_column,
            name_weight=name_weight.astype(np.float32),
            full_lookup=full_lookup,
            full_ptr=full_ptr,
            full_names=full_names,
            joined_lookup=joined_lookup,
            joined_ptr=joined_ptr,
            joined_names=joined_names,
            max_weight=float(math.log((n_names + 1.0) / 0.5)),
        )

    # ---- storage ----------------------------------------------------------------------
    def arrays(self) -> Arrays:
        """Every array of the index by name (what the cache file holds)."""
        out: Arrays = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                out[f.name] = value
            elif isinstance(value, StringColumn | HashLookup):
                out.update(prefixed(value.arrays(), f.name + "."))
        return out

    def meta(self) -> dict:
        return {"max_weight": self.max_weight}

    @classmethod
    def from_arrays(cls, arrays: Arrays, meta: dict) -> NameIndex:
        """The index over arrays read back (or mapped) from the cache."""
        values: dict = {}
        for f in fields(cls):
            if f.name == "max_weight":
                values[f.name] = float(meta["max_weight"])
            elif f.name in _LOOKUPS:
                values[f.name] = HashLookup.from_arrays(sub_arrays(arrays, f.name + "."))
            elif f.name in ("tok_str", "name_text"):
                values[f.name] = StringColumn.from_arrays(sub_arrays(arrays, f.name + "."))
            else:
                values[f.name] = arrays[f.name]
        return cls(**values)

    def addresses(self, *names: str) -> tuple[int, ...]:
        """Where the compiled loops read these arrays (their ``ctypes.data``, asked once:
        asking costs microseconds). Mapped read-only from the cache, they cannot be typed
        memoryviews; each is contiguous with the type its loop reads (``_READ_BY_ADDRESS``)."""
        known = self.__dict__.setdefault("_addresses", {})
        for name in names:
            if name not in known:
                array = getattr(self, name)
                if array.dtype != _READ_BY_ADDRESS[name] or not array.flags["C_CONTIGUOUS"]:
                    raise TypeError(
                        f"index array {name} must be contiguous {_READ_BY_ADDRESS[name]}"
                    )
                known[name] = array.ctypes.data
        return tuple([known[name] for name in names])

    def __getstate__(self) -> dict:
        """Its fields (the arrays' addresses are this process's own)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    # ---- look-ups ---------------------------------------------------------------------
    def token_texts(self) -> list[str | None]:
        """Token id -> the token, decoded from ``tok_str`` once per process and kept (None
        until first read): every listed name holding a token shares one string, which the
        comparisons' tables then find by identity instead of comparing letters."""
        texts = self.__dict__.get("_texts")
        if texts is None:
            texts = self.__dict__["_texts"] = [None] * len(self.tok_str)
        return texts

    def token_text(self, tid: int) -> str:
        """Vocabulary token ``tid`` (see :meth:`token_texts`)."""
        texts = self.token_texts()
        text = texts[tid]
        if text is None:
            text = texts[tid] = self.tok_str[tid]
        return text

    def token_id(self, token: str) -> int | None:
        """The id of a vocabulary token, None when no listed name has it."""
        tid = self.tok_lookup.get(token)
        if tid is None or self.token_text(tid) != token:
            return None
        return tid

    def key_tokens(self, key: str) -> np.ndarray:
        """Vocabulary tokens holding blocking key ``key``."""
        kid = self.key_lookup.get(key)
        if kid is None:
            return _NO_NAMES
        return self.key_toks[self.key_ptr[kid] : self.key_ptr[kid + 1]]

    def name_parts(self, nid: int) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """The parts of listed name ``nid`` and their weights."""
        tids = self.name_tids[self.name_ptr[nid] : self.name_ptr[nid + 1]]
        texts = self.token_texts()  # read directly once decoded (a call per part costs)
        parts = tuple([texts[t] or self.token_text(t) for t in tids.tolist()])
        return parts, tuple(self.tok_weight[tids].tolist())

    def similar_tokens(self, token: str, abjad: bool = False) -> dict[int, float]:
        """Vocabulary tokens sharing a blocking key with ``token``: id -> key strength."""
        found: dict[int, float] = {}
        keys = token_keys(token, abjad=abjad)
        kids = self.key_lookup.find(hash_array(keys)).tolist()
        strengths = [STRENGTH[key[0]] for key in keys]
        best_strengths(found, self, kids, strengths, KEY_MAX_TOKENS)
        exact = self.token_id(token)
        if exact is not None:
            found[exact] = 1.0
        if exact is None and len(token) >= TWO_EDIT_MIN_LEN and token.isalpha():
            for tid, strength in self._two_edit_tokens(token).items():
                found.setdefault(tid, strength)
        if exact is None and len(token) >= PREFIX_MIN_LEN and token.isalpha():
            for tid in self.completions(token):
                found.setdefault(tid, STRENGTH["p"])
        return found

    def completions(self, prefix: str) -> list[int]:
        """Tokens that ``prefix`` is a cut-off start of: two or more letters cut, at most
        half (the same rule the name comparison applies). The sorted tokens' first eight
        bytes, as integers, are searched in one step; only the tokens in range are read."""
        head = prefix.encode()[:HEAD_BYTES]
        low = int.from_bytes(head.ljust(HEAD_BYTES, b"\0"), "big")
        high = int.from_bytes(head.ljust(HEAD_BYTES, b"\xff"), "big")
        lo = int(np.searchsorted(self.vocab_heads, np.uint64(low), "left"))
        hi = int(np.searchsorted(self.vocab_heads, np.uint64(high), "right"))
        if hi - lo > PREFIX_MAX_TOKENS and len(prefix) <= HEAD_BYTES:
            return []
        n = len(prefix)
        started = [(t, self.token_text(t)) for t in self.vocab_order[lo:hi].tolist()]
        started = [(t, token) for t, token in started if token.startswith(prefix)]
        if len(started) > PREFIX_MAX_TOKENS:
            return []
        return [t for t, token in started if n + CUT_OFF_MIN_LETTERS <= len(token) <= 2 * n]

    def _two_edit_tokens(self, token: str) -> dict[int, float]:
        """Tokens about two edits away from an unknown long part (two deletions on the query
        side meet one on the listed side): misspellings the one-edit keys miss."""
        found: dict[int, float] = {}
        strength = STRENGTH["d2"]
        # Each spelling with two letters deleted, in order: the spelling, then its folded
        # form (a key met again adds nothing below).
        hashes = [two_deletion_hashes("d:", word) for word in dict.fromkeys((token, fold(token)))]
        kids = self.key_lookup.find(np.concatenate(hashes)).tolist()
        best_strengths(found, self, kids, [strength] * len(kids), TWO_EDIT_KEY_MAX_TOKENS)
        return found

    def joined_matches(self, token: str) -> np.ndarray:
        """Listed names with two adjacent parts that, glued, are this (folded) part."""
        jid = self.joined_lookup.get(fold(token))
        if jid is None:
            return _NO_NAMES
        return self.joined_names[self.joined_ptr[jid] : self.joined_ptr[jid + 1]]

    def full_matches(self, tokens: Sequence[str]) -> np.ndarray:
        """Listed names whose full-name key equals this name's."""
        kid = self.full_lookup.get(full_key(tokens))
        if kid is None:
            return _NO_NAMES
        return self.full_names[self.full_ptr[kid] : self.full_ptr[kid + 1]]


# ---- compiled loops over the index's arrays, read by address ------------------------
@cython.boundscheck(False)
@cython.wraparound(False)
@cython.locals(
    k=cython.Py_ssize_t,
    j=cython.longlong,
    at=cython.Py_ssize_t,
    total=cython.Py_ssize_t,
    start=cython.longlong,
    end=cython.longlong,
    limit=cython.longlong,
    tid=cython.longlong,
    strength=cython.float,
    ptr=cython.p_longlong,
    names=cython.p_int,
    ids_out=cython.int[:],
    ws_out=cython.float[:],
)
def token_names(
    index: NameIndex, tids: Sequence[int], strengths: Sequence[float], cap: int
) -> tuple[np.ndarray, np.ndarray]:
    """The names holding each token of ``tids``, token after token, each with its token's
    strength in single precision; a token in more than ``cap`` names is left out. A query
    part's similar tokens are a few dozen: one loop over them, where :func:`gather_ranges`
    makes a dozen small arrays."""
    if not cython.compiled:  # the same arrays, by numpy
        tid_a = np.asarray(tids, dtype=np.int64)
        starts, ends = index.tok_ptr[tid_a], index.tok_ptr[tid_a + 1]
        keep = ends - starts <= cap
        found, owner = gather_ranges(index.tok_names, starts[keep], ends[keep])
        return found, np.asarray(strengths, dtype=np.float32)[keep][owner]
    ptr_at, names_at = index.addresses("tok_ptr", "tok_names")
    ptr = cython.cast(cython.p_longlong, cython.cast(cython.size_t, ptr_at))
    names = cython.cast(cython.p_int, cython.cast(cython.size_t, names_at))
    limit = cap
    total = 0
    for k in range(len(tids)):
        tid = tids[k]
        if ptr[tid + 1] - ptr[tid] <= limit:
            total += ptr[tid + 1] - ptr[tid]
    found = np.empty(total, dtype=np.int32)
    weights = np.empty(total, dtype=np.float32)
    ids_out = found
    ws_out = weights
    at = 0
    for k in range(len(tids)):
        tid = tids[k]
        start = ptr[tid]
        end = ptr[tid + 1]
        if end - start > limit:
            continue
        strength = strengths[k]
        for j in range(start, end):
            ids_out[at] = names[j]
            ws_out[at] = strength
            at += 1
    return found, weights


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.locals(
    k=cython.Py_ssize_t,
    j=cython.longlong,
    kid=cython.longlong,
    start=cython.longlong,
    end=cython.longlong,
    most=cython.longlong,
    strength=cython.double,
    ptr=cython.p_longlong,
    toks=cython.p_int,
)
def best_strengths(
    found: dict[int, float],
    index: NameIndex,
    kids: Sequence[int],
    strengths: Sequence[float],
    limit: int,
) -> None:
    """Into ``found`` (token id -> strength), each token of each blocking key ``kids[k]``
    with ``strengths[k]`` where that is more than it has (a token is kept in the order it
    is first found); keys -1 (not in the index) and keys of more than ``limit`` tokens add
    nothing. One loop reading the key -> tokens arrays by address, where reading them
    with numpy made three small arrays or scalars per key."""
    if not cython.compiled:  # the same, by numpy
        for kid, strength in zip(kids, strengths, strict=True):
            if kid < 0:
                continue
            start, end = int(index.key_ptr[kid]), int(index.key_ptr[kid + 1])
            if end - start > limit:
                continue
            for tid in index.key_toks[start:end].tolist():
                if found.get(tid, 0.0) < strength:
                    found[tid] = strength
        return
    ptr_at, toks_at = index.addresses("key_ptr", "key_toks")
    ptr = cython.cast(cython.p_longlong, cython.cast(cython.size_t, ptr_at))
    toks = cython.cast(cython.p_int, cython.cast(cython.size_t, toks_at))
    most = limit
    for k in range(len(kids)):
        kid = kids[k]
        if kid < 0:
            continue
        start = ptr[kid]
        end = ptr[kid + 1]
        if end - start > most:
            continue
        value = strengths[k]
        strength = value
        for j in range(start, end):
            tid = toks[j]
            if found.get(tid, 0.0) < strength:
                found[tid] = value
