"""Small pure comparison features, one module per family of evidence.

Each feature takes the query's values and a listed entity's values and returns a number in
[0, 1]; its one-line docstring is the explanation shown to users. ``matching.score``
holds the table of features and weights that turns them into one score.
"""
