"""The one compiled module; everything else about the package is in pyproject.toml.

``markaz.extract._scan`` (src/markaz/extract/_scan.c) is the number scan of
``markaz.extract``. It is optional: where no C compiler is at hand the package installs
without it and extraction runs the same scan in Python, slower.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "markaz.extract._scan",
            sources=["src/markaz/extract/_scan.c"],
            optional=True,
        )
    ]
)
