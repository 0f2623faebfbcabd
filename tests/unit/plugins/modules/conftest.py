# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the module unit tests: a fake device at the HTTP layer and a task runner."""
from __future__ import annotations

import pytest

from tests.unit.framework.fake_http import FakeHttp
from tests.unit.framework.tasks import FakeClock, run_task


@pytest.fixture
def device(monkeypatch):
    """The test's HTTP conversation: ``device.expect(Call(...), ...)``; checked when the test ends."""
    fake = FakeHttp().install(monkeypatch)
    yield fake
    fake.assert_done()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def run(device, clock):  # pylint: disable=redefined-outer-name,unused-argument
    """``run("mediant_ini", {...}, check_mode=False, diff=False)``: the task's result dict."""
    def runner(module, args, **kwargs):
        kwargs.setdefault("clock", clock)
        return run_task(module, args, **kwargs)
    return runner
