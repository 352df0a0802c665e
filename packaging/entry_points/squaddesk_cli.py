"""PyInstaller's script for the console ``squaddesk-cli`` program (``app.cli:main``)."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
