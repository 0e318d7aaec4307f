"""What else holds a document's statements: a small hook for the admin's confirmations.

Before Publish or Retire, the admin says what the change touches. The core does not know
the features built on it, so each feature that keeps statements (a trainer's sheets, say)
registers a function here from its AppConfig.ready(): given a queryset of statements, it
returns a sentence such as "3 sheets hold 5 of these statements", or "" when none do.
"""

_holders = []


def register_holder(describe):
    if describe not in _holders:
        _holders.append(describe)
    return describe


def holders(statements):
    """The registered features' sentences about `statements`, the empty ones left out."""
    return [text for describe in _holders if (text := describe(statements))]
