"""`python -m nixlite` is the `nixlite` command."""
from nixlite.cli import main

main()
