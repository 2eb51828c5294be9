"""Chapter 08's widgets (being written: see issue 7)."""

__all__: list[str] = []
