"""What the meetings app tells others, without knowing them: the dossiers app files closed minutes in the cell's
"Sổ biên bản sinh hoạt chi bộ" (dossiers/apps.py connects to it)."""

from django.dispatch import Signal

# sent inside the closing transaction, after the numbers are issued: meeting=, by=
minutes_closed = Signal()
