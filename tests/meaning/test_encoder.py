"""The model itself: pinned file, the pipeline's vectors, and failing plainly."""

import numpy as np
import pytest

from meaning import encoder
from meaning.encoder import DIMENSION, MODEL_SHA256, Encoder, ModelUnavailable


def test_the_installed_model_file_is_the_pinned_one():
    model, tokenizer = encoder.model_files()
    assert encoder.sha256_of(model) == MODEL_SHA256
    assert tokenizer.name == "tokenizer.json"


def test_vectors_are_unit_length_and_close_for_close_meanings():
    model = encoder.get_encoder()
    vectors = model.embed(
        [
            "grandparents raising their grandchildren",
            "relatives caring for children of their family",
            "the agency reports its budget every quarter",
        ]
    )
    assert vectors.shape == (3, DIMENSION) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_a_text_gets_the_same_vector_alone_or_in_a_batch():
    model = encoder.get_encoder()
    alone = model.embed_one("keeping siblings together")
    batch = model.embed(
        ["a much longer text about something else entirely", "keeping siblings together"]
    )
    assert np.allclose(alone, batch[1])


def test_the_model_reads_only_the_texts_own_tokens_and_gives_the_padded_vector():
    """Unpadded, a short query costs a few tokens of model work instead of 128 (the
    tokenizer file pads to 128), and its vector is the one the padded run gives."""
    model = encoder.get_encoder()
    text = "caseworker burnout"
    encoding = model.tokenizer.encode(text)
    assert len(encoding.ids) < 10 and all(encoding.attention_mask)
    padded = np.array([encoding.ids + [0] * (128 - len(encoding.ids))], dtype=np.int64)
    mask = (padded != 0).astype(np.int64)
    feeds = {"input_ids": padded, "attention_mask": mask}
    if "token_type_ids" in model.inputs:
        feeds["token_type_ids"] = np.zeros_like(padded)
    hidden = model.session.run(None, feeds)[0]
    pooled = (hidden * mask[..., None]).sum(axis=1)[0] / mask.sum()
    pooled /= np.linalg.norm(pooled)
    assert float(pooled @ model.embed_one(text)) > 0.999


def test_long_texts_are_truncated_not_refused():
    vector = encoder.get_encoder().embed_one("family " * 2000)
    assert vector.shape == (DIMENSION,)


def test_a_model_file_that_is_not_the_pinned_one_is_refused(tmp_path):
    _, tokenizer = encoder.model_files()
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not the model")
    with pytest.raises(ModelUnavailable, match="sha256"):
        Encoder(model_path=fake, tokenizer_path=tokenizer)


def test_without_the_packages_the_model_is_unavailable_and_not_retried(model_missing):
    with pytest.raises(ModelUnavailable, match="not installed"):
        encoder.get_encoder()
    with pytest.raises(ModelUnavailable):
        encoder.get_encoder()


def test_a_repeated_query_is_embedded_once():
    model = encoder.get_encoder()
    model.embed_query.cache_clear()
    first = model.embed_query("caseworker burnout")
    again = model.embed_query("caseworker burnout")
    assert again is first
    info = model.embed_query.cache_info()
    assert (info.hits, info.misses) == (1, 1)
    assert np.allclose(first, model.embed_one("caseworker burnout"))
