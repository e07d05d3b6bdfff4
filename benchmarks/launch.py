"""Start one command and report its own wall, CPU and peak memory as JSON.

Why a launcher: on Linux a child's `ru_maxrss` starts from the resident size
of the process that forked it (the kernel carries the old memory map's high
water mark across `exec`), so a command started straight from the bench
would be charged with the bench's own memory. Started from this small
process (run with `python -S`), a command's peak is its own plus at most the
launcher's few MiB, which the report states.

    python -S launch.py REPORT.json COMMAND [ARG]...

Exits with the command's status; writes {"wall", "cpu", "peak_kib"} to REPORT.json.
"""

import json
import os
import sys
import time


def main() -> int:
    report, argv = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    with open(report, "w") as handle:
        cpu = usage.ru_utime + usage.ru_stime
        json.dump({"wall": wall, "cpu": cpu, "peak_kib": usage.ru_maxrss}, handle)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
