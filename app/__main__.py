"""``python -m app`` runs the ``kcity`` command line."""

from app.cli import main

main()
