"""Trade screening: a whole trade in, one verdict per regime-aware rule set out.

>>> screener = build_screener(store)                      # once: the matching index
>>> result = screen_trade(load_trade("trade.yaml"), store=store, policy=load_policy(),
...                       matcher=screener)
>>> result.verdict, result.explanation
"""

from corridor.screening.engine import build_screener, screen_trade
from corridor.screening.parties import PartyScreener
from corridor.screening.results import ScreeningResult
from corridor.screening.trade_input import load_trade, parse_trade, parse_trade_text
from corridor.trade import Trade

__all__ = [
    "PartyScreener",
    "ScreeningResult",
    "Trade",
    "build_screener",
    "load_trade",
    "parse_trade",
    "parse_trade_text",
    "screen_trade",
]
