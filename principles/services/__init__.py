"""Writes that touch many rows, each under one transaction: one module per concern.

seeds (loading the seed organizations), locking (the row locks every edit holds), tagging
(themes on statements), themes (merging and deleting themes), ordering (positions within a
document), lifecycle (publishing, retiring, superseding, new versions). Import from the
module: this package re-exports nothing.
"""
