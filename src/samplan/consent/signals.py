"""What the consent app tells the apps above it, so it never imports them."""

from django.dispatch import Signal

# Sent by services.withdraw once a withdrawal is recorded and audited, with ``member``
# (citizens.NetworkMember), ``kind`` (ConsentEvent.Kind) and ``user`` (who withdrew it).
# Receivers run in the caller's thread and their errors reach the caller (send, not
# send_robust): e.g. samplan.meetings takes the member off upcoming meetings.
consent_withdrawn = Signal()
