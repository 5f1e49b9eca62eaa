"""`make bench`: run every benchmark and print its table (results also go to bench/results/)."""

import sys

from bench import bank_sync, load

if __name__ == "__main__":
    which = sys.argv[1:] or ["sync", "load"]
    if "sync" in which:
        print("## bank sync (10,000 generated items)\n")
        bank_sync.main()
    if "load" in which:
        print("## load (gunicorn, wrk)\n")
        load.main()
