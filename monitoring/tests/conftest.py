"""Monitoring test fixtures: the registry's small district (two 所, the 药械科, an auditor)."""

from enterprises.tests.conftest import district  # noqa: F401 - the fixture, shared
