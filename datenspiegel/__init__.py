"""datenspiegel — retrieval broker of Lower Saxony's residents' register mirror.

The subpackages live in the repository's top-level folders (``service/``, ``xsd/``, …) and are
mapped into this namespace by ``package_dir`` in ``setup.cfg``.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
