"""digest: publish a weekly tech digest from Markdown.

The pipeline has three stages, each a subpackage: ``content`` reads ``content/`` into
model objects, ``renderer`` turns them into outputs, ``writer`` puts outputs on disk.
"""

__version__ = "0.1.0"
