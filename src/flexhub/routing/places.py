"""The atlas as order cleaning's address rule asks it (`cleaning.checks.Places`), wired in by the composition root so
that cleaning, which ordering imports, need not import routing."""

from flexhub.routing import geo


class AtlasPlaces:
    def province(self, name: str) -> tuple[str, str] | None:
        code = geo.province_code(name)
        return None if code is None else (code, geo.atlas().provinces[code].name)

    def city(self, name: str, province: str) -> str | None:
        found = geo.find_city(name, province)
        return found.name if found is not None and found.province == province else None

    def province_of_postal_code(self, code: str) -> str | None:
        return geo.province_of_postal_code(code)

