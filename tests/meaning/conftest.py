from .fixtures import (  # noqa: F401
    committed_seed_vectors,
    helper_server,
    meaning_on,
    model_missing,
)
