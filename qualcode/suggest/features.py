"""Exact fast vectorising: a text's features composed from its words' features.

The vectorisers of :mod:`qualcode.suggest.lexical` and :mod:`qualcode.suggest.learned`
read content text, i.e. content lemmas joined by single spaces, as word uni- and
bigrams and as character n-grams inside word boundaries (``char_wb``). All of
those except the bigrams belong to one word, so a text's raw count vector is
the sum of its words' count vectors plus one feature per adjacent word pair.
:class:`ComposedVectoriser` computes each distinct word's counts once (with the
fitted scikit-learn vectoriser itself, so n-gram semantics, vocabulary and
hashing are sklearn's), composes texts with one sparse product, and then applies
what the pipeline applies after counting: sublinear tf, ``idf_`` and the l2 norm
per family, the FeatureUnion weights and the final Normalizer, with the same
sklearn functions. The result equals ``pipeline.transform(texts)`` (the
equality is tested in ``tests/test_suggest_features.py``); pipelines of other
shapes are refused by :func:`supports`, and callers then use sklearn directly.

Re-analysing every sentence and its context from scratch was the batch
suggester's hot spot: a 2,000-interview study has ~1.2 M sentences but only
some tens of thousands of distinct content lemmas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer, TfidfVectorizer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import Normalizer
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

# Word -> count row and word pair -> column are cached per family; emptied
# when full so memory stays bounded.
MAX_CACHED_WORDS = 300_000
MAX_CACHED_PAIRS = 1_000_000
WORD_TOKENS = r"\S+"


def supports(pipeline: Pipeline) -> bool:
    """Whether ``pipeline`` has the shape this module reproduces exactly (else use sklearn)."""
    try:
        union = pipeline.named_steps["features"]
        norm = pipeline.named_steps["norm"]
    except (AttributeError, KeyError):
        return False
    if list(pipeline.named_steps) != ["features", "norm"] or not isinstance(norm, Normalizer) or norm.norm != "l2":
        return False
    return all(_family_supported(vec) for _name, vec in union.transformer_list)


def _family_supported(vec) -> bool:
    if type(vec) not in (TfidfVectorizer, HashingVectorizer):
        return False
    plain = (
        vec.input == "content" and vec.preprocessor is None and vec.tokenizer is None and vec.stop_words is None
        and vec.strip_accents is None and not vec.lowercase and not vec.binary and vec.norm == "l2"
    )
    if type(vec) is TfidfVectorizer and not (vec.use_idf and hasattr(vec, "vocabulary_")):
        return False
    if vec.analyzer == "word":
        return plain and vec.token_pattern == WORD_TOKENS and tuple(vec.ngram_range) in ((1, 1), (1, 2))
    return plain and vec.analyzer == "char_wb"


def content_tokens(content_text: str) -> tuple[str, ...]:
    """The words the vectorisers see in a content text (sklearn splits on whitespace too)."""
    return tuple(content_text.split())


@dataclass
class _Family:
    """One FeatureUnion member: how to count a word, a word pair, and what follows counting."""

    vec: object
    weight: float
    counter: object  # transforms a list of words into raw counts
    bigrams: bool
    hasher: FeatureHasher | None  # for word pairs of a hashing family
    cache: dict
    pair_cache: dict

    def rows(self, words: Sequence[str]):
        """Raw counts of each word alone, (len(words), n_features), from the cache."""
        cache = self.cache
        missing = [w for w in words if w not in cache]
        if missing:
            if len(cache) + len(missing) > MAX_CACHED_WORDS:
                # Full: start afresh, and this batch's words must all be computed now
                # (clearing after choosing only the missing ones lost the rest).
                cache.clear()
                missing = list(dict.fromkeys(words))
            counts = sp.csr_matrix(self.counter(missing))
            counts.sort_indices()
            for n, w in enumerate(missing):
                lo, hi = counts.indptr[n], counts.indptr[n + 1]
                cache[w] = (counts.indices[lo:hi], counts.data[lo:hi])
        parts = [cache[w] for w in words]
        lengths = np.fromiter((len(p[0]) for p in parts), dtype=np.int64, count=len(parts))
        indptr = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        indices = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int32)
        data = np.concatenate([p[1] for p in parts]).astype(np.float64) if parts else np.zeros(0)
        return sp.csr_matrix((data, indices, indptr), shape=(len(parts), self.n_features))

    @property
    def n_features(self) -> int:
        if isinstance(self.vec, HashingVectorizer):
            return self.vec.n_features
        return len(self.vec.vocabulary_)

    def pair_columns(self, pairs: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(column, value) per word pair "a b"; column -1 when the pair is no feature."""
        if self.hasher is None:
            vocabulary = self.vec.vocabulary_
            cols = np.fromiter((vocabulary.get(p, -1) for p in pairs), dtype=np.int64, count=len(pairs))
            return cols, np.ones(len(pairs))
        # A sentence's pairs recur in the contexts around it: hash each pair once.
        cache = self.pair_cache
        missing = list(dict.fromkeys(p for p in pairs if p not in cache))
        if missing:
            if len(cache) + len(missing) > MAX_CACHED_PAIRS:
                cache.clear()
                missing = list(dict.fromkeys(pairs))
            hashed = sp.csr_matrix(self.hasher.transform([[p] for p in missing]))
            for n, p in enumerate(missing):
                lo, hi = hashed.indptr[n], hashed.indptr[n + 1]
                cache[p] = (int(hashed.indices[lo]), float(hashed.data[lo])) if hi > lo else (-1, 0.0)
        found = [cache[p] for p in pairs]
        cols = np.fromiter((c for c, _v in found), dtype=np.int64, count=len(found))
        vals = np.fromiter((v for _c, v in found), dtype=np.float64, count=len(found))
        return cols, vals

    def finish(self, counts):
        """What the vectoriser does after counting: (sublinear tf, idf,) l2 norm."""
        counts = sp.csr_matrix(counts, dtype=np.float64)
        counts.sum_duplicates()
        counts.sort_indices()
        if isinstance(self.vec, TfidfVectorizer):
            if self.vec.sublinear_tf:
                np.log(counts.data, counts.data)
                counts.data += 1.0
            counts.data *= self.vec.idf_[counts.indices]
        return _normalised(counts)


