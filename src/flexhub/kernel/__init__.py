"""The kernel: ids, money, clock, errors and message bases. No I/O, no third-party frameworks."""
