from .fixtures import committed_seed_vectors, meaning_on, model_missing  # noqa: F401
