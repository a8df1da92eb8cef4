"""digest: publish a weekly tech digest from Markdown.

The pipeline has three stages, each a subpackage: ``content`` reads ``content/`` into
model objects, ``renderer`` turns them into outputs, ``writer`` puts outputs on disk.
"""

from importlib.metadata import PackageNotFoundError, version

try:  # the version is pyproject.toml's, as installed; nowhere else
    __version__ = version("digest")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
