"""``python -m sscoutcomes``: the command line (see :mod:`sscoutcomes.cli`)."""

from sscoutcomes.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
