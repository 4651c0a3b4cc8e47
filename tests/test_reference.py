"""The reference solutions reproduce outputs published with the DLS assignment."""

import numpy as np


def test_random_mini_batches_matches_the_published_dls_output(reference):
    # Inputs and sanity values of the Deep Learning Specialization's "Optimization Methods"
    # assignment (course 2): seed 1, X of shape (12288, 148), mini-batches of 64.
    np.random.seed(1)
    X = np.random.randn(12288, 148)
    Y = np.random.randn(1, 148) < 0.5
    batches = reference["random_mini_batches"](X, Y, 64)
    assert [b[0].shape for b in batches] == [(12288, 64), (12288, 64), (12288, 20)]
    assert [b[1].shape for b in batches] == [(1, 64), (1, 64), (1, 20)]
    np.testing.assert_allclose(
        batches[0][0][0][0:3], [0.90085595, -0.7612069, 0.2344157], rtol=1e-7
    )
