"""What the tree tells others, without knowing them: the documents app registers each recorded decision in the
incoming register of the committee that holds the organisation decided on (documents/apps.py connects to it)."""

from django.dispatch import Signal

# sent inside the decision's transaction, after the event and its links are written: event=, by=
decision_recorded = Signal()
