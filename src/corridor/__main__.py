"""``python -m corridor``: the same command as ``corridor``."""

from corridor.cli import main

main()
