"""Ordering: the canonical order every channel's orders become, its import and its state machine."""
