"""K-Smart City Export Configurator: catalog, engine, wizard, proposal and CLI for K-City pre-consulting."""

from app.errors import CatalogError, EngagementError, InfeasibleSelection, KcityError, RenderError, StorageError

__version__ = "0.1.0"
__all__ = ["CatalogError", "EngagementError", "InfeasibleSelection", "KcityError", "RenderError", "StorageError", "__version__"]
