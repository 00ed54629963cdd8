from tests.api.conftest import _media_in_tmp, api  # noqa: F401 -- the API's client fixture, shared
