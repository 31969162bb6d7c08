"""What accounts ask the apps above them about a person, without importing them: their part of the export, their erasure."""

from django.dispatch import Signal

# Sent with user=; each receiver returns {section name: JSON-ready list} of what its app holds about the person.
personal_data_requested = Signal()

# Sent with user= inside the deletion's transaction; each receiver erases what its app holds about the person.
account_deleting = Signal()
