"""Name normalisation shared by the index and the query: scripts, legal forms, spellings."""

from corridor.names.legal_forms import fold_legal_forms, is_legal_form
from corridor.names.normalize import normalize, normalize_id, to_ascii
from corridor.names.skeleton import fold, skeleton
from corridor.names.tokens import is_weak, name_tokens

__all__ = [
    "fold",
    "fold_legal_forms",
    "is_legal_form",
    "is_weak",
    "name_tokens",
    "normalize",
    "normalize_id",
    "skeleton",
    "to_ascii",
]
