"""Compiled modules: the matching hot path, built with Cython from its plain Python source.

Each module listed stays ordinary Python (its ``import cython`` annotations only declare C
types), so the package also runs uncompiled, and the source is the one thing to edit.
``CORRIDOR_PURE_PYTHON=1`` builds without compiling them.
"""

import os

from setuptools import Extension, setup

#: Modules compiled to C (tests/matching/test_compiled.py checks they load compiled and give
#: the same results as their source run as Python). Beyond the alignment, the modules every
#: query runs through (its names' normalisation, the index look-ups, the matcher's loops):
#: 1.11x the matching loop's speed on the Intel host of docs/benchmarks.md, six pairs of
#: runs all agreeing (an earlier AMD host had shown no gain by the clock).
COMPILED = [
    "corridor.matching.compare.names",
    "corridor.matching.coverage",
    "corridor.matching.probe",
    "corridor.names.skeleton",
    "corridor.matching.matcher",
    "corridor.matching.index",
    "corridor.matching.columns",
    "corridor.matching.query",
    "corridor.names.central_asian",
    "corridor.names.tokens",
    "corridor.names.normalize",
    "corridor.names.legal_forms",
    "corridor.matching.compare.dates",
    "corridor.matching.compare.schema",
    "corridor.memo",
]


def extensions() -> list[Extension]:
    if os.environ.get("CORRIDOR_PURE_PYTHON") == "1":
        return []
    from Cython.Build import cythonize

    modules = [
        # No fused multiply-add: the C arithmetic stays that of Python's floats, bit for bit.
        Extension(
            name,
            ["src/" + name.replace(".", "/") + ".py"],
            extra_compile_args=["-ffp-contract=off"],
        )
        for name in COMPILED
    ]
    return cythonize(
        modules,
        build_dir="build/cython",
        compiler_directives={"language_level": 3, "binding": True},
        quiet=True,
        nthreads=os.cpu_count() or 1,
    )


# The C compilers run side by side, one per core, however the build is started (make, pip,
# an earlier commit's build for a benchmark).
setup(ext_modules=extensions(), options={"build_ext": {"parallel": os.cpu_count() or 1}})
