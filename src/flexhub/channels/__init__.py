"""Channels: the stores a brand sells through, each on a platform, and what pools each may sell."""
