"""Lexical similarity of a segment to what the codebook says about each code.

Each code gets a profile (name, definition, include text, keywords) and one
document per example; a segment is compared with both by cosine over TF-IDF
of content lemmas plus character n-grams of those lemmas. The n-grams catch
compounds and inflections the lemma table misses ("samarbejdsaftale" shares
most of its n-grams with "samarbejde"). The IDF can be fitted on the project's
own segments too, so words every interviewee uses weigh little.
"""

from __future__ import annotations

import itertools
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import Normalizer

from qualcode.codebook import Code
from qualcode.suggest.features import ComposedVectoriser, content_tokens, document_frequencies, smooth_idf, supports
from qualcode.suggest.prep import Analysed, analyse, content_text

# Word evidence is more specific than shared letter sequences.
WORD_WEIGHT = 1.0
CHAR_WEIGHT = 0.7


def make_vectoriser(word_vocabulary=None, char_vocabulary=None) -> Pipeline:
    """TF-IDF on content lemmas (uni- and bigrams) and on their character n-grams, rows l2-normalised."""
    words = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), sublinear_tf=True, vocabulary=word_vocabulary)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=False, sublinear_tf=True, vocabulary=char_vocabulary)
    union = FeatureUnion(
        [("lemmas", words), ("chars", chars)],
        transformer_weights={"lemmas": WORD_WEIGHT, "chars": CHAR_WEIGHT},
    )
    return Pipeline([("features", union), ("norm", Normalizer())])


def fast_transform(pipeline: Pipeline, texts: Sequence[str]):
    """``pipeline.transform`` without FeatureUnion's joblib dispatch.

    For one segment that dispatch costs more than the vectorising itself, and
    a coder waits for every suggestion; the result is identical.
    """
    union = pipeline.named_steps["features"]
    weights = union.transformer_weights or {}
    parts = [t.transform(texts) * weights.get(name, 1.0) for name, t in union.transformer_list]
    return pipeline.named_steps["norm"].transform(sp.hstack(parts).tocsr())


def transform_content(pipeline: Pipeline, composed: ComposedVectoriser | None, analysed: Sequence[Analysed]):
    """``pipeline.transform`` of analysed texts' content: composed from per-word counts
    when ``composed`` reproduces the pipeline, by scikit-learn otherwise."""
    if composed is None:
        return fast_transform(pipeline, [a.content_text for a in analysed])
    return composed.transform([content_tokens(a.content_text) for a in analysed])


def profile_text(code: Code) -> str:
    """What the codebook says a code is about, as one text."""
    keywords = " ".join(k.replace("*", "") for k in code.keywords)
    return " ".join(p for p in (code.name, code.definition, code.include, keywords) if p)


class CodebookSimilarity:
    """Cosine similarity of segments to each code's profile and examples."""

    def __init__(self, codes: Sequence[Code], *, corpus_vocabulary: bool = False):
        self.codes = tuple(codes)
        self.corpus_vocabulary = corpus_vocabulary

    def fit(self, corpus: Iterable[str] = ()) -> "CodebookSimilarity":
        """Fit the vocabulary and IDF on the codebook and (optionally) the project's segment texts.

        ``corpus`` is read once, as a stream: with the codebook's vocabulary
        the IDF is accumulated batch by batch, so a million sentences need no
        list of texts and no matrix of all of them.
        """
        profiles = [content_text(profile_text(c)) for c in self.codes]
        self.example_texts_: list[str] = []
        owners: list[int] = []
        for i, code in enumerate(self.codes):
            for example in code.examples:
                self.example_texts_.append(example)
                owners.append(i)
        examples = [content_text(e) for e in self.example_texts_]
        codebook_texts = [t for t in profiles + examples if t] or ["tom"]
        vectoriser = make_vectoriser().fit(codebook_texts)
        if self.corpus_vocabulary:
            corpus_content = [t for t in (content_text(t) for t in corpus) if t]
            if corpus_content:
                vectoriser = make_vectoriser().fit(codebook_texts + corpus_content)
        else:
            vectoriser = self._fit_idf(vectoriser, codebook_texts, corpus)
        self.vectoriser_ = vectoriser
        self.composed_ = ComposedVectoriser(vectoriser) if supports(vectoriser) else None
        # Dense, features x codes: a sparse segment row times it is the cheapest product.
        self.profiles_ = np.ascontiguousarray(self.vectoriser_.transform(profiles).toarray().T)
        self.examples_ = np.ascontiguousarray(self.vectoriser_.transform(examples).toarray().T) if examples else None
        self.example_owner_ = np.asarray(owners, dtype=int)
        return self

    @staticmethod
    def _fit_idf(vectoriser: Pipeline, codebook_texts: list[str], corpus: Iterable[str]) -> Pipeline:
        """Vocabulary from the codebook, IDF from codebook and corpus.

        Words every interviewee uses weigh little, and words the codebook never
        mentions do not dilute a segment's similarity to the codes. Equal to
        fitting ``make_vectoriser(codebook vocabularies)`` on codebook texts +
        non-empty corpus content texts, without holding the corpus.
        """
        union = vectoriser.named_steps["features"]
        fixed = make_vectoriser(union.transformer_list[0][1].vocabulary_, union.transformer_list[1][1].vocabulary_)
        fixed.fit(codebook_texts)  # vocabulary, IDF of the codebook alone; the IDF is replaced below
        # Empty content texts are left out, as the corpus always was (only non-empty texts count as documents).
        corpus_tokens = (content_tokens(text) for text in (analyse(t).content_text for t in corpus) if text)
        tokens = itertools.chain((content_tokens(t) for t in codebook_texts), corpus_tokens)
        dfs, n = document_frequencies(ComposedVectoriser(fixed), tokens)
        if n == len(codebook_texts):
            return vectoriser  # no corpus content: codebook vocabulary and IDF, as fitted
        for (_name, vec), df in zip(fixed.named_steps["features"].transformer_list, dfs):
            vec.idf_ = smooth_idf(df, n)
        return fixed

    def transform(self, texts: Sequence[str]):
        return self.transform_analysed([analyse(t) for t in texts])

    def transform_analysed(self, analysed: Sequence[Analysed]):
        return transform_content(self.vectoriser_, self.composed_, analysed)

    def similarities(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(profile similarity, best example similarity, index of that example or -1), each (n, codes)."""
        return self.similarities_analysed([analyse(t) for t in texts])

    def similarities_analysed(self, analysed: Sequence[Analysed]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`similarities` for texts already analysed."""
        X = self.transform_analysed(analysed)
        profile = np.asarray(X @ self.profiles_)
        n, k = profile.shape
        best = np.zeros((n, k))
        best_ix = np.full((n, k), -1)
        if self.examples_ is not None:
            sims = np.asarray(X @ self.examples_)
            for j, owner in enumerate(self.example_owner_):
                better = sims[:, j] > best[:, owner]
                best[better, owner] = sims[better, j]
                best_ix[better, owner] = j
        return profile, best, best_ix
