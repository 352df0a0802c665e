"""PyInstaller's script for the windowed ``squaddesk`` program (``ui.main:main``)."""

import sys

from ui.main import main

if __name__ == "__main__":
    sys.exit(main())
