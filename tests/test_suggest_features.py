"""The fast paths of the suggester equal the plain scikit-learn / spaCy computations they replace."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from qualcode.nlp import get_nlp
from qualcode.project import Project
from qualcode.suggest import prep
from qualcode.suggest.engine import Suggester, TrainingExample
from qualcode.suggest.features import ComposedVectoriser, content_tokens, document_frequencies, smooth_idf, supports
from qualcode.suggest.learned import NEIGHBOUR_SIMILARITY, make_hasher
from qualcode.suggest.lexical import CodebookSimilarity, fast_transform, make_vectoriser, profile_text
from suggest_helpers import CODEBOOK

EDGE_TEXTS = [
    "",
    "   ",
    "tillid",
    "tillid tillid tillid",
    "ab",  # shorter than the longest char n-gram
    "x",
    "samarbejde samarbejdsaftale samarbejde",
    "ordetfindesikkeikodebogen heller ikke dette",
]
WHITESPACE_TEXTS = [
    "a\tb  c\n\nd",
    " Vi\u00a0ved\u2009det\u200bikke ",
    "bl.a. fx. f.eks. ... osv.",
    "IP3: Hej!!(ok) 3-4 dage, e-mail@x.dk http://x.dk/a?b=c",
    "Øh,  altså -- ikke?\n",
]


@pytest.fixture(scope="module")
def sample_texts(sample_project_path) -> list[str]:
    with Project.open(sample_project_path, create=False) as project:
        return [s.text for s in project.documents.segments()]


@pytest.fixture(scope="module")
def content_texts(sample_texts) -> list[str]:
    texts = [prep.content_text(t) for t in sample_texts]
    # Contexts: several sentences joined, so bigrams cross the joins.
    return texts + [" ".join(texts[i : i + 4]) for i in range(0, len(texts), 3)] + EDGE_TEXTS


def _assert_same(expected, got) -> None:
    expected, got = sp.csr_matrix(expected), sp.csr_matrix(got)
    assert expected.shape == got.shape
    expected.sort_indices()
    got.sort_indices()
    # Same sparsity pattern: a dropped feature (a bigram, a char n-gram) would show here.
    assert np.array_equal(expected.indptr, got.indptr)
    assert np.array_equal(expected.indices, got.indices)
    assert np.allclose(expected.data, got.data, rtol=0, atol=1e-12)


def test_composed_lexical_vectoriser_equals_sklearn_pipeline(content_texts):
    pipeline = make_vectoriser().fit(content_texts[:400])
    assert supports(pipeline)
    composed = ComposedVectoriser(pipeline)
    tokens = [content_tokens(t) for t in content_texts]
    _assert_same(pipeline.transform(content_texts), composed.transform(tokens))
    # Again from the warm word cache, and in small batches (one segment at a time).
    _assert_same(fast_transform(pipeline, content_texts), composed.transform(tokens))
    for text in content_texts[:50] + EDGE_TEXTS:
        _assert_same(pipeline.transform([text]), composed.transform([content_tokens(text)]))


def test_composed_hasher_equals_sklearn_pipeline(content_texts):
    pipeline = make_hasher().fit([""])
    assert supports(pipeline)
    composed = ComposedVectoriser(pipeline)
    tokens = [content_tokens(t) for t in content_texts]
    _assert_same(pipeline.transform(content_texts), composed.transform(tokens))
    _assert_same(pipeline.transform(content_texts[:7]), composed.transform(tokens[:7]))


@pytest.mark.parametrize("make", [make_vectoriser, make_hasher])
def test_full_caches_start_afresh_without_losing_a_batchs_words(make, content_texts, monkeypatch):
    import qualcode.suggest.features as features

    # Bounds far below one batch's words and pairs: every batch overflows the caches.
    monkeypatch.setattr(features, "MAX_CACHED_WORDS", 25)
    monkeypatch.setattr(features, "MAX_CACHED_PAIRS", 25)
    pipeline = make().fit(content_texts[:400])
    composed = ComposedVectoriser(pipeline)
    for start in range(0, 120, 40):
        batch = content_texts[start : start + 40]
        _assert_same(pipeline.transform(batch), composed.transform([content_tokens(t) for t in batch]))


def test_streamed_idf_equals_sklearn_fit(content_texts):
    codebook = make_vectoriser().fit(content_texts[:200])
    union = codebook.named_steps["features"]
    vocabularies = [vec.vocabulary_ for _name, vec in union.transformer_list]
    corpus = [t for t in content_texts if t]
    expected = make_vectoriser(*vocabularies).fit(corpus)
    dfs, n = document_frequencies(ComposedVectoriser(codebook), (content_tokens(t) for t in corpus), batch=97)
    assert n == len(corpus)
    for (_name, vec), df in zip(expected.named_steps["features"].transformer_list, dfs):
        assert np.array_equal(smooth_idf(df, n), vec.idf_)


def test_codebook_similarity_fit_from_a_stream_equals_the_sklearn_fit(sample_texts):
    fitted = CodebookSimilarity(CODEBOOK.leaves()).fit(iter(sample_texts))
    # The plain computation: vocabulary from the codebook, IDF from codebook + corpus.
    profiles = [prep.content_text(profile_text(c)) for c in CODEBOOK.leaves()]
    examples = [prep.content_text(e) for c in CODEBOOK.leaves() for e in c.examples]
    codebook_texts = [t for t in profiles + examples if t]
    union = make_vectoriser().fit(codebook_texts).named_steps["features"]
    corpus = [t for t in (prep.content_text(t) for t in sample_texts) if t]
    expected = make_vectoriser(union.transformer_list[0][1].vocabulary_, union.transformer_list[1][1].vocabulary_)
    expected.fit(codebook_texts + corpus)
    queries = sample_texts[:300]
    _assert_same(fast_transform(expected, [prep.content_text(t) for t in queries]), fitted.transform(queries))


def test_chunkwise_analysis_equals_whole_text_analysis(sample_texts):
    tokenizer = get_nlp().tokenizer
    assert prep.chunkwise(tokenizer)
    joined = [" ".join(sample_texts[i : i + 5]) for i in range(0, len(sample_texts), 4)]
    for text in sample_texts + joined + WHITESPACE_TEXTS + EDGE_TEXTS:
        assert prep.analyse(text) == prep._analyse_whole(text, tokenizer), text


def test_batched_neighbour_counts_equal_one_product_per_row(sample_texts):
    leaves = [c.id for c in CODEBOOK.leaves()]
    examples = [TrainingExample(t, leaves[i % len(leaves)]) for i, t in enumerate(sample_texts[:300:3])]
    suggester = Suggester(CODEBOOK).fit(sample_texts[:500], examples)
    model = suggester.model_
    rows = model._hash(sample_texts[:400])
    for code in leaves:
        positive = sp.vstack([model.rows_[r] for r in sorted(model.positives_[code])]).tocsr()
        expected = [int(((positive @ rows[i].T).toarray().ravel() >= NEIGHBOUR_SIMILARITY).sum()) for i in range(rows.shape[0])]
        assert model.neighbour_counts(rows, code).tolist() == expected
        assert any(expected)


def test_learned_rows_equal_the_sklearn_hasher(sample_texts):
    suggester = Suggester(CODEBOOK).fit(sample_texts[:100])
    texts = sample_texts[:200] + EDGE_TEXTS
    _assert_same(fast_transform(make_hasher().fit([""]), [prep.content_text(t) for t in texts]), suggester.model_._hash(texts))


@pytest.mark.parametrize("codebook_file", ["barrierer_drivkraefter.yaml", "relationel_koordinering.yaml"])
def test_keyword_index_answers_exactly_as_trying_every_pattern(codebook_file):
    import random

    from qualcode.codebook import load_codebook
    from qualcode.demo import sample_dir, sample_files
    from qualcode.nlp import lemmatise
    from qualcode.readers import read_transcript
    from qualcode.suggest.keywords import KeywordMatcher

    codebook = load_codebook(Path(__file__).resolve().parent.parent / "codebooks" / codebook_file)
    matcher = KeywordMatcher(codebook.leaves()).fit()
    lemmas = {l for path in sample_files(sample_dir()) for l in lemmatise(read_transcript(path).text)}
    stems = sorted({w.stem for patterns in matcher.patterns_.values() for pattern, _ in patterns for w in pattern.words})
    rng = random.Random(3)
    # Compounds that open or close with a stem, linking -s forms, and near misses.
    made = set()
    pool = sorted(lemmas)
    for _ in range(1200):
        a, b = rng.choice(stems), rng.choice(pool)
        made |= {a + b, b + a, a[:-1] + "s" + b, a + "s" + b, a[1:] + b, b + a[:-1], a + b[:2], b[:2] + a}
    tried = sorted(lemmas | made | set(stems))
    assert len(tried) > 10_000
    found = 0
    for lemma in tried:
        expected = matcher._scan(lemma)
        assert matcher._index.matches(lemma) == expected, lemma
        found += bool(expected)
    assert found > 1000  # the check saw plenty of hits of every kind, not only misses
    kinds = {kind for lemma in tried for _c, _p, kind in matcher._scan(lemma)}
    assert kinds >= {"exact", "compound"}