def _normalised(X):
    """Rows scaled to unit l2 norm in place, by the routine ``sklearn.preprocessing.normalize``
    runs for CSR input (calling it directly skips its validation, which costs
    more than the work for one segment)."""
    X = sp.csr_matrix(X, dtype=np.float64)
    inplace_csr_row_normalize_l2(X)
    return X


def _family(vec, weight: float) -> _Family:
    bigrams = vec.analyzer == "word" and tuple(vec.ngram_range) == (1, 2)
    if isinstance(vec, HashingVectorizer):
        raw = clone(vec).set_params(norm=None)
        counter = raw.transform
        hasher = FeatureHasher(n_features=vec.n_features, input_type="string", dtype=vec.dtype, alternate_sign=vec.alternate_sign) if bigrams else None
    else:
        # The counting half of TfidfVectorizer.transform (its CountVectorizer
        # part), with the fitted vocabulary: raw counts before tf-idf.
        def counter(words, vec=vec):
            return CountVectorizer.transform(vec, words)
        hasher = None
    return _Family(vec, weight, counter, bigrams, hasher, {}, {})


class ComposedVectoriser:
    """``pipeline.transform`` for token lists, composed from cached per-word counts.

    ``pipeline`` must be fitted and pass :func:`supports`; it is not changed.
    """

    def __init__(self, pipeline: Pipeline):
        if not supports(pipeline):
            raise ValueError("pipeline shape not supported; use sklearn's transform")
        union = pipeline.named_steps["features"]
        weights = union.transformer_weights or {}
        self.families = [_family(vec, weights.get(name, 1.0)) for name, vec in union.transformer_list]

    def transform(self, token_lists: Sequence[Sequence[str]]):
        """Rows equal to ``pipeline.transform([" ".join(tokens) for tokens in token_lists])``."""
        n = len(token_lists)
        words, pairs = _index(token_lists)
        parts = []
        for fam in self.families:
            part = fam.finish(self._counts(fam, words, pairs, n))
            if fam.weight != 1.0:
                part = part * fam.weight
            parts.append(part)
        return _normalised(sp.hstack(parts).tocsr())

    @staticmethod
    def _counts(fam: _Family, words: "_Words", pairs: "_Pairs", n: int):
        W = sp.csr_matrix((np.ones(len(words.cols)), (words.rows, words.cols)), shape=(n, len(words.vocabulary)))
        counts = W @ fam.rows(words.vocabulary)
        if fam.bigrams and len(pairs.texts):
            cols, vals = fam.pair_columns(pairs.texts)
            keep = cols >= 0
            if keep.any():
                B = sp.csr_matrix((vals[keep], (pairs.rows[keep], cols[keep])), shape=counts.shape)
                counts = counts + B
        return counts


@dataclass(frozen=True)
class _Words:
    vocabulary: list[str]  # distinct words of the batch
    rows: np.ndarray  # text number per word occurrence
    cols: np.ndarray  # word number per occurrence


@dataclass(frozen=True)
class _Pairs:
    texts: list[str]  # "a b" per adjacent pair, in order
    rows: np.ndarray  # text number per pair


def _index(token_lists: Iterable[Sequence[str]]) -> tuple[_Words, _Pairs]:
    ids: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    pair_texts: list[str] = []
    pair_rows: list[int] = []
    for r, tokens in enumerate(token_lists):
        if not tokens:
            continue
        cols += [ids.setdefault(w, len(ids)) for w in tokens]
        rows += [r] * len(tokens)
        if len(tokens) > 1:
            pair_texts += [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
            pair_rows += [r] * (len(tokens) - 1)
    return (
        _Words(list(ids), np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
        _Pairs(pair_texts, np.asarray(pair_rows, dtype=np.int64)),
    )


def document_frequencies(vectoriser: ComposedVectoriser, token_lists: Iterable[Sequence[str]], batch: int = 20_000) -> tuple[list[np.ndarray], int]:
    """Per family, in how many texts each feature occurs, and the number of texts; streamed in batches."""
    dfs = [np.zeros(fam.n_features, dtype=np.int64) for fam in vectoriser.families]
    n = 0
    chunk: list[Sequence[str]] = []

    def flush() -> None:
        words, pairs = _index(chunk)
        for k, fam in enumerate(vectoriser.families):
            counts = sp.csr_matrix(vectoriser._counts(fam, words, pairs, len(chunk)))
            counts.sum_duplicates()
            counts.eliminate_zeros()
            dfs[k] += np.bincount(counts.indices, minlength=fam.n_features)

    for tokens in token_lists:
        chunk.append(tokens)
        n += 1
        if len(chunk) >= batch:
            flush()
            chunk = []
    if chunk:
        flush()
    return dfs, n


def smooth_idf(df: np.ndarray, n: int) -> np.ndarray:
    """TfidfTransformer's idf (smooth_idf=True) from document frequencies, in its order of operations."""
    df = df.astype(np.float64) + 1.0
    idf = np.full_like(df, fill_value=n + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return idf
