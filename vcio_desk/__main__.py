"""Entry point: the desktop app by default, command-line subcommands otherwise.

The GUI is imported only when it is wanted, so CLI work never loads Qt.
"""

from __future__ import annotations

import sys
import time

_STARTED = time.perf_counter()


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from vcio_desk.cli import build_parser, run_command

    parser = build_parser()
    options = parser.parse_args(args)
    if options.command is None:
        from vcio_desk.logs import configure_logging
        from vcio_desk.ui.app import run

        configure_logging()
        return run(sys.argv[:1] + args, db=options.db, t0=_STARTED)
    return run_command(options)


if __name__ == "__main__":
    sys.exit(main())
