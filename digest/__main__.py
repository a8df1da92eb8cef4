"""``python -m digest``: the ``digest`` command, for a machine where its script is not on PATH."""

from digest.cli import main

main(prog_name="digest")
