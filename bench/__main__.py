"""`make bench`: run every benchmark and print its table."""

from bench import bank_sync

if __name__ == "__main__":
    print("## bank sync (10,000 generated items)\n")
    bank_sync.main()
