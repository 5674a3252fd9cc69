#!/usr/bin/env python
"""Django's command-line utility; the `liaison` console command wraps the same entry point."""

from liaison.cli import main

if __name__ == "__main__":
    main()
