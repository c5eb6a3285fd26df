"""Ten sessions press Generate at once on one wizard server with its render pool (loopback, headless chromium).

Reports each session's wait from its click to its download button (median and worst), with two render workers
(this machine's cores) against one (what a single process gave before the pool). Same code as the e2e load test.
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
from pathlib import Path

from tests.e2e.test_wizard_load import EXAMPLES, generate_at_once, seed, start_server


def main() -> None:
    for workers in (2, 1):
        with tempfile.TemporaryDirectory() as folder:
            sessions = seed(Path(folder), EXAMPLES)
            proc, url = start_server(Path(folder), workers)
            try:
                generate_at_once(url, sessions)
            finally:
                proc.terminate()
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
        waits = sorted(s.seconds for s in sessions if not s.error)
        errors = sum(1 for s in sessions if s.error)
        print(f"   wizard, {len(sessions)} sessions generating at once, {workers} render worker(s): wait median "
              f"{statistics.median(waits):.1f} s, worst {waits[-1]:.1f} s; {errors} errors")


if __name__ == "__main__":
    main()
