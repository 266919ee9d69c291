"""Batch: a CSV of bookings to a folder of guides, in a pool of worker processes, resumable."""
