"""Chapter 06's widgets (being written: see issue 7)."""

__all__: list[str] = []
