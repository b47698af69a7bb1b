"""What the inventory tells other modules, without knowing them.

`systems_rated` is sent (with `system_ids`) after systems' effective criticality, CIA needs or
internet exposure changed, inside the writing transaction. The vulnerability module listens to
re-derive its findings' SSVC mission input, decision and SLA for those systems.
"""

from django.dispatch import Signal

systems_rated = Signal()
