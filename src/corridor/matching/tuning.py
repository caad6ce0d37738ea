"""Every tuning number of party matching, each with the reason for its value.

The algorithm lives elsewhere (``index.py`` blocking keys and weights, ``matcher.py``
blocking and ranking, ``compare/names.py`` the name alignment, ``compare/`` the qualifier
features, ``score.py`` the table of feature weights); this module holds the knobs they
turn, so a reader finds them in one place and a change to one is a change here. Values
were chosen on the dev set and the first 20,000 batch rows (docs/matching.md, "Threshold"
and "Limits", has the trade-offs measured). The index is built with some of them, so this
module is part of the index cache key (``cache.INDEX_MODULES``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corridor.matching.compare.schema import Kind

# ---- alerting ------------------------------------------------------------------------

#: Default alert threshold (``match: true`` at or above), chosen on the dev set; see
#: docs/matching.md for the precision/recall trade-off around it.
DEFAULT_THRESHOLD = 0.8
#: Results below this score are not reported (a review queue still sees near misses).
MIN_SCORE = 0.3
#: A weak alias (OFAC remarks a.k.a., UN "Low" quality) counts this much of a full name.
WEAK_ALIAS_FACTOR = 0.9

# ---- index: blocking keys and part weights (index.py) ----------------------------------

#: Tokens shorter than this get no deletion keys (too many collisions).
DELETE_MIN_LEN = 4
#: Consonant and skeleton keys need this many letters: one letter would join everything.
SHORT_KEY_MIN_LEN = 2
#: Unknown query parts this long also look for listed parts two edits away.
TWO_EDIT_MIN_LEN = 5
#: Key strengths: how much a shared key says about two tokens being the same part (fold
#: ``f``, skeleton ``s``, digraph ``g``, patronymic or surname stem ``t``, one deletion
#: ``d``, consonants ``c``, cut-off prefix ``p``, two deletions ``d2``).
STRENGTH = {"f": 1.0, "s": 0.8, "g": 0.8, "t": 0.8, "d": 0.75, "c": 0.7, "p": 0.7, "d2": 0.6}
#: A key shared by more vocabulary tokens than this says nothing about any of them.
KEY_MAX_TOKENS = 300
#: The same for the two-edit look-up, whose keys are looser.
TWO_EDIT_KEY_MAX_TOKENS = 50
#: Weight multiplier for connective words and legal forms: they say little about who it is.
WEAK_FACTOR = 0.15
#: Weight of a one-letter part (an initial): about what a letter of the alphabet tells.
INITIAL_WEIGHT = 1.5
#: Least weight of any part, so the commonest word still counts a little.
MIN_PART_WEIGHT = 0.05

# ---- cut-off and glued parts (index.py, matcher.py, compare/names.py) -------------------

#: An unknown query part this long may be a listed part cut off (``Andr`` / ``Andrey``).
PREFIX_MIN_LEN = 3
#: A cut-off part misses this many letters at least: one missing letter is a typo's
#: business (and tells Huan from Huang apart). At most half the part may be cut.
CUT_OFF_MIN_LETTERS = 2
#: A cut-off part with more completions than this says too little to block on.
PREFIX_MAX_TOKENS = 100
#: Similarity of a last query part that is the start of a listed part: names are cut
#: off by fixed-width fields (35 characters in a payment message).
TRUNCATED_SIMILARITY = 0.85
#: A part this long may be two parts written together (``Tongchol`` / ``Tong Chol``).
GLUED_PART_MIN_LEN = 5
#: Two query parts glued must be this long together to look for one listed part.
GLUED_PAIR_MIN_LEN = 6
#: Blocking strength of a glued/split pairing: less than the same fold (1.0), more than
#: the same skeleton (0.8).
GLUED_STRENGTH = 0.9
#: Least similarity of one part with two adjacent parts glued for them to pair.
GLUED_MIN_SIMILARITY = 0.85
#: Up to this many adjacent parts may be one part written together on the other side
#: (Kazmunaigas / Kaz Munai Gaz, Rosoboronexport / Ros Oboron Export) ...
JOINED_MAX_PARTS = 3
#: ... three of them only against a part this long (shorter ones are two parts at most),
GLUED_TRIPLE_MIN_LEN = 9
#: ... and three query parts are looked up glued only when none is longer than this: a
#: name split in three is split into syllables (Ros Oboron Export, Kaz Munai Gaz).
GLUED_SYLLABLE_MAX_LEN = 6

# ---- blocking (matcher.py) --------------------------------------------------------------

#: Candidate names fully scored per query name (after blocking).
TOP_K = 30
#: Tokens in more listed names than this are not used for blocking (the full-name key
#: still finds exact names made only of common words) ...
COMMON_TOKEN_CAP = 1500
#: ... or in more than one listed name in this many, for lists larger than 300,000 names.
COMMON_TOKEN_SHARE = 200
#: Up to this many listed names, blocking accumulates into a dense array (faster);
#: above, into a sparse one (bounded memory per query).
DENSE_LIMIT = 300_000
#: Part similarities kept for reuse (``compare.names.PairMemo``): about 50 bytes each.
PAIR_MEMO_BUDGET = 400_000
#: Share of a query name's weight a listed name must share to be compared: the name score
#: cannot get much above it.
MIN_COVERAGE = 0.5
#: Ranking candidates, a listed name's own weight counts this much against the shared
#: weight: of two names holding the query, the one with less else in it comes first.
LISTED_WEIGHT_SHARE = 0.35
#: A query part this long that shares no key with any listed part may be misspelt
#: twice; it does not count against coverage.
LONG_UNKNOWN_PART = 9
#: With initials in the query, candidates beyond TOP_K are re-ranked by the initials
#: their other parts start with (up to this many candidates; each held initial adds
#: INITIAL_BONUS to the blocking score).
INITIALS_RERANK_LIMIT = 5000
INITIAL_BONUS = 0.1
#: An unknown query part weighs what its close spellings in the vocabulary weigh (keys
#: this strong: a spelling variant or a one-letter typo) ...
UNKNOWN_PART_KEY_STRENGTH = 0.75
#: ... and with none, this share of the weight of a part no listed name has: it is rare.
UNKNOWN_PART_WEIGHT = 0.8

# ---- name parts: similarity (compare/names.py) ------------------------------------------

#: Below this similarity two parts are not considered the same part.
MIN_PART_SIMILARITY = 0.7
#: Loose pairs (two edits, similarity this or more) only between parts of comparable
#: weight (the listed one at least this share of the query one): a distinctive query
#: part must not hide behind a weak listed one (Hakim / Haji).
LOOSE_PAIR_SIMILARITY = 0.5
LOOSE_PAIR_WEIGHT_RATIO = 0.5
LOOSE_PAIR_MAX_EDITS = 2
#: A query initial stands for a listed part starting with it, short of the full word.
INITIAL_SIMILARITY = 0.9
#: Two parts equal after folding romanisations: the same name spelled another way.
FOLDED_SIMILARITY = 0.96
#: Similarity of two parts that differ only in how a romanisation writes Cyrillic
#: letters (ISO 9 / Czech ``Anatol'evic`` against BGN ``Anatolyevich``).
DIGRAPH_SIMILARITY = 0.93
#: Shortest part compared that way: in short parts one digraph makes another name
#: (Korean Sin / Shin, Son / Shon).
DIGRAPH_MIN_LEN = 5
#: Parts with the same skeleton (vowels differ: Mohammed / Muhammad) score this much when
#: both are this long and already this similar; in short parts vowels make other names.
SKELETON_SIMILARITY = 0.9
SKELETON_MIN_LEN = 5
SKELETON_MIN_EDIT_SIMILARITY = 0.6
#: A patronymic in its Russian and a national form (Zhakypovich / Zhakypuly / Zhakyp uly,
#: Kamolitdinovich / Kamoliddin oʻgʻli): the same father's name, as sure as a digraph
#: variant (names/data/central_asian.yaml).
PATRONYMIC_FORM_SIMILARITY = 0.93
#: A surname with and without its Russian or Tajik ending (Kasen / Kasenov, Khalimzoda /
#: Khalimov): the same family name, as sure as a vowel variant.
SURNAME_FORM_SIMILARITY = 0.9
#: Similarity of an Arabic-script part and a Latin part it spells with short vowels
#: added (``mkhlwf`` / Makhluf); with only the consonants equal, less (``hsn`` / Husayn),
#: and less again for two consonants.
ABJAD_SPELLING = 0.92
ABJAD_CONSONANTS = {3: 0.85, 2: 0.75}

# ---- name parts: credit and penalties (compare/names.py) --------------------------------

#: A pair earns ``similarity²`` of its weight from this similarity on, or in parts this
#: long; below both, ``similarity³``: in parts of four letters or fewer one letter makes
#: another name (Wang / Zhang, Huan / Huang).
FULL_CREDIT_SIMILARITY = 0.9
FULL_CREDIT_MIN_LEN = 5
#: Share of a query part's weight that counts against a match when the list lacks it:
#: people add given names lists lack more often than companies add words; vessels,
#: aircraft and entities of unknown kind sit between.
UNMATCHED_QUERY_FACTOR: dict[Kind, float] = {
    "person": 0.8,
    "org": 1.0,
    "vessel": 0.9,
    "aircraft": 0.9,
    "any": 0.9,
}
#: Share of a listed part's weight that counts against a match when the query lacks it:
#: people's middle names and patronymics are often left out, organisations' words less;
#: vessels, aircraft and entities of unknown kind sit between.
UNMATCHED_LISTED_FACTOR: dict[Kind, float] = {
    "person": 0.3,
    "org": 0.6,
    "vessel": 0.45,
    "aircraft": 0.45,
    "any": 0.45,
}
#: Share of an extra query part's weight that counts against a person's match when the
#: query holds the whole listed name: customers add a second forename or a patronymic.
EXTRA_GIVEN_FACTOR = 0.3
#: Fewest strongly matched parts (this similarity or more) for a query to count as
#: holding the whole listed name.
EXTRA_GIVEN_MIN_PAIRS = 2
HELD_PART_SIMILARITY = 0.9
#: The held listed name must carry a rare part (IDF weight: in fewer than about 1 in 650
#: listed names) and this much weight in all: ``ALI, Hassan`` or ``KHAN, Mohammed`` are
#: held by thousands of customers' longer names.
RARE_PART_WEIGHT = 6.5
HELD_MIN_WEIGHT = 12.0
#: When another listed entity's name is the query's part for part (scoring at least
#: CONTESTED_MIN_SCORE, nothing left over), a name that leaves distinctive parts over
#: names someone else: the father whose name the son's longer name holds, a brother, a
#: company's group. Its leftover listed parts then cost one and a half times their weight
#: and leftover query parts twice theirs: the query's own given name is missing from it
#: and the listed one names a relative (a conflict, not an omission). Chosen on dev:
#: at 1.0 the son holding his father's whole chain (ALI BARZAN IBRAHIM HASAN AL-TIKRITI
#: for BARZAN IBRAHIM HASSAN AL-TIKRITI) still scored 0.80; no recall was lost.
CONTESTED_MIN_SCORE = 0.9
CONTESTED_LISTED_FACTOR = 1.5
CONTESTED_QUERY_FACTOR = 2.0
#: Least weight a query initial that contradicts a listed given name or initial costs
#: (``K. TUFAIL`` against ``TUFAIL, S.M.``): twice what an initial weighs.
CONFLICTING_INITIAL_MIN = 3.0

# ---- whole-name misspellings (compare/names.py) -----------------------------------------

#: A name of more letters than this (distinctive parts) may hold two edits, else one.
LONG_NAME_LETTERS = 10
NEAR_SPELLING_EDITS = 1
LONG_NAME_NEAR_SPELLING_EDITS = 2
#: Shortest listed part that may carry a misspelling in the whole-name rule (shorter
#: ones only two swapped letters: Zou / Su, Firat / Sirat are other names).
NEAR_SPELLING_MIN_PART = 6
#: Shortest part where two swapped letters read as a slip of the keyboard.
SWAP_MIN_LEN = 4
#: A listed part this long may hold two edits, shorter ones one; none under the minimum.
TWO_EDIT_PART_LEN = 9
NEAR_SPELLING_PART_MIN_LEN = 3
#: A misspelt whole name scores this, less this much per edit.
NEAR_SPELLING_SCORE = 0.95
NEAR_SPELLING_EDIT_COST = 0.03

# ---- linking records across lists (linking.py) ------------------------------------------

#: Two records of different lists may be one party from this name score on, when they
#: share an identifier (passport, national or tax id) or, for people, the full birth
#: date: the id or the date decides, the names confirm.
LINK_NAME_SCORE = 0.6
#: People with a birth year in common are one party from this name score:
#: an alias spelled another way (AL-SIBA'I / AL-SEBAI), a patronymic left out.
LINK_NAME_SCORE_WITH_DATE = 0.8
#: Without an identifier or agreeing birth dates the names must agree this closely
#: (organisations; people only when neither record has a birth date).
LINK_CLOSE_NAME_SCORE = 0.95
#: Under this name score no two records are linked: while linking, names that cannot
#: reach it are not aligned in full (it must stay under ``CONTESTED_MIN_SCORE``).
LINK_FLOOR = min(LINK_NAME_SCORE, LINK_NAME_SCORE_WITH_DATE, LINK_CLOSE_NAME_SCORE)

# ---- qualifier values (compare/dates.py, compare/schema.py) -----------------------------

#: Birth dates agreeing to the month, or in the year only, count a little less than a
#: full date: the less is known, the likelier a coincidence.
DOB_MONTH_AGREEMENT = 0.8
DOB_YEAR_AGREEMENT = 0.7
#: Birth years this far apart are a full conflict; nearer ones less, one year apart
#: least (a birth year off by one is a common error).
DOB_CONFLICT_FULL_GAP = 5
DOB_CONFLICT_NEAR = 0.6
DOB_CONFLICT_ONE_YEAR = 0.25
#: Kinds that are often confused half count as a mismatch: an owner company and its
#: vessel often share a name, and an entity of unknown kind may be a vessel.
RELATED_KIND_MISMATCH = 0.5
